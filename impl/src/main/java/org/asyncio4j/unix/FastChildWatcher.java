package org.asyncio4j.unix;

import org.asyncio4j.internal.posix.SystemErrors;
import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildHandler;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.WaitResult;

/**
 * On each SIGCHLD, {@code waitpid(-1, WNOHANG)} until nothing is left: one system call per exit plus one,
 * whatever the number of registered children (FAST-01..12).
 *
 * <p><b>O(1) in system calls, not in time.</b> Linux walks the caller's whole list of children inside each
 * {@code waitpid(-1)}, so the cost of one call still grows with the number of live children, with a much
 * smaller constant than {@link SafeChildWatcher}'s n calls (as {@code benchmarks/} measures). Only
 * {@link PidfdChildWatcher} is flat in both.
 *
 * <p><b>It reaps every child of the process</b>, including those of unrelated code: a
 * {@link java.lang.Process} started by the JDK loses its exit status ({@code waitFor()} then returns 0),
 * and its exit is logged as "Caught subprocess termination from unknown pid". Use it only where this
 * process starts children through asyncio4j alone (FAST-12, as CPython documents).
 *
 * <p>Spawn and register inside {@link #spawning()}: an exit reaped while a spawn window is open is kept
 * and delivered when its handler is added (FAST-03, FAST-07); {@link #addChildHandler} outside a window is
 * refused (FAST-06). Exits of children nobody registers are dropped with a warning once no window is open
 * (FAST-04, FAST-05).
 */
public class FastChildWatcher extends SignalChildWatcher {
    private final Map<Long, ChildHandler> handlers = new HashMap<>();
    private final Map<Long, Integer> zombies = new LinkedHashMap<>();
    private int forks;

    /** A watcher that reaps every child of the process, through the system's libc. */
    public FastChildWatcher() {
        this(ChildWaiter.system());
    }

    /** For tests: a watcher whose waitpid calls go through {@code waiter}. */
    FastChildWatcher(ChildWaiter waiter) {
        super(waiter);
    }

    @Override
    public SpawnScope spawning() {
        synchronized (lock) {
            forks++;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                leaveWindow();
            }
        };
    }

    private void leaveWindow() {
        Map<Long, Integer> unclaimed;
        synchronized (lock) {
            forks--;
            if (forks > 0 || zombies.isEmpty()) {
                return;
            }
            unclaimed = new LinkedHashMap<>(zombies);
            zombies.clear();
        }
        LOG.log(Level.WARNING, "Caught subprocesses termination from unknown pids: " + pythonDict(unclaimed));
    }

    /** {@code {593: 17, 594: -9}}: the buffer as CPython prints its dict in the warning (FAST-05). */
    private static String pythonDict(Map<Long, Integer> zombies) {
        StringBuilder text = new StringBuilder("{");
        zombies.forEach((pid, rc) -> text.append(text.length() > 1 ? ", " : "").append(pid).append(": ").append(rc));
        return text.append('}').toString();
    }

    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        Pids.check(pid);
        Objects.requireNonNull(handler, "handler");
        Integer rc;
        synchronized (lock) {
            if (forks == 0) {
                throw new IllegalStateException("Must use the context manager: call addChildHandler inside spawning()");
            }
            requireLoop();
            rc = zombies.remove(pid);
            if (rc == null) {
                handlers.put(pid, handler);
                return;
            }
        }
        handler.childExited(pid, rc); // synchronous; an exception reaches the caller (WCH-23)
    }

    @Override
    public boolean removeChildHandler(long pid) {
        synchronized (lock) {
            return handlers.remove(pid) != null;
        }
    }

    @Override
    void reapAll() {
        int registered;
        synchronized (lock) {
            registered = handlers.size();
        }
        int calls = 0;
        int reaped = 0;
        try {
            while (true) {
                long result;
                try {
                    calls++;
                    result = waiter.waitpid(-1, org.asyncio4j.internal.posix.Posix.WNOHANG);
                } catch (PosixException e) {
                    if (e.errno() == PosixException.ECHILD) {
                        return; // no children at all (FAST-01, RACE-02)
                    }
                    throw SystemErrors.illegalState("Cannot reap children", e);
                }
                long pid = WaitResult.pid(result);
                if (pid == 0) {
                    return; // children exist, none has exited
                }
                reaped++;
                reaped(pid, ReturnCodes.fromWaitStatus(WaitResult.status(result)));
            }
        } finally {
            synchronized (lock) {
                lastSweep.reset(registered);
                lastSweep.waitpidCalls = calls;
                lastSweep.exitsReaped = reaped;
            }
        }
    }

    /** One reaped child: delivered, buffered in a spawn window, or dropped with a warning (FAST-02..04). */
    private void reaped(long pid, int rc) {
        ChildHandler handler;
        boolean buffered = false;
        synchronized (lock) {
            handler = handlers.remove(pid);
            if (handler == null && forks > 0) {
                zombies.put(pid, rc);
                buffered = true;
            }
        }
        if (handler != null) {
            logExit("process", pid, rc);
            deliverFromSweep(handler, pid, rc);
        } else if (buffered) {
            logExit("unknown process", pid, rc);
        } else {
            LOG.log(Level.WARNING, "Caught subprocess termination from unknown pid: " + pid + " -> " + rc);
        }
    }

    @Override
    boolean hasRegistrations() {
        synchronized (lock) {
            return !handlers.isEmpty();
        }
    }

    @Override
    void clearRegistrations() {
        synchronized (lock) {
            handlers.clear();
            zombies.clear();
        }
    }

    /** Counts for tests: registered handlers and buffered zombies. */
    int registeredCount() {
        synchronized (lock) {
            return handlers.size();
        }
    }

    int zombieCount() {
        synchronized (lock) {
            return zombies.size();
        }
    }

    @Override
    public String toString() {
        return "FastChildWatcher[registered=" + registeredCount() + ", zombies=" + zombieCount() + ", loop=" + loop() + "]";
    }
}
