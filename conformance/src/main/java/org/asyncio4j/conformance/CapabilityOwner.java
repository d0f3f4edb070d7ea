package org.asyncio4j.conformance;

/**
 * Implemented by the three conformance classes: answers which capabilities the implementation declares,
 * and stops what a try runs when the try overruns its deadline.
 */
interface CapabilityOwner {
    /** Whether the implementation declares {@code capability}. */
    boolean has(Capability capability);

    /** Asks every loop the current try opened to stop (called from a watchdog thread). */
    void stopWhatTheTryRuns();
}
