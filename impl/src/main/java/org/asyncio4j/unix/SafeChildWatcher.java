package org.asyncio4j.unix;

import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildHandler;

import java.util.Arrays;
import java.util.Objects;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.internal.posix.WaitResult;

/**
 * On each SIGCHLD, {@code waitpid(pid, WNOHANG)} for every registered child: O(n) system calls per
 * signal for n registered children, and children it was not told about are never touched (SAFE-01..12).
 *
 * <p>{@link #addChildHandler} polls the child once right away, so a child that exited before it was
 * registered is reported synchronously and no fork window is needed (SAFE-05, SAFE-07). Needs a loop:
 * {@link #attachLoop} installs the SIGCHLD handler on it; exits are reported on that loop's thread.
 */
public class SafeChildWatcher extends SignalChildWatcher {
    private final PidTable<ChildHandler> handlers = new PidTable<>();
    /** Scan results, reused from sweep to sweep; guarded by lock. */
    private long[] exitedPids = new long[8];
    private long[] exitedResults = new long[8];

    /** A watcher that polls each registered child on SIGCHLD, through the system's libc. */
    public SafeChildWatcher() {
        this(ChildWaiter.system());
    }

    /** For tests: a watcher whose waitpid calls go through {@code waiter}. */
    SafeChildWatcher(ChildWaiter waiter) {
        super(waiter);
    }

    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        Pids.check(pid);
        Objects.requireNonNull(handler, "handler");
        ChildHandler exited;
        int rc = 0;
        synchronized (lock) {
            requireLoop();
            handlers.put(pid, handler);
            long result = waitOrEchild(pid);
            if (result != ECHILD_MARK && WaitResult.pid(result) == 0) {
                return;
            }
            exited = handlers.remove(pid);
            rc = exited == null ? 0 : returnCode(pid, result);
        }
        if (exited != null) {
            exited.childExited(pid, rc); // synchronous; an exception reaches the caller (WCH-23)
        }
    }

    @Override
    public boolean removeChildHandler(long pid) {
        synchronized (lock) {
            return handlers.remove(pid) != null;
        }
    }

    @Override
    void reapAll() {
        long[] pids;
        ChildHandler[] toCall;
        int[] codes;
        synchronized (lock) {
            int exited = 0;
            int n = handlers.size();
            lastSweep.reset(n);
            for (int i = 0; i < n; i++) {
                long pid = handlers.pidAt(i);
                lastSweep.waitpidCalls++;
                long result = waitOrEchild(pid);
                if (result == ECHILD_MARK || WaitResult.pid(result) != 0) {
                    if (exited == exitedPids.length) {
                        exitedPids = Arrays.copyOf(exitedPids, exited * 2);
                        exitedResults = Arrays.copyOf(exitedResults, exited * 2);
                    }
                    exitedPids[exited] = pid;
                    exitedResults[exited] = result;
                    exited++;
                    lastSweep.exitsReaped++;
                }
            }
            if (exited == 0) {
                return;
            }
            pids = Arrays.copyOf(exitedPids, exited);
            toCall = new ChildHandler[exited];
            codes = new int[exited];
            for (int i = 0; i < exited; i++) {
                toCall[i] = handlers.remove(pids[i]);
                codes[i] = returnCode(pids[i], exitedResults[i]);
            }
        }
        deliverAll(toCall, pids, codes);
    }

    @Override
    boolean hasRegistrations() {
        return handlers.size() > 0;
    }

    @Override
    void clearRegistrations() {
        synchronized (lock) {
            handlers.clear();
        }
    }

    @Override
    public SpawnScope spawning() {
        return NO_WINDOW;
    }

    private static final SpawnScope NO_WINDOW = () -> { };

    /** The number of registered children. */
    int registeredCount() {
        synchronized (lock) {
            return handlers.size();
        }
    }

    @Override
    public String toString() {
        return "SafeChildWatcher[registered=" + registeredCount() + ", loop=" + loop() + "]";
    }
}
