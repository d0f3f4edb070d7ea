package com.example;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.EventLoopConformance;
import org.asyncio4j.unix.SelectorEventLoop;

/** The kit's loop properties against asyncio4j's own selector loop, written as a user of the kit would. */
class ReferenceLoopConformanceTest extends EventLoopConformance {
    @Override protected EventLoop createEventLoop() { return new SelectorEventLoop(); }        // new, open, not running
}
