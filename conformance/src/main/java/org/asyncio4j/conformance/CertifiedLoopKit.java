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

    /** Claimed, lacked, or else inferred from the traits declared for the policy's loops. */
    private static boolean inferredFromBase(Capability capability) {
        Binding b = Binding.current();
        EventLoop probe = b.newPolicy().newEventLoop();
        try {
            return b.decide(capability, Binding.inferred(probe, capability));
        } finally {
            probe.close();
        }
    }
}
