package org.asyncio4j.conformance;

import org.asyncio4j.EventLoop;

/**
 * What every loop contract needs from the class that runs it: new loops of the implementation under test,
 * and a place for what a try opens. {@link EventLoopConformance} implements all the loop contracts; to run one
 * of them alone, extend {@link ConformanceBase} (which provides {@link #track}), implement the contract and
 * {@link #newLoop()}, and say what the loop has in {@link ConformanceBase#declares}.
 */
public interface LoopContract {
    /** A new, open, not running loop of the implementation under test; called once or more per try. */
    EventLoop newLoop();

    /**
     * Closes {@code resource} when the try ends, and stops it (or its loops) when the try overruns its deadline.
     *
     * @return {@code resource}
     */
    <T extends AutoCloseable> T track(T resource);
}
