package org.asyncio4j.conformance;

import org.asyncio4j.EventLoopPolicy;

/** The policy properties bound to the policy {@link Certify} certifies. */
final class CertifiedPolicyKit extends EventLoopPolicyConformance {
    @Override
    protected EventLoopPolicy createPolicy() {
        return Binding.current().newPolicy();
    }

    @Override
    protected boolean claimsDefaultPolicyProfile() {
        Binding b = Binding.current();
        return b.decide(Capability.DEFAULT_POLICY_PROFILE, b.policyIsDefaultKind());
    }

    @Override
    protected boolean supportsChildWatchers() {
        Binding b = Binding.current();
        return b.decide(Capability.CHILD_WATCHERS, b.hasWatchers());
    }

    @Override
    protected Thread mainThread() {
        Binding b = Binding.current();
        return b.decide(Capability.MAIN_THREAD, b.policyIsDefaultKind()) ? jvmMainThread() : null;
    }
}
