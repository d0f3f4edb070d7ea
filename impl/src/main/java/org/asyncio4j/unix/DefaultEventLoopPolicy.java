package org.asyncio4j.unix;

import java.util.Objects;
import java.util.function.Supplier;
import org.asyncio4j.EventLoop;
import org.asyncio4j.base.ChildWatcherEventLoopPolicy;

/**
 * The Unix default policy: a {@link SelectorEventLoop} per thread, and the process's child watcher managed as
 * {@link ChildWatcherEventLoopPolicy} describes (POL-22..29), with a {@link SafeChildWatcher} created on first
 * use, the default that the CPython 3.7 policy documentation names. CPython 3.8+ moved the default to
 * ThreadedChildWatcher and 3.12 to PidfdChildWatcher; pass either to {@link #setChildWatcher} to choose it.
 */
public class DefaultEventLoopPolicy extends ChildWatcherEventLoopPolicy {

    /** The Unix default: a {@link SelectorEventLoop} per thread. */
    public DefaultEventLoopPolicy() {
        this(SelectorEventLoop::new);
    }

    /**
     * This policy's watcher management, with a {@link SafeChildWatcher} by default, for loops made by
     * {@code loopFactory}.
     *
     * @param loopFactory makes each new loop; not null, and it must not return null
     */
    public DefaultEventLoopPolicy(Supplier<? extends EventLoop> loopFactory) {
        super(loopFactory, SafeChildWatcher::new);
    }

    @Override
    public String toString() {
        return "DefaultEventLoopPolicy[watcher=" + Objects.toString(currentChildWatcher(), "none") + "]";
    }
}
