package org.asyncio4j.unix;

import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildHandler;

import java.util.Objects;
import org.asyncio4j.internal.posix.ChildWaiter;

/**
 * On each SIGCHLD, {@code waitpid(pid, WNOHANG)} for every registered child: O(n) system calls per
 * signal for n registered children, and children it was not told about are never touched (SAFE-01..12).
 *
 * <p>{@link #addChildHandler} polls the child once right away, so a child that exited before it was
 * registered is reported synchronously and no fork window is needed (SAFE-05, SAFE-07). Needs a loop:
 * {@link #attachLoop} installs the SIGCHLD handler on it; exits are reported on that loop's thread.
 */
public class SafeChildWatcher extends SignalChildWatcher {
    private final PidScan<ChildHandler> scan;

    /** A watcher that polls each registered child on SIGCHLD, through the system's libc. */
    public SafeChildWatcher() {
        this(ChildWaiter.system());
    }

    /** For tests: a watcher whose waitpid calls go through {@code waiter}. */
    SafeChildWatcher(ChildWaiter waiter) {
        super(waiter);
        scan = new PidScan<>(waiter);
    }

    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        Pids.check(pid);
        Objects.requireNonNull(handler, "handler");
        int rc;
        synchronized (lock) {
            requireLoop();
            long result = scan.registerAndPoll(pid, handler);
            if (!PidScan.hasExited(result)) {
                return;
            }
            rc = returnCode(pid, result);
        }
        handler.childExited(pid, rc); // synchronous; an exception reaches the caller (WCH-23)
    }

    @Override
    public boolean removeChildHandler(long pid) {
        synchronized (lock) {
            return scan.remove(pid) != null;
        }
    }

    @Override
    void reapAll() {
        PidScan.Exits<ChildHandler> exits;
        synchronized (lock) {
            exits = scan.scan(lastSweep);
        }
        if (exits == null) {
            return;
        }
        for (int i = 0; i < exits.size(); i++) {
            if (!exits.lost[i]) {
                logExit("process", exits.pids[i], exits.codes[i]);
            }
        }
        deliverAll(exits);
    }

    /** The return code of a poll result, logged at DEBUG level in debug mode (WCH-27). */
    private int returnCode(long pid, long result) {
        int rc = PidScan.returnCode(pid, result);
        if (result != PidScan.ECHILD) {
            logExit("process", pid, rc);
        }
        return rc;
    }

    @Override
    boolean hasRegistrations() {
        return registeredCount() > 0;
    }

    @Override
    void clearRegistrations() {
        synchronized (lock) {
            scan.clear();
        }
    }

    @Override
    public SpawnScope spawning() {
        return SpawnWindows.NONE;
    }

    /** The number of registered children. */
    int registeredCount() {
        synchronized (lock) {
            return scan.size();
        }
    }

    @Override
    public String toString() {
        return "SafeChildWatcher[registered=" + registeredCount() + ", loop=" + loop() + "]";
    }
}
