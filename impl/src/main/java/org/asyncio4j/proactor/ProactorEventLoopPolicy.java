package org.asyncio4j.proactor;

import java.util.Objects;
import org.asyncio4j.base.ChildWatcherEventLoopPolicy;

/**
 * A policy that hands out {@link ProactorEventLoop}s: the base policy with child watchers plus a loop factory,
 * as CPython's {@code WindowsProactorEventLoopPolicy} is its base policy with
 * {@code _loop_factory = ProactorEventLoop}.
 *
 * <p>One loop per thread, auto-created in the main thread; the child watcher is managed as
 * {@link ChildWatcherEventLoopPolicy} describes. The default watcher is the {@link org.asyncio4j.ChildWatcher}
 * service provider, which asyncio4j-impl declares as {@code SafeChildWatcher}: created on first use and
 * attached to the main thread's loop, re-attached by {@code setEventLoop} in the main thread. Choose a watcher
 * that needs no readiness callbacks (not {@code PidfdChildWatcher}).
 */
public class ProactorEventLoopPolicy extends ChildWatcherEventLoopPolicy {

    /** A policy whose loops are {@link ProactorEventLoop}s with the default number of I/O threads. */
    public ProactorEventLoopPolicy() {
        super(ProactorEventLoop::new);
    }

    @Override
    public String toString() {
        return "ProactorEventLoopPolicy[watcher=" + Objects.toString(currentChildWatcher(), "none") + "]";
    }
}
