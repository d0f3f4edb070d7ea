package org.asyncio4j.proactor;

import org.asyncio4j.unix.DefaultEventLoopPolicy;

/**
 * A policy that hands out {@link ProactorEventLoop}s: the Unix policy with another loop factory, as CPython's
 * {@code WindowsProactorEventLoopPolicy} is its base policy with {@code _loop_factory = ProactorEventLoop}.
 *
 * <p>One loop per thread, auto-created in the main thread; child watchers managed as by
 * {@link DefaultEventLoopPolicy}: a {@link org.asyncio4j.unix.SafeChildWatcher} created on first use and
 * attached to the main thread's loop, re-attached by {@code setEventLoop} in the main thread. Choose a watcher
 * that needs no readiness callbacks (not {@link org.asyncio4j.unix.PidfdChildWatcher}).
 */
public class ProactorEventLoopPolicy extends DefaultEventLoopPolicy {

    /** A policy whose loops are {@link ProactorEventLoop}s with the default number of I/O threads. */
    public ProactorEventLoopPolicy() {
        super(ProactorEventLoop::new);
    }

    @Override
    public String toString() {
        return "ProactorEventLoopPolicy[watcher=" + (currentChildWatcher() == null ? "none" : currentChildWatcher()) + "]";
    }
}
