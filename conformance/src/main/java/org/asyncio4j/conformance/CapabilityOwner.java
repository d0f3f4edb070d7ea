package org.asyncio4j.conformance;

/** Implemented by the three conformance classes: answers which capabilities the implementation declares. */
interface CapabilityOwner {
    boolean has(Capability capability);
}
