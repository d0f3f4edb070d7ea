package org.asyncio4j.conformance;

import org.asyncio4j.EventLoop;

/** The loop properties bound to the loops of the policy {@link Certify} certifies ({@code newEventLoop()}). */
final class CertifiedLoopKit extends EventLoopConformance {
    @Override
    protected EventLoop createEventLoop() {
        return Binding.current().newPolicy().newEventLoop();
    }

    @Override
    protected boolean supportsSignals() {
        return Binding.current().decide(Capability.SIGNALS, true);
    }

    @Override
    protected boolean supportsRawFdReaders() {
        return Binding.current().decide(Capability.RAW_FD_READERS, true);
    }

    @Override
    protected boolean claimsTimerTiesInSchedulingOrder() {
        Binding b = Binding.current();
        EventLoop probe = b.newPolicy().newEventLoop();
        try {
            return b.decide(Capability.TIMER_TIES_IN_SCHEDULING_ORDER, Binding.loopIsBase(probe));
        } finally {
            probe.close();
        }
    }
}
