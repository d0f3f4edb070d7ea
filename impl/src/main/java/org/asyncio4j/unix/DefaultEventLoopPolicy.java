package org.asyncio4j.unix;

import java.util.Objects;
import java.util.function.Supplier;
import org.asyncio4j.BaseDefaultEventLoopPolicy;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The Unix default policy: a {@link SelectorEventLoop} per thread, and the process's child watcher managed
 * as the CPython 3.7 policy documentation describes (POL-22..29):
 * <ul>
 *   <li>{@link #getChildWatcher()} creates a {@link SafeChildWatcher} on first use (one instance even under
 *       races) and, when called from the main thread, attaches it to the main thread's current loop;</li>
 *   <li>{@link #setEventLoop(EventLoop)} in the main thread re-attaches the held watcher to the new loop
 *       (null detaches it); in other threads it never touches the watcher;</li>
 *   <li>{@link #setChildWatcher(ChildWatcher)} closes the previous watcher and stores the new one without
 *       attaching it.</li>
 * </ul>
 * CPython 3.8+ moved the default to ThreadedChildWatcher and 3.12 to PidfdChildWatcher; pass either to
 * {@link #setChildWatcher} to choose it.
 */
public class DefaultEventLoopPolicy extends BaseDefaultEventLoopPolicy {
    private final Object watcherLock = new Object();
    private volatile ChildWatcher watcher;
    private volatile EventLoop mainThreadLoop;

    /** The Unix default: a {@link SelectorEventLoop} per thread. */
    public DefaultEventLoopPolicy() {
        this(SelectorEventLoop::new);
    }

    /**
     * This policy's watcher management for loops made by {@code loopFactory}: the seam another loop's policy
     * plugs into, as CPython's policies differ only in {@code _loop_factory}.
     *
     * @param loopFactory makes each new loop; not null, and it must not return null
     */
    public DefaultEventLoopPolicy(Supplier<? extends EventLoop> loopFactory) {
        super(loopFactory);
    }

    @Override
    public void setEventLoop(EventLoop loop) {
        super.setEventLoop(loop);
        if (isMainThread(Thread.currentThread())) {
            mainThreadLoop = loop;
            ChildWatcher w = watcher;
            if (w != null) {
                w.attachLoop(loop);
            }
        }
    }

    @Override
    public ChildWatcher getChildWatcher() {
        ChildWatcher w = watcher;
        if (w != null) {
            return w;
        }
        synchronized (watcherLock) {
            if (watcher == null) {
                SafeChildWatcher created = new SafeChildWatcher();
                if (isMainThread(Thread.currentThread())) {
                    created.attachLoop(mainThreadLoop);
                }
                watcher = created;
            }
            return watcher;
        }
    }

    @Override
    public void setChildWatcher(ChildWatcher newWatcher) {
        synchronized (watcherLock) {
            ChildWatcher old = watcher;
            if (old != null && old != newWatcher) {
                old.close();
            }
            watcher = newWatcher;
        }
    }

    /** {@return the held watcher without creating one, or null} */
    protected @Nullable ChildWatcher currentChildWatcher() {
        return watcher;
    }

    @Override
    public String toString() {
        return "DefaultEventLoopPolicy[watcher=" + Objects.toString(watcher, "none") + "]";
    }
}
