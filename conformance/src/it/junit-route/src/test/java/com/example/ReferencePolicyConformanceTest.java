package com.example;

import org.asyncio4j.EventLoopPolicy;
import org.asyncio4j.conformance.EventLoopPolicyConformance;
import org.asyncio4j.unix.DefaultEventLoopPolicy;

/** The kit's policy properties against asyncio4j's own policy, written as a user of the kit would. */
class ReferencePolicyConformanceTest extends EventLoopPolicyConformance {
    @Override protected EventLoopPolicy createPolicy() { return new DefaultEventLoopPolicy(); }   // a new one per call
    @Override protected boolean claimsDefaultPolicyProfile() { return true; }                   // one loop per thread
}
