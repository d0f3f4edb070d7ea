package org.asyncio4j.conformance.mutants;

import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.KitRun.Kit;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.asyncio4j.unix.SafeChildWatcher;

/** Policies that each break one policy rule; each is the reference policy with one behaviour altered. */
public final class PolicyMutants {
    private PolicyMutants() {}

    private static final String NO_LOOP = "There is no current event loop in thread '";

    @Breaks(rule = "POL-07", kit = Kit.POLICY, how = "getEventLoop returns null instead of raising",
            consequences = {"POL-11"})
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

    @Breaks(rule = "POL-09", kit = Kit.POLICY, how = "one current loop shared by every thread",
            consequences = {"POL-07", "POL-08", "POL-10", "POL-11", "POL-12", "POL-13", "POL-15", "POL-29"})
    public static final class SharedLoop extends DefaultEventLoopPolicy {
        private volatile EventLoop shared;

        @Override
        public void setEventLoop(EventLoop loop) {
            shared = loop;
        }

        @Override
        public EventLoop getEventLoop() {
            EventLoop l = shared;
            if (l == null) {
                throw new IllegalStateException(NO_LOOP + Thread.currentThread().getName() + "'.");
            }
            return l;
        }
    }

    @Breaks(rule = "POL-08", kit = Kit.POLICY, how = "newEventLoop also makes the new loop current",
            consequences = {"POL-27", "POL-29", "RACE-23"})
    public static final class NewLoopBecomesCurrent extends DefaultEventLoopPolicy {
        @Override
        public EventLoop newEventLoop() {
            EventLoop loop = super.newEventLoop();
            setEventLoop(loop);
            return loop;
        }
    }

    @Breaks(rule = "POL-10", kit = Kit.POLICY, how = "getEventLoop lags one setEventLoop behind",
            consequences = {"POL-07", "POL-08", "POL-09", "POL-11", "POL-12", "POL-13", "POL-15", "POL-29"})
    public static final class LaggingSet extends DefaultEventLoopPolicy {
        private final ThreadLocal<EventLoop> pending = new ThreadLocal<>();

        @Override
        public void setEventLoop(EventLoop loop) {
            super.setEventLoop(pending.get());
            pending.set(loop);
        }
    }

    @Breaks(rule = "POL-12", kit = Kit.POLICY, how = "every thread auto-creates a loop, not only the main thread",
            consequences = {"POL-28"})
    public static final class AutoCreatesEverywhere extends DefaultEventLoopPolicy {
        @Override
        protected boolean isMainThread(Thread thread) {
            return true;
        }
    }

    @Breaks(rule = "POL-13", kit = Kit.POLICY, how = "setEventLoop(null) is ignored",
            consequences = {"POL-07", "POL-08", "POL-09", "POL-10", "POL-11", "POL-12", "POL-15", "RACE-23"})
    public static final class IgnoresNullSet extends DefaultEventLoopPolicy {
        @Override
        public void setEventLoop(EventLoop loop) {
            if (loop != null) {
                super.setEventLoop(loop);
            }
        }
    }

    @Breaks(rule = "POL-15", kit = Kit.POLICY, how = "a closed current loop is replaced by a new one",
            consequences = {"POL-07", "POL-08", "POL-09", "POL-10", "POL-12", "POL-13"})
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

    @Breaks(rule = "POL-22", kit = Kit.POLICY, how = "getChildWatcher creates a new watcher on every call",
            consequences = {"POL-24"})
    public static final class FreshWatcherEachCall extends DefaultEventLoopPolicy {
        @Override
        public ChildWatcher getChildWatcher() {
            return new SafeChildWatcher();
        }
    }

    @Breaks(rule = "POL-24", kit = Kit.POLICY, how = "setChildWatcher does not close the replaced watcher",
            consequences = {"POL-29"})
    public static final class KeepsOldWatcherOpen extends DefaultEventLoopPolicy {
        private ChildWatcher watcher;

        @Override
        public synchronized ChildWatcher getChildWatcher() {
            if (watcher == null) {
                watcher = new SafeChildWatcher();
            }
            return watcher;
        }

        @Override
        public synchronized void setChildWatcher(ChildWatcher newWatcher) {
            watcher = newWatcher;
        }
    }

    @Breaks(rule = "POL-28", kit = Kit.POLICY, how = "setEventLoop attaches the watcher from any thread",
            consequences = {"POL-27", "POL-29", "RACE-23"})
    public static final class AttachesFromAnyThread extends DefaultEventLoopPolicy {
        @Override
        public void setEventLoop(EventLoop loop) {
            super.setEventLoop(loop);
            ChildWatcher w = currentChildWatcher();
            if (w != null) {
                w.attachLoop(loop);
            }
        }
    }

    @Breaks(rule = "POL-11", kit = Kit.POLICY, how = "treats no thread as the main thread, so nothing auto-creates a loop",
            consequences = {"POL-29"})
    public static final class NoMainThread extends DefaultEventLoopPolicy {
        @Override
        protected boolean isMainThread(Thread thread) {
            return false;
        }
    }

    @Breaks(rule = "POL-27", kit = Kit.POLICY, how = "setEventLoop in the main thread attaches the watcher before switching the loop",
            consequences = {"POL-29", "RACE-23"})
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
}
