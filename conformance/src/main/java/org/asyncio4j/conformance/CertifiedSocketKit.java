package org.asyncio4j.conformance;

import org.asyncio4j.EventLoop;

/** The socket properties bound to the loops of the policy {@link Certify} certifies ({@code newEventLoop()}). */
final class CertifiedSocketKit extends SocketConformance {
    @Override
    protected EventLoop createEventLoop() {
        return Binding.current().newPolicy().newEventLoop();
    }

    @Override
    protected boolean supportsSockets() {
        return Binding.current().decide(Capability.SOCKETS, true);
    }
}
