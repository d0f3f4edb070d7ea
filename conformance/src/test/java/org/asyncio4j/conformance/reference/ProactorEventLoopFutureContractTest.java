package org.asyncio4j.conformance.reference;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.ConformanceBase;
import org.asyncio4j.conformance.FutureContract;
import org.asyncio4j.proactor.ProactorEventLoop;

/**
 * One contract alone, the way a third-party loop can be held to part of the kit: asyncio4j's
 * {@link ProactorEventLoop} against the {@link FutureContract}, through {@link ConformanceBase} rather than
 * {@code EventLoopConformance}. It declares no capability: the contract needs none.
 */
class ProactorEventLoopFutureContractTest extends ConformanceBase implements FutureContract {
    @Override
    public EventLoop newLoop() {
        return new ProactorEventLoop();
    }

    @Override
    protected boolean declares(Capability capability) {
        return false;
    }
}
