package org.asyncio4j.conformance.reference;

import org.asyncio4j.EventLoopPolicy;
import org.asyncio4j.conformance.EventLoopPolicyConformance;
import org.asyncio4j.unix.DefaultEventLoopPolicy;

/** The kit's policy properties against asyncio4j's {@link DefaultEventLoopPolicy}, which claims the per-thread profile and the JVM main thread as its main thread. */
class DefaultEventLoopPolicyConformanceTest extends EventLoopPolicyConformance {
    @Override
    protected EventLoopPolicy createPolicy() {
        return new DefaultEventLoopPolicy();
    }

    @Override
    protected boolean claimsDefaultPolicyProfile() {
        return true;
    }

    @Override
    protected Thread mainThread() {
        return jvmMainThread();
    }
}
