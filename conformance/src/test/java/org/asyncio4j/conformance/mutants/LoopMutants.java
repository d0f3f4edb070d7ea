package org.asyncio4j.conformance.mutants;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.ExceptionHandler;
import org.asyncio4j.Handle;
import org.asyncio4j.TimerHandle;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.KitRun.Kit;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * Policies whose loops each break one loop or future rule: the reference {@link SelectorEventLoop} with one
 * behaviour altered. Loops reach the kit through {@code newEventLoop()}, as {@code Certify} binds them.
 */
public final class LoopMutants {
    private LoopMutants() {}

    /** A timer handle whose cancel reaches the real timer it stands for. */
    static final class LinkedTimer extends TimerHandle {
        private final TimerHandle real;

        LinkedTimer(double when, Runnable callback, EventLoop loop, TimerHandle real) {
            super(when, callback, loop);
            this.real = real;
        }

        @Override
        protected void onCancelled() {
            real.cancel();
        }
    }

    @Breaks(rule = "LOOP-23", kit = Kit.LOOP, how = "callSoon callbacks run last-in, first-out")
    public static final class LifoCallSoon extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new HoldingLoop() {
                @Override boolean holdsSoon() { return true; }
                @Override boolean holdsThreadsafe() { return false; }
                @Override boolean holdsTimers() { return false; }

                @Override
                void flush() {
                    for (int i = soon.size() - 1; i >= 0; i--) {
                        enqueue(soon.get(i));
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-24", kit = Kit.LOOP, how = "callSoonThreadsafe callbacks queue behind every callSoon callback")
    public static final class ThreadsafeQueuedLast extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new HoldingLoop() {
                @Override boolean holdsSoon() { return true; }
                @Override boolean holdsThreadsafe() { return true; }
                @Override boolean holdsTimers() { return false; }

                @Override
                void flush() {
                    soon.forEach(this::enqueue);
                    threadsafe.forEach(this::enqueue);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-27", kit = Kit.LOOP, how = "due timers run before the callbacks already ready")
    public static final class TimersBeforeReady extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new HoldingLoop() {
                @Override boolean holdsSoon() { return true; }
                @Override boolean holdsThreadsafe() { return true; }
                @Override boolean holdsTimers() { return true; }

                @Override
                void flush() {
                    List<TimerHandle> timers = new ArrayList<>(dueTimers);
                    timers.sort(Comparator.comparingDouble(TimerHandle::when));
                    timers.forEach(this::enqueue);
                    ready.forEach(this::enqueue);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-27", kit = Kit.LOOP, how = "due timers run in scheduling order, not in time order")
    public static final class TimersUnsorted extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new HoldingLoop() {
                @Override boolean holdsSoon() { return true; }
                @Override boolean holdsThreadsafe() { return true; }
                @Override boolean holdsTimers() { return true; }

                @Override
                void flush() {
                    ready.forEach(this::enqueue);
                    dueTimers.forEach(this::enqueue);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-32", kit = Kit.LOOP, how = "a callback scheduled by a running callback runs at once, in the same iteration")
    public static final class SameIterationChildren extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public Handle callSoon(Runnable callback) {
                    if (EventLoops.runningLoopOrNull() == this) { // on the loop's own thread only (LOOP-40 holds)
                        callback.run();
                        return new Handle(callback, this);
                    }
                    return super.callSoon(callback);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-33", kit = Kit.LOOP, how = "cancelling a timer handle does not cancel the timer")
    public static final class RunsCancelledTimers extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public TimerHandle callAt(double when, Runnable callback) {
                    super.callAt(when, callback);
                    return new TimerHandle(when, callback, this);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-29", kit = Kit.LOOP, how = "timers due at the same instant run newest first")
    public static final class TimerTiesReversed extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                private int scheduled;

                @Override
                public TimerHandle callAt(double when, Runnable callback) {
                    TimerHandle real = super.callAt(when - (++scheduled) * 1e-12, callback);
                    return new LinkedTimer(when, callback, this, real);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-25", kit = Kit.LOOP, how = "timers in the future run at the next iteration")
    public static final class EarlyTimers extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public TimerHandle callAt(double when, Runnable callback) {
                    TimerHandle real = super.callAt(Math.min(when, time()), callback);
                    return new LinkedTimer(when, callback, this, real);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-03", kit = Kit.LOOP, how = "stop() from a callback skips the rest of the iteration")
    public static final class StopCutsTheIterationShort extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                private boolean stopSeen;

                private Runnable deferrable(Runnable callback) {
                    return new Runnable() {
                        @Override
                        public void run() {
                            if (stopSeen) {
                                deferred(this);
                            } else {
                                callback.run();
                            }
                        }
                    };
                }

                private void deferred(Runnable r) {
                    super.callSoon(r);
                }

                @Override
                public Handle callSoon(Runnable callback) {
                    return super.callSoon(deferrable(callback));
                }

                @Override
                public TimerHandle callAt(double when, Runnable callback) {
                    return super.callAt(when, deferrable(callback));
                }

                @Override
                public void stop() {
                    if (isRunning()) {
                        stopSeen = true;
                    }
                    super.stop();
                }

                @Override
                public void runForever() {
                    stopSeen = false;
                    super.runForever();
                }
            };
        }
    }

    @Breaks(rule = "LOOP-05", kit = Kit.LOOP, how = "once stopped, every later runForever stops after one iteration")
    public static final class StickyStop extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                private boolean everStopped;

                @Override
                public void stop() {
                    everStopped = true;
                    super.stop();
                }

                @Override
                public void runForever() {
                    if (everStopped) {
                        super.stop();
                    }
                    super.runForever();
                }
            };
        }
    }

    @Breaks(rule = "LOOP-18", kit = Kit.LOOP, how = "callSoon on a closed loop is silently accepted")
    public static final class SilentWhenClosed extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public Handle callSoon(Runnable callback) {
                    return isClosed() ? new Handle(callback, this) : super.callSoon(callback);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-16", kit = Kit.LOOP, how = "close() of a running loop returns quietly")
    public static final class CloseWhileRunningIsQuiet extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void close() {
                    if (!isRunning()) {
                        super.close();
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-17", kit = Kit.LOOP, how = "a second close() throws")
    public static final class CloseTwiceThrows extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void close() {
                    if (isClosed()) {
                        throw new IllegalStateException("already closed");
                    }
                    super.close();
                }
            };
        }
    }

    @Breaks(rule = "LOOP-07", kit = Kit.LOOP, how = "runForever on a running loop returns quietly")
    public static final class NestedRunIsQuiet extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void runForever() {
                    if (!isRunning()) {
                        super.runForever();
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-47", kit = Kit.LOOP, how = "an exception escaping a callback is swallowed, not reported, unless in debug mode")
    public static final class SwallowsCallbackErrors extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public Handle callSoon(Runnable callback) {
                    return super.callSoon(() -> {
                        try {
                            callback.run();
                        } catch (RuntimeException swallowed) {
                            if (getDebug()) { // debug mode reports it, so that LOOP-44 holds
                                throw swallowed;
                            }
                        }
                    });
                }
            };
        }
    }

    @Breaks(rule = "LOOP-48", kit = Kit.LOOP, how = "setExceptionHandler(null) keeps the custom handler")
    public static final class KeepsHandlerOnNull extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void setExceptionHandler(ExceptionHandler handler) {
                    if (handler != null) {
                        super.setExceptionHandler(handler);
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-02", kit = Kit.LOOP, how = "isRunning() answers false to the loop's users; the loop's own checks see the truth")
    public static final class NeverRunning extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public boolean isRunning() {
                    // the loop's own checks (LOOP-07, LOOP-16) call isRunning() too: only they see the truth
                    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass()
                            .getPackageName().startsWith("org.asyncio4j.conformance") ? false : super.isRunning();
                }
            };
        }
    }

    @Breaks(rule = "LOOP-13", kit = Kit.LOOP, how = "runUntilComplete returns null when the loop stops first")
    public static final class StoppedEarlyReturnsNull extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> T runUntilComplete(AsyncFuture<T> future) {
                    try {
                        return super.runUntilComplete(future);
                    } catch (IllegalStateException stoppedFirst) {
                        if (!"Event loop stopped before Future completed.".equals(stoppedFirst.getMessage())) {
                            throw stoppedFirst;
                        }
                        return null;
                    }
                }
            };
        }
    }

    @Breaks(rule = "FUT-11", kit = Kit.LOOP, how = "done-callbacks run synchronously when the future completes on an open loop")
    public static final class SynchronousDoneCallbacks extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> AsyncFuture<T> createFuture() {
                    return new ForwardingFuture<T>(super.createFuture()) {
                        private final List<Consumer<? super AsyncFuture<T>>> callbacks = new ArrayList<>();

                        @Override
                        public void addDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                            if (done()) {
                                super.addDoneCallback(callback);
                            } else {
                                callbacks.add(callback);
                            }
                        }

                        @Override
                        public int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                            int before = callbacks.size();
                            callbacks.removeIf(c -> c == callback);
                            return before - callbacks.size();
                        }

                        private void runAll() {
                            List<Consumer<? super AsyncFuture<T>>> now = new ArrayList<>(callbacks);
                            callbacks.clear();
                            now.forEach(c -> c.accept(this));
                        }

                        /** On a closed loop the callbacks go back to the real future, which schedules them (FUT-17 holds). */
                        private void handBackIfClosed() {
                            if (getLoop().isClosed()) {
                                callbacks.forEach(super::addDoneCallback);
                                callbacks.clear();
                            }
                        }

                        @Override
                        public void setResult(T value) {
                            handBackIfClosed();
                            super.setResult(value);
                            runAll();
                        }

                        @Override
                        public void setException(Throwable exception) {
                            handBackIfClosed();
                            super.setException(exception);
                            runAll();
                        }

                        @Override
                        public boolean cancel() {
                            handBackIfClosed();
                            boolean cancelled = super.cancel();
                            if (cancelled) {
                                runAll();
                            }
                            return cancelled;
                        }

                        @Override
                        public boolean cancel(String message) {
                            handBackIfClosed();
                            boolean cancelled = super.cancel(message);
                            if (cancelled) {
                                runAll();
                            }
                            return cancelled;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "FUT-14", kit = Kit.LOOP, how = "removeDoneCallback reports at most one removal")
    public static final class RemoveCountsOne extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> AsyncFuture<T> createFuture() {
                    return new ForwardingFuture<T>(super.createFuture()) {
                        @Override
                        public int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                            return Math.min(1, super.removeDoneCallback(callback));
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "FUT-08", kit = Kit.LOOP, how = "cancel() of a done future answers true")
    public static final class CancelOfDoneSaysTrue extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> AsyncFuture<T> createFuture() {
                    return new ForwardingFuture<T>(super.createFuture()) {
                        @Override
                        public boolean cancel() {
                            super.cancel();
                            return true;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "LOOP-58", kit = Kit.LOOP, how = "a second addSignalHandler for a signal keeps the first handler")
    public static final class KeepsFirstSignalHandler extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                private final Set<Integer> installed = new HashSet<>();

                @Override
                public void addSignalHandler(int signum, Runnable callback) {
                    if (installed.add(signum)) {
                        super.addSignalHandler(signum, callback);
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-60", kit = Kit.LOOP, how = "removeSignalHandler always answers true")
    public static final class RemoveSignalAlwaysTrue extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public boolean removeSignalHandler(int signum) {
                    super.removeSignalHandler(signum);
                    return true;
                }
            };
        }
    }

    @Breaks(rule = "LOOP-57", kit = Kit.LOOP, how = "SIGKILL and SIGSTOP handlers are accepted silently")
    public static final class AcceptsUncatchableSignals extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void addSignalHandler(int signum, Runnable callback) {
                    if (signum != 9 && signum != 19) {
                        super.addSignalHandler(signum, callback);
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-08", kit = Kit.LOOP, how = "runs while another loop is running in the same thread")
    public static final class RunsInsideAnotherLoop extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void runForever() {
                    EventLoop other = EventLoops.runningLoopOrNull();
                    if (other == null || other == this) {
                        super.runForever();
                        return;
                    }
                    EventLoops.setRunningLoop(null);
                    try {
                        super.runForever();
                    } finally {
                        EventLoops.setRunningLoop(other);
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-09", kit = Kit.LOOP, how = "runForever of a closed loop returns quietly")
    public static final class ClosedLoopRunsQuietly extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void runForever() {
                    if (!isClosed()) {
                        super.runForever();
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-11", kit = Kit.LOOP, how = "runUntilComplete returns the result of a done future of another loop")
    public static final class AcceptsForeignFutures extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> T runUntilComplete(AsyncFuture<T> future) {
                    if (future.getLoop() != this && future.done()) {
                        return future.result();
                    }
                    return super.runUntilComplete(future);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-14", kit = Kit.LOOP, how = "runUntilComplete stops the loop from a done-callback that outlives the run")
    public static final class StaleStopAfterAnError extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> T runUntilComplete(AsyncFuture<T> future) {
                    future.addDoneCallback(f -> stop());
                    return super.runUntilComplete(future);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-15", kit = Kit.LOOP, how = "an Error from a callback goes to the exception handler like an exception")
    public static final class SwallowsErrors extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public Handle callSoon(Runnable callback) {
                    return super.callSoon(() -> {
                        try {
                            callback.run();
                        } catch (Error e) {
                            Map<String, Object> context = new HashMap<>();
                            context.put("message", "Exception in callback " + callback);
                            context.put("exception", e);
                            callExceptionHandler(context);
                        }
                    });
                }
            };
        }
    }

    @Breaks(rule = "LOOP-43", kit = Kit.LOOP, how = "its slow-callback threshold is so high that nothing is ever logged as slow")
    public static final class NeverSlow extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            SelectorEventLoop loop = new SelectorEventLoop();
            loop.setSlowCallbackDuration(1e9);
            return loop;
        }
    }

    @Breaks(rule = "LOOP-50", kit = Kit.LOOP, how = "the default exception handler logs nothing")
    public static final class SilentDefaultHandler extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void defaultExceptionHandler(Map<String, Object> context) {
                    // dropped
                }
            };
        }
    }

    @Breaks(rule = "FUT-10", kit = Kit.LOOP, how = "cancel(message) drops the message")
    public static final class CancelDropsTheMessage extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> AsyncFuture<T> createFuture() {
                    return new ForwardingFuture<T>(super.createFuture()) {
                        @Override
                        public boolean cancel(String message) {
                            return cancel();
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "LOOP-38", kit = Kit.LOOP, how = "a callSoonThreadsafe that meets another thread's call in progress is dropped")
    public static final class DropsContendedThreadsafeCalls extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                private final ReentrantLock inProgress = new ReentrantLock();

                @Override
                public Handle callSoonThreadsafe(Runnable callback) {
                    if (!inProgress.tryLock()) {
                        return new Handle(callback, this);
                    }
                    try {
                        return super.callSoonThreadsafe(callback);
                    } finally {
                        inProgress.unlock();
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-12", kit = Kit.LOOP, how = "runUntilComplete of a cancelled future, or one failed with a checked exception, returns null")
    public static final class QuietAboutCancelledAndCheckedFailures extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> T runUntilComplete(AsyncFuture<T> future) {
                    try {
                        return super.runUntilComplete(future);
                    } catch (CancellationException | CompletionException quiet) {
                        return null;
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-04", kit = Kit.LOOP, how = "stop() before runForever is ignored: the loop runs until a callback stops it")
    public static final class IgnoresStopBeforeRun extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void stop() {
                    if (isRunning()) {
                        super.stop();
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-47", kit = Kit.LOOP, how = "an exception from a callback stops the loop and escapes runForever")
    public static final class LetsCallbackErrorsEscape extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                private RuntimeException escaped;

                @Override
                public Handle callSoon(Runnable callback) {
                    return super.callSoon(() -> {
                        try {
                            callback.run();
                        } catch (RuntimeException e) {
                            escaped = e;
                            super.stop();
                        }
                    });
                }

                @Override
                public void runForever() {
                    super.runForever();
                    RuntimeException e = escaped;
                    escaped = null;
                    if (e != null) {
                        throw e;
                    }
                }
            };
        }
    }

    @Breaks(rule = "FUT-15", kit = Kit.LOOP, how = "a done-callback removed after the future completed is skipped although already scheduled")
    public static final class SkipsCallbacksRemovedWhileScheduled extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> AsyncFuture<T> createFuture() {
                    return new ForwardingFuture<T>(super.createFuture()) {
                        private final Map<Object, Consumer<AsyncFuture<T>>> wrappers = new IdentityHashMap<>();
                        private final Set<Object> removed = Collections.newSetFromMap(new IdentityHashMap<>());

                        @Override
                        public void addDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                            removed.remove(callback);
                            delegate.addDoneCallback(wrappers.computeIfAbsent(callback, c -> f -> {
                                if (!removed.contains(c)) {
                                    callback.accept(this);
                                }
                            }));
                        }

                        @Override
                        public int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                            removed.add(callback);
                            Consumer<AsyncFuture<T>> w = wrappers.get(callback);
                            return w == null ? 0 : delegate.removeDoneCallback(w);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "LOOP-40", kit = Kit.LOOP, how = "in debug mode callSoon from another thread is accepted as if it were callSoonThreadsafe")
    public static final class NoThreadCheckInDebugMode extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public Handle callSoon(Runnable callback) {
                    if (isRunning() && EventLoops.runningLoopOrNull() != this) {
                        return super.callSoonThreadsafe(callback);
                    }
                    return super.callSoon(callback);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-44", kit = Kit.LOOP, how = "handles created in debug mode do not show their creation stack")
    public static final class NoSourceTraceback extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public Handle callSoon(Runnable callback) {
                    Handle real = super.callSoon(callback);
                    if (!getDebug()) {
                        return real;
                    }
                    return new Handle(callback, this) {
                        @Override
                        public Throwable sourceTraceback() {
                            return null;
                        }

                        @Override
                        public void cancel() {
                            real.cancel();
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "LOOP-53", kit = Kit.LOOP, how = "an Error thrown by the custom exception handler is swallowed")
    public static final class SwallowsErrorsOfTheHandler extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void callExceptionHandler(Map<String, Object> context) {
                    try {
                        super.callExceptionHandler(context);
                    } catch (Error swallowed) {
                        if (swallowed instanceof AssertionError) {
                            throw swallowed; // the kit's own checks
                        }
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-42", kit = Kit.LOOP, how = "once debug mode is on, setDebug(false) is ignored")
    public static final class StickyDebug extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void setDebug(boolean enabled) {
                    if (enabled || !getDebug()) {
                        super.setDebug(enabled);
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-45", kit = Kit.LOOP, how = "runInExecutor(null, fn) runs fn at once on the calling thread")
    public static final class RunsExecutorWorkInline extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> AsyncFuture<T> runInExecutor(Executor executor, Callable<T> fn) {
                    if (executor != null || isClosed()) {
                        return super.runInExecutor(executor, fn);
                    }
                    AsyncFuture<T> future = createFuture();
                    try {
                        future.setResult(fn.call());
                    } catch (Exception e) {
                        future.setException(e);
                    }
                    return future;
                }
            };
        }
    }

    @Breaks(rule = "LOOP-49", kit = Kit.LOOP, how = "the custom exception handler receives a copy of the context")
    public static final class CopiesTheContext extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void callExceptionHandler(Map<String, Object> context) {
                    super.callExceptionHandler(getExceptionHandler() == null ? context : new HashMap<>(context));
                }
            };
        }
    }

    @Breaks(rule = "LOOP-51", kit = Kit.LOOP, how = "an exception from the custom exception handler escapes callExceptionHandler")
    public static final class LetsHandlerExceptionsOut extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void callExceptionHandler(Map<String, Object> context) {
                    ExceptionHandler handler = getExceptionHandler();
                    if (handler == null) {
                        super.callExceptionHandler(context);
                    } else {
                        handler.handle(this, context);
                    }
                }
            };
        }
    }

    @Breaks(rule = "LOOP-55", kit = Kit.LOOP, how = "addSignalHandler ignores signal numbers out of range instead of raising",
            claims = Capability.SIGNALS)
    public static final class IgnoresInvalidSignalNumbers extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void addSignalHandler(int signum, Runnable callback) {
                    if (signum > 0 && signum < 65) {
                        super.addSignalHandler(signum, callback);
                    }
                }
            };
        }
    }

    /** A reference policy whose loops hand out futures that {@link #future} alters. */
    abstract static class FuturePolicy extends DefaultEventLoopPolicy {
        abstract <T> AsyncFuture<T> future(AsyncFuture<T> real);

        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> AsyncFuture<T> createFuture() {
                    return future(super.createFuture());
                }
            };
        }
    }

    @Breaks(rule = "FUT-01", kit = Kit.LOOP, how = "a pending future says it is cancelled")
    public static final class PendingSaysCancelled extends FuturePolicy {
        @Override
        <T> AsyncFuture<T> future(AsyncFuture<T> real) {
            return new ForwardingFuture<T>(real) {
                @Override
                public boolean cancelled() {
                    return !done() || super.cancelled();
                }
            };
        }
    }

    @Breaks(rule = "FUT-03", kit = Kit.LOOP, how = "result() of a pending future returns null")
    public static final class PendingResultIsNull extends FuturePolicy {
        @Override
        <T> AsyncFuture<T> future(AsyncFuture<T> real) {
            return new ForwardingFuture<T>(real) {
                @Override
                public T result() {
                    return done() ? super.result() : null;
                }
            };
        }
    }

    @Breaks(rule = "FUT-04", kit = Kit.LOOP, how = "exception() of a future finished with a result is not null")
    public static final class ResultWithAnException extends FuturePolicy {
        @Override
        <T> AsyncFuture<T> future(AsyncFuture<T> real) {
            return new ForwardingFuture<T>(real) {
                @Override
                public Throwable exception() {
                    Throwable e = super.exception();
                    return e == null && done() ? new IllegalStateException("mutant: no exception") : e;
                }
            };
        }
    }

    @Breaks(rule = "FUT-07", kit = Kit.LOOP, how = "setResult and setException on a done future are ignored")
    public static final class SecondCompletionIgnored extends FuturePolicy {
        @Override
        <T> AsyncFuture<T> future(AsyncFuture<T> real) {
            return new ForwardingFuture<T>(real) {
                @Override
                public void setResult(T value) {
                    if (!done()) {
                        super.setResult(value);
                    }
                }

                @Override
                public void setException(Throwable exception) {
                    if (!done()) {
                        super.setException(exception);
                    }
                }
            };
        }
    }

    @Breaks(rule = "FUT-09", kit = Kit.LOOP, how = "exception() of a cancelled future returns null")
    public static final class CancelledHasNoException extends FuturePolicy {
        @Override
        <T> AsyncFuture<T> future(AsyncFuture<T> real) {
            return new ForwardingFuture<T>(real) {
                @Override
                public Throwable exception() {
                    return cancelled() ? null : super.exception();
                }
            };
        }
    }

    @Breaks(rule = "FUT-12", kit = Kit.LOOP, how = "addDoneCallback on a done future calls the callback at once")
    public static final class DoneFutureCallsAtOnce extends FuturePolicy {
        @Override
        <T> AsyncFuture<T> future(AsyncFuture<T> real) {
            return new ForwardingFuture<T>(real) {
                @Override
                public void addDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                    if (done()) {
                        callback.accept(this);
                    } else {
                        super.addDoneCallback(callback);
                    }
                }
            };
        }
    }

    @Breaks(rule = "FUT-13", kit = Kit.LOOP, how = "a done-callback receives the future's inner future, not the future")
    public static final class CallbackSeesTheInnerFuture extends FuturePolicy {
        @Override
        <T> AsyncFuture<T> future(AsyncFuture<T> real) {
            return new ForwardingFuture<T>(real) {
                @Override
                public void addDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                    delegate.addDoneCallback(callback);
                }

                @Override
                public int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                    return delegate.removeDoneCallback(callback);
                }
            };
        }
    }

    @Breaks(rule = "FUT-17", kit = Kit.LOOP, how = "completing a future with callbacks on a closed loop raises before changing the state")
    public static final class ClosedLoopLeavesThePending extends FuturePolicy {
        @Override
        <T> AsyncFuture<T> future(AsyncFuture<T> real) {
            return new ForwardingFuture<T>(real) {
                private final AtomicInteger callbacks = new AtomicInteger();

                @Override
                public void addDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                    super.addDoneCallback(callback);
                    callbacks.incrementAndGet();
                }

                @Override
                public int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
                    int removed = super.removeDoneCallback(callback);
                    callbacks.addAndGet(-removed);
                    return removed;
                }

                @Override
                public void setResult(T value) {
                    if (callbacks.get() > 0 && getLoop().isClosed()) {
                        throw new IllegalStateException("Event loop is closed");
                    }
                    super.setResult(value);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-01", kit = Kit.LOOP, how = "a new loop's getDebug() answers true until setDebug is called")
    public static final class DebugOnByDefault extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                private volatile boolean set;

                @Override
                public boolean getDebug() {
                    return !set || super.getDebug();
                }

                @Override
                public void setDebug(boolean enabled) {
                    set = true;
                    super.setDebug(enabled);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-26", kit = Kit.LOOP, how = "callAt(when) runs the timer at when but its handle's when() says half a second later")
    public static final class CallAtReportsAnotherWhen extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public TimerHandle callLater(double delaySeconds, Runnable callback) {
                    if (Double.isNaN(delaySeconds)) {
                        return super.callLater(delaySeconds, callback); // refused as the reference does
                    }
                    return super.callAt(time() + delaySeconds, callback); // callLater keeps LOOP-25
                }

                @Override
                public TimerHandle callAt(double when, Runnable callback) {
                    TimerHandle real = super.callAt(when, callback);
                    return new LinkedTimer(when + 0.5, callback, this, real);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-35", kit = Kit.LOOP, how = "the third time() in a row on an idle loop, with nothing scheduled between, reads a second earlier")
    public static final class TimeGoesBack extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                private int inARow;

                @Override
                public double time() {
                    double now = super.time();
                    if (isRunning()) {
                        return now; // the loop's own readings, and those of other threads while it runs, stay true
                    }
                    return ++inARow >= 3 ? now - 1.0 : now;
                }

                @Override
                public Handle callSoon(Runnable callback) {
                    inARow = 0;
                    return super.callSoon(callback);
                }

                @Override
                public TimerHandle callLater(double delaySeconds, Runnable callback) {
                    inARow = 0;
                    return super.callLater(delaySeconds, callback);
                }

                @Override
                public TimerHandle callAt(double when, Runnable callback) {
                    inARow = 0;
                    return super.callAt(when, callback);
                }
            };
        }
    }

    @Breaks(rule = "LOOP-54", kit = Kit.LOOP, how = "the context of a failing callback also carries an undocumented 'callback' key")
    public static final class UndocumentedContextKey extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public void callExceptionHandler(Map<String, Object> context) {
                    if (context.get("handle") instanceof Handle handle && !context.containsKey("callback")) {
                        Map<String, Object> more = new HashMap<>(context);
                        more.put("callback", handle.toString());
                        super.callExceptionHandler(more);
                        return;
                    }
                    super.callExceptionHandler(context);
                }
            };
        }
    }

    @Breaks(rule = "FUT-05", kit = Kit.LOOP, how = "exception() of a future finished by setException returns a wrapper, not the exception")
    public static final class ExceptionWrapsTheException extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> AsyncFuture<T> createFuture() {
                    return new ForwardingFuture<T>(super.createFuture()) {
                        @Override
                        public Throwable exception() {
                            Throwable e = super.exception();
                            return e == null ? null : new CompletionException(e);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "LOOP-59", kit = Kit.LOOP, how = "a delivered signal's handler waits until something else wakes the loop",
            claims = Capability.SIGNALS)
    public static final class SignalsDoNotWakeTheLoop extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                /** Handlers of delivered signals, held until the next callSoonThreadsafe wakes the loop. */
                private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();

                @Override
                public void addSignalHandler(int signum, Runnable callback) {
                    super.addSignalHandler(signum, () -> held.add(callback));
                }

                @Override
                public Handle callSoonThreadsafe(Runnable callback) {
                    for (Runnable h; (h = held.poll()) != null; ) {
                        super.callSoonThreadsafe(h);
                    }
                    return super.callSoonThreadsafe(callback);
                }
            };
        }
    }
}
