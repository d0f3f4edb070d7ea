package org.asyncio4j.unix;

import org.asyncio4j.internal.posix.SystemErrors;
import java.util.Arrays;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.WaitResult;

/**
 * The reaping of {@link SafeChildWatcher} and {@link MultiLoopChildWatcher}: {@code waitpid(pid, WNOHANG)} for
 * every registered child, O(n) system calls per sweep, and children it was not told about are never touched
 * (SAFE-01, MLW-03). It holds the registrations ({@code V} is what the owner delivers to). Not thread-safe:
 * the owning watcher's lock guards it; delivering is the owner's business.
 */
final class PidScan<V> {
    /** A {@link #poll} result: the status was collected by someone else (ECHILD). */
    static final long ECHILD = -1L;

    private final ChildWaiter waiter;
    private final PidTable<V> registered = new PidTable<>();
    /** The pids and results of the exits a scan finds, reused from scan to scan. */
    private long[] exitedPids = new long[8];
    private long[] exitedResults = new long[8];

    PidScan(ChildWaiter waiter) {
        this.waiter = waiter;
    }

    /**
     * Registers {@code value} for {@code pid} (replacing any) and polls the child once, so that one which
     * exited before it was registered is found at once (SAFE-05, MLW-05). If it has exited, the registration
     * is removed again and the result returned tells how ({@link #hasExited}).
     */
    long registerAndPoll(long pid, V value) {
        registered.put(pid, value);
        long result = poll(pid);
        if (hasExited(result)) {
            registered.remove(pid);
        }
        return result;
    }

    /** Whether a {@link #poll} result reports an exit (or a status collected elsewhere). */
    static boolean hasExited(long result) {
        return result == ECHILD || WaitResult.pid(result) != 0;
    }

    /**
     * The children one sweep reaped, with what they were registered with and their return codes; read after
     * the scan, delivered by the owner outside its lock.
     */
    static final class Exits<V> {
        final long[] pids;
        final int[] codes;
        /** Whether each status was collected elsewhere (ECHILD): its code is 255 and it was not reaped here. */
        final boolean[] lost;
        private final Object[] values;

        private Exits(int n) {
            pids = new long[n];
            codes = new int[n];
            lost = new boolean[n];
            values = new Object[n];
        }

        int size() {
            return pids.length;
        }

        /** What the {@code i}-th child was registered with. */
        @SuppressWarnings("unchecked")
        V value(int i) {
            return (V) values[i];
        }
    }

    /**
     * One sweep: polls every registered child, deregisters those that exited and returns them, or null when
     * none did (a sweep that finds nothing allocates nothing). {@code counts} receives the system calls made
     * and the exits found.
     */
    Exits<V> scan(SweepCounts counts) {
        int n = registered.size();
        counts.reset(n);
        int exited = 0;
        for (int i = 0; i < n; i++) {
            long pid = registered.pidAt(i);
            counts.waitpidCalls++;
            long result = poll(pid);
            if (hasExited(result)) {
                if (exited == exitedPids.length) {
                    exitedPids = Arrays.copyOf(exitedPids, exited * 2);
                    exitedResults = Arrays.copyOf(exitedResults, exited * 2);
                }
                exitedPids[exited] = pid;
                exitedResults[exited] = result;
                exited++;
            }
        }
        counts.exitsReaped = exited;
        if (exited == 0) {
            return null;
        }
        Exits<V> exits = new Exits<>(exited);
        for (int i = 0; i < exited; i++) {
            long pid = exitedPids[i];
            exits.pids[i] = pid;
            exits.values[i] = registered.remove(pid); // after the walk: remove reorders the table
            exits.lost[i] = exitedResults[i] == ECHILD;
            exits.codes[i] = returnCode(pid, exitedResults[i]);
        }
        return exits;
    }

    /** {@code waitpid(pid, WNOHANG)}: a packed result, or {@link #ECHILD} when the status was collected elsewhere. */
    long poll(long pid) {
        try {
            return waiter.waitpid(pid, Posix.WNOHANG);
        } catch (PosixException e) {
            if (e.errno() == PosixException.ECHILD) {
                return ECHILD;
            }
            throw SystemErrors.illegalState("Cannot reap pid " + pid, e);
        }
    }

    /** The return code for a {@link #poll} result: ECHILD gives 255 and its warning (WCH-09). */
    static int returnCode(long pid, long result) {
        return result == ECHILD ? ReturnCodes.unknownChild(pid) : ReturnCodes.fromWaitStatus(WaitResult.status(result));
    }

    V remove(long pid) {
        return registered.remove(pid);
    }

    int size() {
        return registered.size();
    }

    /** Drops every registration. */
    void clear() {
        registered.clear();
    }
}
