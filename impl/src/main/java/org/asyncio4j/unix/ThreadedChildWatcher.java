package org.asyncio4j.unix;

import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildHandler;

import org.asyncio4j.ChildWatcher;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.WaitResult;

/**
 * A daemon thread per child, blocked in {@code waitpid(pid, 0)} and named {@code asyncio4j-waitpid-<pid>}:
 * no signals, no loop to attach, loops in any thread (THR-01..09). The exit is delivered with
 * {@code callSoonThreadsafe} on the loop that was running where {@link #addChildHandler} was called.
 *
 * <p>Unlike CPython's, it keeps the common contract (WCH-02 in conformance/RULES.md): a second registration for a
 * pid replaces the first, {@link #removeChildHandler} answers true once and then false, and a removed
 * handler is never called (the thread still reaps the child). {@link #close()} drops every registration;
 * waiting threads end when their children exit.
 */
public class ThreadedChildWatcher implements ChildWatcher {
    private final ChildWaiter waiter;
    private final LongUnaryOperator startTimes;
    private final Object lock = new Object();
    /** The waiter of the child that now has each pid. Guarded by lock. */
    private final Map<Long, Waiter> current = new HashMap<>();
    /** Every waiter whose thread has not finished, including those of pids reused since. Guarded by lock. */
    private final Set<Waiter> live = new HashSet<>();

    /** One child and its waiting thread; its registration is guarded by lock, null once removed. */
    private static final class Waiter {
        final long pid;
        final long startTime;
        LoopRegistration registration;

        Waiter(long pid, long startTime, LoopRegistration registration) {
            this.pid = pid;
            this.startTime = startTime;
            this.registration = registration;
        }

        /** Whether a registration of a process started at {@code startTime} is for this waiter's child. */
        boolean sameChild(long otherStartTime) {
            return startTime == StartTimes.UNKNOWN || otherStartTime == StartTimes.UNKNOWN || startTime == otherStartTime;
        }
    }

    /** A watcher that waits for each child on a thread of its own, through the system's libc. */
    public ThreadedChildWatcher() {
        this(ChildWaiter.system(), StartTimes::of);
    }

    /** For tests: a watcher whose waitpid calls go through {@code waiter}. */
    ThreadedChildWatcher(ChildWaiter waiter) {
        this(waiter, StartTimes::of);
    }

    /**
     * For tests: also where start times come from ({@link StartTimes#UNKNOWN} when unknown), to replay a pid
     * reused between a waiter's {@code waitpid} and its bookkeeping.
     */
    ThreadedChildWatcher(ChildWaiter waiter, LongUnaryOperator startTimes) {
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.startTimes = Objects.requireNonNull(startTimes, "startTimes");
    }

    /**
     * Registers {@code handler} for {@code pid}, to be called on the loop running in this thread. A second
     * registration for the same child replaces the first; a registration for a new child that reuses the pid
     * of one whose waiter has reaped it but not yet reported it (told apart by their start times) gets a waiter
     * of its own, and the old child's exit still goes to the old handler.
     *
     * @throws IllegalStateException "no running event loop" when no loop runs in the calling thread (THR-01)
     */
    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        Pids.check(pid);
        Objects.requireNonNull(handler, "handler");
        LoopRegistration registration = new LoopRegistration(EventLoops.getRunningLoop(), handler);
        long startTime = startTimes.applyAsLong(pid);
        synchronized (lock) {
            Waiter existing = current.get(pid);
            if (existing != null && existing.sameChild(startTime)) {
                existing.registration = registration;
                return;
            }
            Waiter w = new Waiter(pid, startTime, registration);
            current.put(pid, w);
            live.add(w);
            Thread t = new Thread(() -> waitFor(w), "asyncio4j-waitpid-" + pid);
            t.setDaemon(true);
            t.start();
        }
    }

    private void waitFor(Waiter w) {
        long pid = w.pid;
        int rc;
        try {
            long result = waiter.waitpid(pid, 0);
            rc = ReturnCodes.fromWaitStatus(WaitResult.status(result));
        } catch (PosixException e) {
            if (e.errno() != PosixException.ECHILD) {
                Loggers.LOG.log(Level.ERROR, "waitpid(" + pid + ") failed", e);
            }
            rc = ReturnCodes.unknownChild(pid);
        }
        LoopRegistration reg;
        synchronized (lock) {
            current.remove(pid, w);
            live.remove(w);
            reg = w.registration;
            w.registration = null;
        }
        if (reg == null) {
            return; // removed or closed: nobody to tell
        }
        reg.deliver(pid, rc);
    }

    @Override
    public boolean removeChildHandler(long pid) {
        synchronized (lock) {
            Waiter w = current.get(pid);
            if (w == null || w.registration == null) {
                return false;
            }
            w.registration = null;
            return true;
        }
    }

    /** Does nothing: each registration carries its own loop (THR-05). */
    @Override
    public void attachLoop(EventLoop loop) {}

    /** Always true (THR-05). */
    @Override
    public boolean isActive() {
        return true;
    }

    @Override
    public void close() {
        synchronized (lock) {
            for (Waiter w : live) {
                w.registration = null;
            }
        }
    }

    @Override
    public SpawnScope spawning() {
        return SpawnWindows.NONE;
    }

    /** Threads still waiting for a child. */
    int waitingThreadCount() {
        synchronized (lock) {
            return live.size();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            long registered = live.stream().filter(w -> w.registration != null).count();
            return "ThreadedChildWatcher[registered=" + registered + ", waiting=" + live.size() + "]";
        }
    }
}
