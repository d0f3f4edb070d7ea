package org.asyncio4j.conformance.reference;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.TransportConformance;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * The kit's transport, subprocess and stream properties against asyncio4j's {@link SelectorEventLoop}, with the
 * process-wide default policy's watcher attached to each loop (the kit's default).
 */
class SelectorTransportConformanceTest extends TransportConformance {
    @Override
    protected EventLoop createEventLoop() {
        return new SelectorEventLoop();
    }
}
