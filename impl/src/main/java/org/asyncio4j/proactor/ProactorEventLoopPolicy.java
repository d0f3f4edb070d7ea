package org.asyncio4j.proactor;

import org.asyncio4j.EventLoop;
import org.asyncio4j.unix.DefaultEventLoopPolicy;

/**
 * A policy that hands out {@link ProactorEventLoop}s: one per thread, auto-created in the main thread, as
 * every {@link org.asyncio4j.BaseDefaultEventLoopPolicy} does (CPython's
 * {@code WindowsProactorEventLoopPolicy}).
 *
 * <p>Child watchers are managed exactly as by the Unix {@link DefaultEventLoopPolicy}, which this class
 * extends for that reason alone: a {@link org.asyncio4j.unix.SafeChildWatcher} created on first use and
 * attached to the main thread's loop, re-attached by {@code setEventLoop} in the main thread. Choose a
 * watcher that needs no readiness callbacks (not {@link org.asyncio4j.unix.PidfdChildWatcher}).
 */
public class ProactorEventLoopPolicy extends DefaultEventLoopPolicy {

    /** A policy with no loop set in any thread and no child watcher yet. */
    public ProactorEventLoopPolicy() {}

    @Override
    protected EventLoop createEventLoop() {
        return new ProactorEventLoop();
    }

    @Override
    public String toString() {
        return "ProactorEventLoopPolicy[watcher=" + java.util.Objects.toString(currentChildWatcher(), "none") + "]";
    }
}
