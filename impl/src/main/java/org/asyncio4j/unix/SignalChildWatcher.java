package org.asyncio4j.unix;

import org.asyncio4j.ChildHandler;

import org.asyncio4j.ChildWatcher;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.asyncio4j.EventLoop;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.ChildWaiter;

/**
 * What {@link SafeChildWatcher} and {@link FastChildWatcher} share (CPython's {@code BaseChildWatcher}):
 * SIGCHLD arrives as a signal handler of the attached loop, and each delivery runs one reap sweep on the
 * loop's thread (WCH-14..27).
 *
 * <p>{@link #attachLoop} installs the handler on the new loop before it touches the old one, so a refused
 * attach (a closed loop, say) leaves the watcher as it was; then it sweeps once, to catch exits that
 * happened while no loop listened (WCH-15, WCH-18, WCH-20). Exit callbacks run synchronously, inside the
 * sweep or inside {@code addChildHandler} (WCH-21). A callback that throws is reported to the loop's
 * exception handler as "Unknown exception in SIGCHLD handler" and the other exits of the sweep are still
 * delivered (CPython abandons the rest of the sweep until the next SIGCHLD; asyncio4j loses nothing).
 */
abstract class SignalChildWatcher implements ChildWatcher {
    static final System.Logger LOG = Loggers.LOG;

    final ChildWaiter waiter;
    /** Guards the registry and the loop field. Never held while a callback runs. */
    final Object lock = new Object();
    private volatile EventLoop loop;

    SignalChildWatcher(ChildWaiter waiter) {
        this.waiter = Objects.requireNonNull(waiter, "waiter");
    }

    @Override
    public void attachLoop(EventLoop newLoop) {
        boolean detachedWithPending = false;
        synchronized (lock) {
            EventLoop old = loop;
            if (newLoop != null) {
                if (old == newLoop) {
                    old.removeSignalHandler(Signals.SIGCHLD);
                }
                newLoop.addSignalHandler(Signals.SIGCHLD, () -> onSigchld(newLoop));
            }
            if (old != null && old != newLoop) {
                detachedWithPending = newLoop == null && hasRegistrations();
                old.removeSignalHandler(Signals.SIGCHLD);
            }
            loop = newLoop;
        }
        if (detachedWithPending) {
            Loggers.warn("RuntimeWarning", "A loop is being detached from a child watcher with pending handlers");
        }
        if (newLoop != null) {
            sweep();
        }
    }

    @Override
    public boolean isActive() {
        EventLoop l = loop;
        return l != null && l.isRunning();
    }

    /** CPython's words, then what to do about the usual misuse with this watcher. */
    @Override
    public String notActiveMessage(EventLoop loop) {
        return NotActivated.message(loop, this);
    }

    /** The attached loop, or null. */
    final EventLoop loop() {
        return loop;
    }

    final void requireLoop() {
        if (loop == null) {
            throw new IllegalStateException(
                    "Cannot add child handler, the child watcher does not have a loop attached");
        }
    }

    /**
     * The SIGCHLD handler, on the loop's thread. A delivery already queued when the watcher was closed or
     * moved to another loop runs no sweep: it would reap children that nobody is watching any more.
     */
    private void onSigchld(EventLoop from) {
        if (loop == from) {
            sweep();
        }
    }

    /** Counts of the last sweep (package-private hook for tests and benchmarks; also the JFR event's). */
    final SweepCounts lastSweep = new SweepCounts();

    /**
     * One reap pass; a failure of waitpid itself goes to the loop's exception handler (WCH-22). Commits a
     * {@link ChildWatcherSweepEvent} when a JFR recording enables it.
     */
    final void sweep() {
        ChildWatcherSweepEvent event = ChildWatcherSweepEvent.beginIfEnabled();
        try {
            reapAll();
        } catch (RuntimeException e) {
            reportSigchldError(e);
        } finally {
            if (event != null) {
                synchronized (lock) {
                    event.commit(this, lastSweep);
                }
            }
        }
    }

    /** Reaps what is ready and delivers it, keeping {@link #lastSweep} up to date. */
    abstract void reapAll();

    abstract boolean hasRegistrations();

    /** In debug mode, logs at DEBUG level that {@code what} ("process", "unknown process") {@code pid} exited (WCH-27). */
    final void logExit(String what, long pid, int returnCode) {
        EventLoop l = loop;
        if (l != null && l.getDebug()) {
            LOG.log(Level.DEBUG, what + " " + pid + " exited with returncode " + returnCode);
        }
    }

    /**
     * Calls the handlers of every child a sweep reaped. A {@link RuntimeException} is reported and the
     * sweep goes on (WCH-22); an {@link Error} does not stop the others either: it propagates once every
     * exit of the sweep was reported, so none is lost.
     */
    final void deliverAll(PidScan.Exits<ChildHandler> exits) {
        Error first = null;
        for (int i = 0; i < exits.size(); i++) {
            try {
                deliverFromSweep(exits.value(i), exits.pids[i], exits.codes[i]);
            } catch (Error e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Calls a handler from a sweep; an exception is reported and the sweep goes on (WCH-22). */
    final void deliverFromSweep(ChildHandler handler, long pid, int returnCode) {
        try {
            handler.childExited(pid, returnCode);
        } catch (RuntimeException e) {
            reportSigchldError(e);
        }
    }

    private void reportSigchldError(RuntimeException e) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", "Unknown exception in SIGCHLD handler");
        context.put("exception", e);
        EventLoop l = loop;
        if (l != null) {
            l.callExceptionHandler(context);
        } else {
            LOG.log(Level.ERROR, "Unknown exception in SIGCHLD handler", e);
        }
    }

    @Override
    public void close() {
        clearRegistrations();
        attachLoop(null);
    }

    /** Drops every registration (and, for Fast, the zombie buffer) before detaching (WCH-24). */
    abstract void clearRegistrations();
}
