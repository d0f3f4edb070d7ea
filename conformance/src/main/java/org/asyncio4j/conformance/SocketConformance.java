package org.asyncio4j.conformance;

import org.asyncio4j.EventLoop;

/**
 * Conformance properties for a loop's TCP sockets ({@link SocketContract}, the SCK rules of the catalogue), over
 * real connections on 127.0.0.1.
 *
 * <p>Extend it in a test class and return a new, open, not running loop from {@link #createEventLoop()} on every
 * call; the kit runs each loop in the calling thread. A loop without sockets says so in {@link #supportsSockets()},
 * and every property is reported skipped.
 */
public abstract class SocketConformance extends ConformanceBase implements SocketContract {
    /** For subclasses. */
    protected SocketConformance() {}

    /** A new, open, not running loop; called once or more per try. */
    protected abstract EventLoop createEventLoop();

    /** A new loop from {@link #createEventLoop()}. */
    @Override
    public final EventLoop newLoop() {
        return createEventLoop();
    }

    /** False if the loop has no TCP sockets ({@code createServer} throws UnsupportedOperationException). Default true. */
    protected boolean supportsSockets() {
        return true;
    }

    @Override
    protected final boolean declares(Capability capability) {
        return capability == Capability.SOCKETS && supportsSockets();
    }
}
