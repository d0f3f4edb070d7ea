package org.asyncio4j.unix;

import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildHandler;

import org.asyncio4j.ChildWatcher;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
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
 * <p>Unlike CPython's, it keeps the common contract (behaviors.md §11.7): a second registration for a
 * pid replaces the first, {@link #removeChildHandler} answers true once and then false, and a removed
 * handler is never called (the thread still reaps the child). {@link #close()} drops every registration;
 * waiting threads end when their children exit.
 */
public class ThreadedChildWatcher implements ChildWatcher {
    private static final SpawnScope NO_WINDOW = () -> { };

    private final ChildWaiter waiter;
    private final Object lock = new Object();
    private final Map<Long, LoopRegistration> registrations = new HashMap<>();
    private final Map<Long, Thread> waiting = new HashMap<>();

    /** A watcher that waits for each child on a thread of its own, through the system's libc. */
    public ThreadedChildWatcher() {
        this(ChildWaiter.system());
    }

    /** For tests: a watcher whose waitpid calls go through {@code waiter}. */
    ThreadedChildWatcher(ChildWaiter waiter) {
        this.waiter = Objects.requireNonNull(waiter, "waiter");
    }

    /**
     * Registers {@code handler} for {@code pid}, to be called on the loop running in this thread.
     *
     * @throws IllegalStateException "no running event loop" when no loop runs in the calling thread (THR-01)
     */
    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        SignalChildWatcher.checkPid(pid);
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = EventLoops.getRunningLoop();
        synchronized (lock) {
            registrations.put(pid, new LoopRegistration(loop, handler));
            if (!waiting.containsKey(pid)) {
                Thread t = new Thread(() -> waitFor(pid), "asyncio4j-waitpid-" + pid);
                t.setDaemon(true);
                waiting.put(pid, t);
                t.start();
            }
        }
    }

    private void waitFor(long pid) {
        int rc;
        try {
            long result = waiter.waitpid(pid, 0);
            rc = ReturnCodes.fromWaitStatus(WaitResult.status(result));
        } catch (PosixException e) {
            if (e.errno() != PosixException.ECHILD) {
                Loggers.LOG.log(Level.ERROR, "waitpid(" + pid + ") failed", e);
            }
            Loggers.LOG.log(Level.WARNING, "Unknown child process pid " + pid + ", will report returncode 255");
            rc = ReturnCodes.UNKNOWN;
        }
        LoopRegistration reg;
        synchronized (lock) {
            waiting.remove(pid);
            reg = registrations.remove(pid);
        }
        if (reg == null) {
            return; // removed or closed: nobody to tell
        }
        reg.deliver(pid, rc);
    }

    @Override
    public boolean removeChildHandler(long pid) {
        synchronized (lock) {
            return registrations.remove(pid) != null;
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
            registrations.clear();
        }
    }

    @Override
    public SpawnScope spawning() {
        return NO_WINDOW;
    }

    /** Threads still waiting for a child. */
    int waitingThreadCount() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ThreadedChildWatcher[registered=" + registrations.size() + ", waiting=" + waiting.size() + "]";
        }
    }
}
