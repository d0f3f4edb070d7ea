package org.asyncio4j.conformance.reference;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.EventLoopConformance;
import org.asyncio4j.unix.SelectorEventLoop;

/** The kit's loop properties against asyncio4j's {@link SelectorEventLoop}, which orders timer ties by scheduling. */
class SelectorEventLoopConformanceTest extends EventLoopConformance {
    @Override
    protected EventLoop createEventLoop() {
        return new SelectorEventLoop();
    }

    @Override
    protected boolean claimsTimerTiesInSchedulingOrder() {
        return true;
    }

    @Override
    protected boolean logsReferenceTexts() {
        return true;
    }
}
