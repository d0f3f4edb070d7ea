package org.asyncio4j.base;

import java.util.Objects;
import java.util.function.Supplier;
import org.asyncio4j.BaseDefaultEventLoopPolicy;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BaseDefaultEventLoopPolicy} that also holds the process's child watcher, managed as the CPython 3.7
 * policy documentation describes for its Unix policy (POL-22..29), whichever loop the policy hands out:
 * <ul>
 *   <li>{@link #getChildWatcher()} creates the default watcher on first use (one instance even under races)
 *       and, when called from the main thread, attaches it to the main thread's current loop;</li>
 *   <li>{@link #setEventLoop(EventLoop)} in the main thread re-attaches the held watcher to the new loop
 *       (null detaches it); in other threads it never touches the watcher;</li>
 *   <li>{@link #setChildWatcher(ChildWatcher)} closes the previous watcher and stores the new one without
 *       attaching it.</li>
 * </ul>
 * A policy is this class plus a loop factory and a default watcher, as CPython's policies differ in
 * {@code _loop_factory}. Where the policy does not name its default watcher, the default is the
 * {@link ChildWatcher} service provider (asyncio4j-impl declares {@code org.asyncio4j.unix.SafeChildWatcher}),
 * so that a policy outside the Unix package names no watcher class.
 */
public abstract class ChildWatcherEventLoopPolicy extends BaseDefaultEventLoopPolicy {
    private final Supplier<? extends ChildWatcher> defaultWatcher;
    private final Object watcherLock = new Object();
    private volatile @Nullable ChildWatcher watcher;
    private volatile @Nullable EventLoop mainThreadLoop;

    /**
     * A policy whose loops come from {@code loopFactory} and whose default watcher is the {@link ChildWatcher}
     * service provider, looked up when the first watcher is created.
     *
     * @param loopFactory makes each new loop; not null, and it must not return null
     */
    protected ChildWatcherEventLoopPolicy(Supplier<? extends EventLoop> loopFactory) {
        this(loopFactory, DefaultChildWatcher::create);
    }

    /**
     * A policy whose loops come from {@code loopFactory} and whose first watcher comes from
     * {@code defaultWatcher}.
     *
     * @param loopFactory makes each new loop; not null, and it must not return null
     * @param defaultWatcher makes the watcher {@link #getChildWatcher()} creates on first use; not null
     */
    protected ChildWatcherEventLoopPolicy(Supplier<? extends EventLoop> loopFactory,
            Supplier<? extends ChildWatcher> defaultWatcher) {
        super(loopFactory);
        this.defaultWatcher = Objects.requireNonNull(defaultWatcher, "defaultWatcher");
    }

    @Override
    public void setEventLoop(@Nullable EventLoop loop) {
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
            w = watcher;
            if (w == null) {
                w = Objects.requireNonNull(defaultWatcher.get(), "the default watcher's factory returned null");
                if (isMainThread(Thread.currentThread())) {
                    w.attachLoop(mainThreadLoop);
                }
                watcher = w;
            }
            return w;
        }
    }

    @Override
    public void setChildWatcher(@Nullable ChildWatcher newWatcher) {
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
}
