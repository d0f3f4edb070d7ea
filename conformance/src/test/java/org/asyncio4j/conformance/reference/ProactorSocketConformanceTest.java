package org.asyncio4j.conformance.reference;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.SocketConformance;
import org.asyncio4j.proactor.ProactorEventLoop;

/** The kit's socket properties against asyncio4j's {@link ProactorEventLoop}, over real connections on 127.0.0.1. */
class ProactorSocketConformanceTest extends SocketConformance {
    @Override
    protected EventLoop createEventLoop() {
        return new ProactorEventLoop();
    }
}
