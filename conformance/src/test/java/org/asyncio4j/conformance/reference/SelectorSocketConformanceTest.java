package org.asyncio4j.conformance.reference;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.SocketConformance;
import org.asyncio4j.unix.SelectorEventLoop;

/** The kit's socket properties against asyncio4j's {@link SelectorEventLoop}, over real connections on 127.0.0.1. */
class SelectorSocketConformanceTest extends SocketConformance {
    @Override
    protected EventLoop createEventLoop() {
        return new SelectorEventLoop();
    }
}
