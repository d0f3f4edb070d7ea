package org.asyncio4j.conformance.mutants;

import java.util.HashSet;
import java.util.function.Predicate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.Children;
import org.asyncio4j.conformance.KitRun.Kit;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.asyncio4j.unix.FastChildWatcher;
import org.asyncio4j.unix.MultiLoopChildWatcher;
import org.asyncio4j.unix.PidfdChildWatcher;
import org.asyncio4j.unix.SafeChildWatcher;
import org.asyncio4j.unix.ThreadedChildWatcher;

/**
 * Policies whose child watchers each break one watcher rule: a reference watcher behind a forwarding
 * wrapper with one behaviour altered. Watchers reach the kit through {@code getChildWatcher()}, as
 * {@code Certify} binds them; each mutant claims the capabilities of the watcher it wraps.
 */
public final class WatcherMutants {
    private WatcherMutants() {}

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    /** A policy whose getChildWatcher returns a new watcher made by {@link #watcher()}. */
    abstract static class WatcherPolicy extends DefaultEventLoopPolicy {
        abstract ChildWatcher watcher();

        @Override
        public ChildWatcher getChildWatcher() {
            return watcher();
        }
    }

    @Breaks(rule = "WCH-08", kit = Kit.WATCHER, how = "reports the raw wait status instead of the return code",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class RawWaitStatus extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    return (p, rc) -> handler.childExited(p, rc >= 0 ? rc << 8 : -rc);
                }
            };
        }
    }

    @Breaks(rule = "WCH-08", kit = Kit.WATCHER, how = "reports death by signal N as +N",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class SignalSignFlipped extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new ThreadedChildWatcher()) {
                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    return (p, rc) -> handler.childExited(p, Math.abs(rc));
                }
            };
        }
    }

    @Breaks(rule = "WCH-01", kit = Kit.WATCHER, how = "calls every handler twice",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class CallsTwice extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    return (p, rc) -> {
                        handler.childExited(p, rc);
                        handler.childExited(p, rc);
                    };
                }
            };
        }
    }

    @Breaks(rule = "WCH-01", kit = Kit.WATCHER,
            how = "loses every second exit of a child that still ran when it was registered and has not moved to another loop since",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS},
            consequences = "RACE-11",
            because = "of two exits that share one SIGCHLD it loses one, which RACE-11 (one sweep reports both) forbids by definition")
    public static final class DropsEverySecondExit extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            AtomicInteger exits = new AtomicInteger();
            AtomicInteger attaches = new AtomicInteger();
            Children probe = new Children();
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                public void attachLoop(EventLoop loop) {
                    attaches.incrementAndGet();
                    super.attachLoop(loop);
                }

                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    // an exit before the registration (RACE-01) and a move to another loop (WCH-16) are other rules' business
                    boolean ranWhenRegistered = !probe.isZombie(pid);
                    int attachedAt = attaches.get();
                    return (p, rc) -> {
                        if (!ranWhenRegistered || attaches.get() != attachedAt || exits.incrementAndGet() % 2 != 0) {
                            handler.childExited(p, rc);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "RACE-01", kit = Kit.WATCHER,
            how = "forgets children that exited before their registration, until the next attachLoop re-registers them",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class ForgetsEarlyExits extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            Children probe = new Children();
            java.util.Map<Long, ChildHandler> forgotten = new java.util.concurrent.ConcurrentHashMap<>();
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    if (probe.isZombie(pid)) {
                        forgotten.put(pid, handler);
                    } else {
                        forgotten.remove(pid);
                        super.addChildHandler(pid, handler);
                    }
                }

                @Override
                public boolean removeChildHandler(long pid) {
                    return forgotten.remove(pid) != null | super.removeChildHandler(pid);
                }

                @Override
                public void attachLoop(EventLoop loop) {
                    super.attachLoop(loop);
                    if (loop != null) { // registrations survive attachLoop (WCH-16 holds): the forgotten ones come back
                        forgotten.forEach((pid, handler) -> super.addChildHandler(pid, handler));
                        forgotten.clear();
                    }
                }
            };
        }
    }

    @Breaks(rule = "WCH-10", kit = Kit.WATCHER, how = "reports exits from /proc and never collects them: zombies stay",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class NeverReaps extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new NeverReapingWatcher();
        }
    }

    @Breaks(rule = "WCH-03", kit = Kit.WATCHER, how = "removeChildHandler answers true even with nothing to remove",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class RemoveAlwaysTrue extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                public boolean removeChildHandler(long pid) {
                    super.removeChildHandler(pid);
                    return true;
                }
            };
        }
    }

    @Breaks(rule = "WCH-03", kit = Kit.WATCHER, how = "a removed handler is still called when its child exits",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class CallsRemovedHandlers extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            Set<Long> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();
            return new ForwardingWatcher(new ThreadedChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    super.addChildHandler(pid, handler);
                    registered.add(pid); // only once the registration was accepted (THR-01 holds)
                }

                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    return (p, rc) -> {
                        registered.remove(p);
                        handler.childExited(p, rc);
                    };
                }

                @Override
                public boolean removeChildHandler(long pid) {
                    return registered.remove(pid); // answers like the reference, but the handler stays registered
                }
            };
        }
    }

    @Breaks(rule = "WCH-02", kit = Kit.WATCHER, how = "a second addChildHandler for a pid is ignored",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class ReplacingKeepsTheFirst extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            Set<Long> known = ConcurrentHashMap.newKeySet();
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    if (known.add(pid)) {
                        super.addChildHandler(pid, handler);
                    }
                }
            };
        }
    }

    @Breaks(rule = "WCH-05", kit = Kit.WATCHER, how = "close() keeps the registrations, which are still reported",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class ReportsAfterClose extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new ThreadedChildWatcher()) {
                @Override
                public void close() {
                    // the mutation: nothing is dropped
                }
            };
        }
    }

    @Breaks(rule = "WCH-06", kit = Kit.WATCHER, how = "isActive() is always false",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class NeverActive extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new MultiLoopChildWatcher()) {
                @Override
                public boolean isActive() {
                    return false;
                }
            };
        }
    }

    @Breaks(rule = "SAFE-06", kit = Kit.WATCHER, how = "also collects every exited child nobody registered after each report",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class StealsOtherChildren extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return stealing(new SafeChildWatcher());
        }
    }

    @Breaks(rule = "THR-02", kit = Kit.WATCHER, how = "Threaded: also collects every exited child nobody registered after each report",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class ThreadedStealsOtherChildren extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return stealing(new ThreadedChildWatcher());
        }
    }

    @Breaks(rule = "MLW-06", kit = Kit.WATCHER, how = "MultiLoop: also collects every exited child nobody registered after each report",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class MultiLoopStealsOtherChildren extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return stealing(new MultiLoopChildWatcher());
        }
    }

    @Breaks(rule = "PFD-08", kit = Kit.WATCHER, how = "Pidfd: also collects every exited child nobody registered after each report",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.DROPS_REGISTRATIONS_ON_ATTACH})
    public static final class PidfdStealsOtherChildren extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return stealing(new PidfdChildWatcher());
        }
    }

    /** {@code reference}, except that after each report it also collects every exited child nobody registered with it. */
    static ChildWatcher stealing(ChildWatcher reference) {
        Set<Long> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Children probe = new Children();
        return new ForwardingWatcher(reference) {
            @Override
            public void addChildHandler(long pid, ChildHandler handler) {
                registered.add(pid);
                super.addChildHandler(pid, handler);
            }

            @Override
            ChildHandler wrap(long pid, ChildHandler handler) {
                return (p, rc) -> {
                    handler.childExited(p, rc);
                    // the registered children's statuses stay the watcher's own (WCH-08 holds)
                    for (long child : childrenOfThisProcess()) {
                        if (!registered.contains(child) && probe.isZombie(child)) {
                            POSIX.waitpid(child, new int[1], 1);
                        }
                    }
                };
            }
        };
    }

    /** The pids of this process's children, from /proc/self/task/TID/children. */
    static Set<Long> childrenOfThisProcess() {
        Set<Long> pids = new HashSet<>();
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks) {
                try {
                    for (String pid : java.nio.file.Files.readString(task.resolve("children")).trim().split("\\s+")) {
                        if (!pid.isEmpty()) {
                            pids.add(Long.parseLong(pid));
                        }
                    }
                } catch (java.io.IOException threadEnded) {
                    // the thread ended while we listed it
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    @Breaks(rule = "WCH-16", kit = Kit.WATCHER, how = "attachLoop drops the registrations, though it claims to keep them",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class DropsRegistrationsOnAttach extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            Set<Long> pids = ConcurrentHashMap.newKeySet();
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    pids.add(pid);
                    super.addChildHandler(pid, handler);
                }

                @Override
                public void attachLoop(EventLoop loop) {
                    for (long pid : pids) {
                        super.removeChildHandler(pid);
                    }
                    pids.clear();
                    super.attachLoop(loop);
                }
            };
        }
    }

    @Breaks(rule = "WCH-26", kit = Kit.WATCHER, how = "addChildHandler with no loop attached is silently ignored",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class AcceptsWithoutLoop extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                private volatile boolean attached;

                @Override
                public void attachLoop(EventLoop loop) {
                    attached = loop != null;
                    super.attachLoop(loop);
                }

                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    if (attached) {
                        super.addChildHandler(pid, handler);
                    }
                }
            };
        }
    }

    @Breaks(rule = "FAST-06", kit = Kit.WATCHER, how = "addChildHandler outside spawning() opens its own window",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.NEEDS_SPAWNING_WINDOW, Capability.REAPS_EVERY_CHILD})
    public static final class NoSpawningWindowCheck extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new FastChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    try (org.asyncio4j.SpawnScope window = super.spawning()) {
                        super.addChildHandler(pid, handler);
                    }
                }
            };
        }
    }

    @Breaks(rule = "THR-01", kit = Kit.WATCHER, how = "addChildHandler without a running loop is silently ignored",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class IgnoresMissingRunningLoop extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new ThreadedChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    try {
                        super.addChildHandler(pid, handler);
                    } catch (IllegalStateException noRunningLoop) {
                        // the mutation
                    }
                }
            };
        }
    }

    @Breaks(rule = "WCH-22", kit = Kit.WATCHER, how = "re-throws a failing handler's exception from a loop callback instead of the sweep",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS})
    public static final class DefersHandlerErrors extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                private volatile EventLoop loop;

                @Override
                public void attachLoop(EventLoop newLoop) {
                    loop = newLoop;
                    super.attachLoop(newLoop);
                }

                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    return (p, rc) -> {
                        try {
                            handler.childExited(p, rc);
                        } catch (RuntimeException e) {
                            loop.callSoonThreadsafe(() -> {
                                throw e;
                            });
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "WCH-23", kit = Kit.WATCHER, how = "swallows what a handler called during addChildHandler throws",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.DELIVERS_EXITED_CHILD_ON_REGISTRATION})
    public static final class SwallowsRegistrationErrors extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    boolean[] handlerThrew = {false};
                    try {
                        delegate.addChildHandler(pid, (p, rc) -> {
                            handlerThrew[0] = true;
                            handler.childExited(p, rc);
                            handlerThrew[0] = false;
                        });
                    } catch (RuntimeException e) {
                        if (!handlerThrew[0]) { // the watcher's own refusals still propagate (WCH-26 holds)
                            throw e;
                        }
                    }
                }
            };
        }
    }

    @Breaks(rule = "WCH-17", kit = Kit.WATCHER, how = "silently forgets its registrations before a detach, so it never warns",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.REFERENCE_LOG_TEXTS})
    public static final class ForgetsBeforeDetaching extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            Set<Long> registered = ConcurrentHashMap.newKeySet();
            return new ForwardingWatcher(new SafeChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    registered.add(pid);
                    super.addChildHandler(pid, handler);
                }

                @Override
                public void attachLoop(EventLoop loop) {
                    if (loop == null) {
                        registered.forEach(delegate::removeChildHandler);
                        registered.clear();
                    }
                    super.attachLoop(loop);
                }
            };
        }
    }

    @Breaks(rule = "WCH-25", kit = Kit.WATCHER, how = "isActive() is true as soon as a loop is attached, running or not",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class ActiveWhenAttached extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                private volatile boolean attached;

                @Override
                public void attachLoop(EventLoop loop) {
                    attached = loop != null;
                    super.attachLoop(loop);
                }

                @Override
                public boolean isActive() {
                    return attached || super.isActive();
                }
            };
        }
    }

    @Breaks(rule = "PFD-06", kit = Kit.WATCHER, how = "claims that attachLoop drops the registrations, but keeps them",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.DROPS_REGISTRATIONS_ON_ATTACH})
    public static final class KeepsRegistrationsOnAttach extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()); // a class of its own: no reference traits are inferred
        }
    }

    /** A reference watcher that never logs the texts {@code silenced} matches. */
    static ChildWatcher silencing(ChildWatcher reference, Predicate<String> silenced) {
        SilencedLog log = new SilencedLog(silenced);
        return new ForwardingWatcher(reference) {
            @Override
            public void close() {
                try {
                    super.close();
                } finally {
                    log.close();
                }
            }
        };
    }

    @Breaks(rule = "THR-04", kit = Kit.WATCHER, how = "drops the exit of a child whose loop is closed without the warning",
            claims = {Capability.NEEDS_RUNNING_LOOP_TO_REGISTER, Capability.REFERENCE_LOG_TEXTS})
    public static final class DropsClosedLoopExitsSilently extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return silencing(new ThreadedChildWatcher(), text -> text.startsWith("Loop ") && text.contains(" that handles pid "));
        }
    }

    @Breaks(rule = "FAST-04", kit = Kit.WATCHER, how = "collects children nobody registered without the warning",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.NEEDS_SPAWNING_WINDOW,
                    Capability.REAPS_EVERY_CHILD, Capability.REFERENCE_LOG_TEXTS, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS})
    public static final class ReapsStrangersSilently extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return silencing(new FastChildWatcher(), text -> text.startsWith("Caught subprocess termination from unknown pid"));
        }
    }

    @Breaks(rule = "WCH-27", kit = Kit.WATCHER, how = "logs nothing about reaped children in debug mode",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.REFERENCE_LOG_TEXTS,
                    Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.DELIVERS_EXITED_CHILD_ON_REGISTRATION})
    public static final class QuietInDebugMode extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return silencing(new SafeChildWatcher(), text -> text.startsWith("process ") && text.contains(" exited with returncode "));
        }
    }

    @Breaks(rule = "WCH-22", kit = Kit.WATCHER, how = "stops delivering after a handler failed",
            claims = {Capability.NEEDS_RUNNING_LOOP_TO_REGISTER, Capability.REFERENCE_LOG_TEXTS})
    public static final class StallsAfterAFailingHandler extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new ThreadedChildWatcher()) {
                private volatile boolean stalled;

                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    return (p, rc) -> {
                        if (stalled) {
                            return;
                        }
                        try {
                            handler.childExited(p, rc);
                        } catch (RuntimeException e) {
                            stalled = true;
                            throw e;
                        }
                    };
                }
            };
        }
    }
    @Breaks(rule = "MLW-05", kit = Kit.WATCHER, how = "MultiLoop: addChildHandler without a running loop is silently ignored",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class MultiLoopIgnoresMissingRunningLoop extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new MultiLoopChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    try {
                        super.addChildHandler(pid, handler);
                    } catch (IllegalStateException noRunningLoop) {
                        // the mutation
                    }
                }
            };
        }
    }

    @Breaks(rule = "MLW-07", kit = Kit.WATCHER, how = "MultiLoop: drops the exit of a child whose loop is closed without the warning",
            claims = {Capability.NEEDS_RUNNING_LOOP_TO_REGISTER, Capability.REFERENCE_LOG_TEXTS})
    public static final class MultiLoopDropsClosedLoopExitsSilently extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return silencing(new MultiLoopChildWatcher(), text -> text.startsWith("Loop ") && text.contains(" that handles pid "));
        }
    }

    @Breaks(rule = "PFD-02", kit = Kit.WATCHER, how = "Pidfd: isActive() is true as soon as a loop is attached, running or not",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.DROPS_REGISTRATIONS_ON_ATTACH})
    public static final class PidfdActiveWhenAttached extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new PidfdChildWatcher()) {
                private volatile boolean attached;

                @Override
                public void attachLoop(EventLoop loop) {
                    attached = loop != null;
                    super.attachLoop(loop);
                }

                @Override
                public boolean isActive() {
                    return attached || super.isActive();
                }
            };
        }
    }

    @Breaks(rule = "PFD-03", kit = Kit.WATCHER, how = "Pidfd: addChildHandler with no loop attached is silently ignored",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.DROPS_REGISTRATIONS_ON_ATTACH})
    public static final class PidfdAcceptsWithoutLoop extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new PidfdChildWatcher()) {
                private volatile boolean attached;

                @Override
                public void attachLoop(EventLoop loop) {
                    attached = loop != null;
                    super.attachLoop(loop);
                }

                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    if (attached) {
                        super.addChildHandler(pid, handler);
                    }
                }
            };
        }
    }

    @Breaks(rule = "RACE-08", kit = Kit.WATCHER, how = "Safe: after a handler failed inside a sweep, later exits are never reported",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS})
    public static final class SweepStallsAfterAFailingHandler extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                private volatile boolean stalled;

                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    return (p, rc) -> {
                        if (stalled) {
                            return;
                        }
                        try {
                            handler.childExited(p, rc);
                        } catch (RuntimeException e) {
                            stalled = true;
                            throw e;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "FAST-12", kit = Kit.WATCHER,
            how = "a watcher declared to reap every child (as Fast) that collects only the children registered with it",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.REAPS_EVERY_CHILD})
    public static final class ReapsOnlyRegisteredChildren extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()); // a class of its own: no reference traits are inferred
        }
    }
    @Breaks(rule = "RACE-19", kit = Kit.WATCHER,
            how = "Threaded: after the warning that a child's loop is closed, calls its handler anyway (from the waiting thread)",
            claims = Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    public static final class CallsClosedLoopHandlers extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            java.util.Map<Long, ChildHandler> handlers = new ConcurrentHashMap<>();
            java.util.regex.Pattern closedLoop = java.util.regex.Pattern.compile("Loop .* that handles pid (\\d+) is closed");
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.asyncio4j");
            java.util.logging.Handler deliverAnyway = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord record) {
                    java.util.regex.Matcher m = record.getMessage() == null ? null : closedLoop.matcher(record.getMessage());
                    if (m != null && m.matches()) {
                        ChildHandler h = handlers.remove(Long.parseLong(m.group(1)));
                        if (h != null) {
                            h.childExited(Long.parseLong(m.group(1)), 255); // the mutation: the dropped callback runs
                        }
                    }
                }

                @Override public void flush() {}
                @Override public void close() {}
            };
            logger.addHandler(deliverAnyway);
            return new ForwardingWatcher(new ThreadedChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    handlers.put(pid, handler);
                    super.addChildHandler(pid, handler);
                }

                @Override
                public boolean removeChildHandler(long pid) {
                    handlers.remove(pid);
                    return super.removeChildHandler(pid);
                }

                @Override
                public void close() {
                    try {
                        super.close();
                    } finally {
                        logger.removeHandler(deliverAnyway);
                    }
                }
            };
        }
    }

    @Breaks(rule = "PFD-07", kit = Kit.WATCHER, how = "Pidfd: close() silently drops pending registrations before it detaches, so it never warns",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS, Capability.DROPS_REGISTRATIONS_ON_ATTACH,
                    Capability.REFERENCE_LOG_TEXTS, Capability.CLOSE_IS_DETACH})
    public static final class PidfdForgetsBeforeClosing extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            Set<Long> registered = ConcurrentHashMap.newKeySet();
            return new ForwardingWatcher(new PidfdChildWatcher()) {
                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    super.addChildHandler(pid, handler);
                    registered.add(pid);
                }

                @Override
                public void close() {
                    registered.forEach(delegate::removeChildHandler);
                    registered.clear();
                    super.close();
                }
            };
        }
    }

    @Breaks(rule = "RACE-11", kit = Kit.WATCHER, how = "Safe: a sweep reports only the first of the exits it finds and forgets the others",
            claims = {Capability.NEEDS_ATTACHED_LOOP, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS},
            consequences = {"WCH-01", "WCH-16"},
            because = "a forgotten exit is a child never reported, WCH-01 by definition; the storm and the random sequences"
                    + " report it as WCH-01 when their exits happen to share a sweep, and the attach-loop property as WCH-16"
                    + " when its two exits do (more often since SIGCHLD is dispatched from one native-path thread, which"
                    + " coalesces deliveries)")
    public static final class SweepReportsOneExit extends WatcherPolicy {
        @Override
        ChildWatcher watcher() {
            return new ForwardingWatcher(new SafeChildWatcher()) {
                private volatile EventLoop loop;
                private volatile boolean registering;
                private volatile boolean reportedInThisSweep;

                @Override
                public void attachLoop(EventLoop newLoop) {
                    loop = newLoop;
                    super.attachLoop(newLoop);
                }

                @Override
                public void addChildHandler(long pid, ChildHandler handler) {
                    registering = true;
                    try {
                        super.addChildHandler(pid, handler);
                    } finally {
                        registering = false;
                    }
                }

                @Override
                ChildHandler wrap(long pid, ChildHandler handler) {
                    return (p, rc) -> {
                        if (registering) { // a child that had exited before its registration: no sweep (RACE-01 holds)
                            handler.childExited(p, rc);
                            return;
                        }
                        if (reportedInThisSweep) {
                            return; // the mutation
                        }
                        reportedInThisSweep = true;
                        loop.callSoon(() -> reportedInThisSweep = false); // runs after the sweep, the loop callback now running
                        handler.childExited(p, rc);
                    };
                }
            };
        }
    }
}
