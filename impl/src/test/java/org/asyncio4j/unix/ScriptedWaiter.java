package org.asyncio4j.unix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.WaitResult;

/**
 * Test helper: a scripted {@code waitpid}, CPython's {@code ChildWatcherTestsMixin.waitpid/add_zombie} in
 * Java. Real processes cannot be made to produce these outcomes on demand (a status collected by someone
 * else, ECHILD at a chosen moment, an unexpected error, an unrecognised status), so the race tests replay
 * them through the {@link ChildWaiter} seam.
 *
 * <p>{@code waitpid(pid > 0)} returns the zombie of that pid if one was added; else 0 while
 * {@link #running} is set; else ECHILD. {@code waitpid(-1)} pops the oldest zombie, else 0 while running,
 * else ECHILD. A blocking call (options 0) waits until there is an answer other than 0. Every call is
 * recorded. {@link #pidfdOpen} hands out the read end of a pipe that {@link #signalPidfd} makes readable.
 */
final class ScriptedWaiter implements ChildWaiter {
    private final Map<Long, Integer> zombies = new LinkedHashMap<>();
    private final Set<Long> reapedElsewhere = new HashSet<>();
    private final List<Long> calls = new ArrayList<>();
    private final Map<Long, int[]> pidfds = new HashMap<>();
    private final List<Long> pidfdOpens = new ArrayList<>();
    private boolean running;
    private RuntimeException failure;
    private PosixException openFailure;

    /** A raw wait status for a normal exit with {@code code}. */
    static int exited(int code) {
        return code << 8;
    }

    /** A raw wait status for death by {@code signum}. */
    static int killedBy(int signum) {
        return signum;
    }

    synchronized void setRunning(boolean value) {
        running = value;
        notifyAll();
    }

    /** The next waitpid for {@code pid} (or -1) reports {@code status}. */
    synchronized void addZombie(long pid, int status) {
        zombies.put(pid, status);
        notifyAll();
    }

    /** Someone else collected {@code pid}'s status: waitpid(pid) raises ECHILD. */
    synchronized void reapElsewhere(long pid) {
        zombies.remove(pid);
        reapedElsewhere.add(pid);
        notifyAll();
    }

    /** Every later waitpid throws {@code e} (null: back to normal). */
    synchronized void failWith(RuntimeException e) {
        failure = e;
    }

    /** Every later pidfdOpen throws {@code e}. */
    synchronized void failOpenWith(PosixException e) {
        openFailure = e;
    }

    synchronized List<Long> calls() {
        return List.copyOf(calls);
    }

    synchronized void clearCalls() {
        calls.clear();
    }

    synchronized List<Long> pidfdOpens() {
        return List.copyOf(pidfdOpens);
    }

    synchronized int zombieCount() {
        return zombies.size();
    }

    @Override
    public synchronized long waitpid(long pid, int options) {
        calls.add(pid);
        while (true) {
            if (failure != null) {
                throw failure;
            }
            long answer = answer(pid);
            if (answer != 0 || (options & Posix.WNOHANG) != 0) {
                return answer;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private long answer(long pid) {
        if (pid > 0) {
            Integer status = zombies.remove(pid);
            if (status != null) {
                return WaitResult.pack(pid, status);
            }
            if (reapedElsewhere.contains(pid)) {
                throw echild();
            }
        } else {
            Iterator<Map.Entry<Long, Integer>> it = zombies.entrySet().iterator();
            if (it.hasNext()) {
                Map.Entry<Long, Integer> first = it.next();
                it.remove();
                return WaitResult.pack(first.getKey(), first.getValue());
            }
        }
        if (running) {
            return 0;
        }
        throw echild();
    }

    private static PosixException echild() {
        return new PosixException("waitpid", PosixException.ECHILD, null);
    }

    @Override
    public synchronized int pidfdOpen(long pid) {
        pidfdOpens.add(pid);
        if (openFailure != null) {
            throw openFailure;
        }
        int[] pipe = Posix.get().pipe();
        pidfds.put(pid, pipe);
        return pipe[0];
    }

    /** Makes the pidfd handed out for {@code pid} readable, as the kernel does when the child exits. */
    synchronized void signalPidfd(long pid) {
        int[] pipe = pidfds.get(pid);
        Posix.get().write(pipe[1], new byte[] {1}, 0, 1);
    }

    /** Closes the write ends of the fake pidfds (the watcher owns and closes the read ends). */
    synchronized void closePidfdWriters() {
        for (int[] pipe : pidfds.values()) {
            Posix.get().close(pipe[1]);
        }
        pidfds.clear();
    }
}
