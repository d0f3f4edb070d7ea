package org.asyncio4j.conformance.mutants;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.KitRun.Kit;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.asyncio4j.unix.SafeChildWatcher;

/**
 * Policies that each break one policy rule; each is the reference policy with one behaviour altered. A mutant
 * of a per-thread rule breaks it in worker threads only: the main thread keeps the reference behaviour, whose
 * own rules (POL-11, POL-27, POL-29, RACE-23) are someone else's to break.
 */
public final class PolicyMutants {
    private PolicyMutants() {}

    private static final String NO_LOOP = "There is no current event loop in thread '";

    @Breaks(rule = "POL-07", kit = Kit.POLICY, how = "getEventLoop returns null instead of raising")
    public static final class GetReturnsNull extends DefaultEventLoopPolicy {
        @Override
        public EventLoop getEventLoop() {
            try {
                return super.getEventLoop();
            } catch (IllegalStateException none) {
                return null;
            }
        }
    }

    @Breaks(rule = "POL-09", kit = Kit.POLICY, how = "one current loop shared by every worker thread")
    public static final class SharedLoop extends DefaultEventLoopPolicy {
        private volatile EventLoop shared;

        @Override
        public void setEventLoop(EventLoop loop) {
            if (isMainThread(Thread.currentThread())) {
                super.setEventLoop(loop);
            } else {
                shared = loop;
            }
        }

        @Override
        public EventLoop getEventLoop() {
            if (isMainThread(Thread.currentThread())) {
                return super.getEventLoop();
            }
            EventLoop l = shared;
            if (l == null) {
                throw new IllegalStateException(NO_LOOP + Thread.currentThread().getName() + "'.");
            }
            return l;
        }
    }

    @Breaks(rule = "POL-08", kit = Kit.POLICY, how = "newEventLoop in a worker thread also makes the new loop current")
    public static final class NewLoopBecomesCurrent extends DefaultEventLoopPolicy {
        @Override
        public EventLoop newEventLoop() {
            EventLoop loop = super.newEventLoop();
            if (!isMainThread(Thread.currentThread())) {
                setEventLoop(loop);
            }
            return loop;
        }
    }

    @Breaks(rule = "POL-10", kit = Kit.POLICY, how = "getEventLoop in a worker thread lags one setEventLoop behind")
    public static final class LaggingSet extends DefaultEventLoopPolicy {
        private final ThreadLocal<EventLoop> pending = new ThreadLocal<>();

        @Override
        public void setEventLoop(EventLoop loop) {
            if (isMainThread(Thread.currentThread())) {
                super.setEventLoop(loop);
                return;
            }
            super.setEventLoop(pending.get());
            pending.set(loop);
        }
    }

    @Breaks(rule = "POL-12", kit = Kit.POLICY, how = "every thread auto-creates a loop on its first getEventLoop, not only the main thread")
    public static final class AutoCreatesEverywhere extends DefaultEventLoopPolicy {
        private final ThreadLocal<Boolean> setHere = ThreadLocal.withInitial(() -> false);

        @Override
        public void setEventLoop(EventLoop loop) {
            setHere.set(true);
            super.setEventLoop(loop);
        }

        @Override
        public EventLoop getEventLoop() {
            if (!setHere.get()) {
                try {
                    return super.getEventLoop();
                } catch (IllegalStateException none) {
                    setEventLoop(newEventLoop()); // a worker thread: the watcher is not attached (POL-28 holds)
                }
            }
            return super.getEventLoop();
        }
    }

    @Breaks(rule = "POL-13", kit = Kit.POLICY, how = "setEventLoop(null) in a worker thread is ignored")
    public static final class IgnoresNullSet extends DefaultEventLoopPolicy {
        @Override
        public void setEventLoop(EventLoop loop) {
            if (loop != null || isMainThread(Thread.currentThread())) {
                super.setEventLoop(loop);
            }
        }
    }

    @Breaks(rule = "POL-15", kit = Kit.POLICY, how = "a closed current loop is replaced by a new one")
    public static final class ReplacesClosedLoop extends DefaultEventLoopPolicy {
        @Override
        public EventLoop getEventLoop() {
            EventLoop loop = super.getEventLoop();
            if (loop.isClosed()) {
                EventLoop fresh = newEventLoop();
                setEventLoop(fresh);
                return fresh;
            }
            return loop;
        }
    }

    @Breaks(rule = "POL-22", kit = Kit.POLICY, how = "getChildWatcher creates a new default watcher on every call until one is set")
    public static final class FreshWatcherEachCall extends DefaultEventLoopPolicy {
        private volatile boolean set;

        @Override
        public void setChildWatcher(ChildWatcher watcher) {
            set = watcher != null;
            super.setChildWatcher(watcher);
        }

        @Override
        public ChildWatcher getChildWatcher() {
            return set ? super.getChildWatcher() : new SafeChildWatcher();
        }
    }

    @Breaks(rule = "POL-24", kit = Kit.POLICY, how = "setChildWatcher does not close the replaced watcher")
    public static final class KeepsOldWatcherOpen extends DefaultEventLoopPolicy {
        private final ThreadLocal<Boolean> replacing = ThreadLocal.withInitial(() -> false);

        @Override
        public void setChildWatcher(ChildWatcher newWatcher) {
            replacing.set(true);
            try {
                super.setChildWatcher(newWatcher == null ? null : new ForwardingWatcher(newWatcher) {
                    @Override
                    public void close() {
                        if (!replacing.get()) {
                            super.close();
                        }
                    }
                });
            } finally {
                replacing.set(false);
            }
        }

        @Override
        public ChildWatcher getChildWatcher() {
            ChildWatcher w = super.getChildWatcher();
            return w instanceof ForwardingWatcher ? ((ForwardingWatcher) w).delegate : w;
        }
    }

    @Breaks(rule = "POL-28", kit = Kit.POLICY, how = "setEventLoop attaches the watcher from worker threads too")
    public static final class AttachesFromAnyThread extends DefaultEventLoopPolicy {
        @Override
        public void setEventLoop(EventLoop loop) {
            super.setEventLoop(loop);
            ChildWatcher w = currentChildWatcher();
            if (w != null && !isMainThread(Thread.currentThread())) {
                w.attachLoop(loop);
            }
        }
    }

    @Breaks(rule = "POL-11", kit = Kit.POLICY, how = "treats no thread as the main thread, so nothing auto-creates a loop")
    public static final class NoMainThread extends DefaultEventLoopPolicy {
        @Override
        protected boolean isMainThread(Thread thread) {
            return false;
        }
    }

    @Breaks(rule = "POL-27", kit = Kit.POLICY, how = "setEventLoop in the main thread attaches the watcher before switching the loop")
    public static final class AttachesBeforeSwitching extends DefaultEventLoopPolicy {
        @Override
        public void setEventLoop(EventLoop loop) {
            ChildWatcher w = currentChildWatcher();
            if (w != null && loop != null && isMainThread(Thread.currentThread())) {
                w.attachLoop(loop);
            }
            super.setEventLoop(loop);
        }
    }

    /**
     * A default policy whose held watcher ignores the attachLoop calls {@link #ignores} picks: the policy
     * makes them as the reference does, the watcher behaves as though they were never made.
     */
    abstract static class IgnoringAttachPolicy extends DefaultEventLoopPolicy {
        final ThreadLocal<Boolean> autoCreating = ThreadLocal.withInitial(() -> false);

        abstract boolean ignores(EventLoop loop);

        @Override
        public EventLoop getEventLoop() {
            autoCreating.set(true);
            try {
                return super.getEventLoop();
            } finally {
                autoCreating.set(false);
            }
        }

        @Override
        public void setChildWatcher(ChildWatcher watcher) {
            super.setChildWatcher(watcher == null ? null : new ForwardingWatcher(watcher) {
                @Override
                public void attachLoop(EventLoop loop) {
                    if (!ignores(loop)) {
                        super.attachLoop(loop);
                    }
                }
            });
        }

        @Override
        public ChildWatcher getChildWatcher() {
            ChildWatcher w = super.getChildWatcher();
            return w instanceof ForwardingWatcher ? ((ForwardingWatcher) w).delegate : w;
        }
    }

    @Breaks(rule = "POL-29", kit = Kit.POLICY, how = "the main thread's auto-created loop is not attached to the held watcher")
    public static final class AutoCreationSkipsTheWatcher extends IgnoringAttachPolicy {
        @Override
        boolean ignores(EventLoop loop) {
            return autoCreating.get();
        }
    }

    @Breaks(rule = "RACE-23", kit = Kit.POLICY, how = "setEventLoop(null) in the main thread leaves the held watcher attached")
    public static final class NullSetKeepsTheWatcherAttached extends IgnoringAttachPolicy {
        @Override
        boolean ignores(EventLoop loop) {
            return loop == null;
        }
    }

    @Breaks(rule = "POL-25", kit = Kit.POLICY, how = "after setChildWatcher(null), getChildWatcher returns the closed watcher again")
    public static final class KeepsTheClosedWatcher extends DefaultEventLoopPolicy {
        private volatile ChildWatcher closed;

        @Override
        public void setChildWatcher(ChildWatcher newWatcher) {
            closed = newWatcher == null ? currentChildWatcher() : null;
            super.setChildWatcher(newWatcher);
        }

        @Override
        public ChildWatcher getChildWatcher() {
            ChildWatcher w = closed;
            return w != null ? w : super.getChildWatcher();
        }
    }
}
