package org.asyncio4j.conformance;

import org.asyncio4j.EventLoop;

/** The loop properties bound to the loops of the policy {@link Certify} certifies ({@code newEventLoop()}). */
final class CertifiedLoopKit extends EventLoopConformance {
    @Override
    protected EventLoop createEventLoop() {
        return Binding.current().newPolicy().newEventLoop();
    }

    /**
     * Claimed, lacked, or else: signals and raw-fd readers assumed, the other loop capabilities inferred from
     * the traits declared for the policy's loops.
     */
    @Override
    protected boolean declares(Capability capability) {
        Binding b = Binding.current();
        return switch (capability) {
            case SIGNALS, RAW_FD_READERS -> b.decide(capability, true);
            case TIMER_TIES_IN_SCHEDULING_ORDER, REFERENCE_LOG_TEXTS -> b.decide(capability, inferred(capability));
            default -> false;
        };
    }

    private static boolean inferred(Capability capability) {
        EventLoop probe = Binding.current().newPolicy().newEventLoop();
        try {
            return Binding.inferred(probe, capability);
        } finally {
            probe.close();
        }
    }
}
