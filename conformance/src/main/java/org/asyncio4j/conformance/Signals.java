package org.asyncio4j.conformance;

/** The signals the kit sends to its own process: ignored by default, so harmless if a broken loop misses them. */
final class Signals {
    static final int SIGWINCH = 28;
    static final int SIGURG = 23;

    private Signals() {}
}
