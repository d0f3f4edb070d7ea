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
        return inferredFromBase(Capability.TIMER_TIES_IN_SCHEDULING_ORDER);
    }

    @Override
    protected boolean logsReferenceTexts() {
        return inferredFromBase(Capability.REFERENCE_LOG_TEXTS);
    }

    /** Claimed, lacked, or else inferred from whether the policy's loops are asyncio4j BaseEventLoops. */
    private static boolean inferredFromBase(Capability capability) {
        Binding b = Binding.current();
        EventLoop probe = b.newPolicy().newEventLoop();
        try {
            return b.decide(capability, Binding.loopIsBase(probe));
        } finally {
            probe.close();
        }
    }
}
