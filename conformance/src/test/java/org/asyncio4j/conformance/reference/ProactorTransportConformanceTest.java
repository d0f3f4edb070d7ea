package org.asyncio4j.conformance.reference;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.TransportConformance;
import org.asyncio4j.proactor.ProactorEventLoop;

/**
 * The kit's transport, subprocess and stream properties against asyncio4j's {@link ProactorEventLoop}, with the
 * process-wide default policy's watcher attached to each loop (the kit's default).
 */
class ProactorTransportConformanceTest extends TransportConformance {
    @Override
    protected EventLoop createEventLoop() {
        return new ProactorEventLoop();
    }
}
