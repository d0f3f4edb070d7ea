package org.asyncio4j.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SpawnRequest;
import org.asyncio4j.internal.posix.WaitResult;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;

/**
 * Test helper: real children started with {@code posix_spawn} ({@link Posix#spawn}), their state read from
 * {@code /proc/<pid>/stat}, and the means to reap what a test is left holding.
 */
final class TestChildren {
    static final Posix POSIX = Posix.get();

    private TestChildren() {}

    /** Starts {@code argv} with fds 0-2 inherited. */
    static long spawn(String... argv) {
        return POSIX.spawn(SpawnRequest.builder(List.of(argv)).build());
    }

    /** Starts {@code argv} reading {@code stdinFd}. */
    static long spawnReading(int stdinFd, String... argv) {
        return POSIX.spawn(SpawnRequest.builder(List.of(argv)).stdin(stdinFd).build());
    }

    /** A child that sleeps until signalled. */
    static long sleeper() {
        return spawn("/bin/sleep", "1000");
    }

    /** A child that exits with {@code code} at once. */
    static long exiting(int code) {
        return spawn("/bin/sh", "-c", "exit " + code);
    }

    /** The state letter of {@code pid} (R, S, T, Z, ...), or 0 when there is no such process. */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException gone) {
            return 0;
        }
    }

    static boolean isZombie(long pid) {
        return state(pid) == 'Z';
    }

    static boolean isGone(long pid) {
        return state(pid) == 0;
    }

    /** Polls {@code condition} every 2 ms; fails after a generous safety limit. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Loops.TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * Waits until no ThreadedChildWatcher waiting thread is alive: a thread ends only after it has posted
     * its delivery (or warned), so a loop round trip after this sees everything it sent.
     */
    static void awaitNoWaitpidThreads() {
        await("the ThreadedChildWatcher waiting threads to end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("asyncio4j-waitpid-")));
    }

    static void awaitZombie(long pid) {
        await("pid " + pid + " to become a zombie", () -> isZombie(pid));
    }

    /** Blocking {@code waitpid(pid, 0)} by the test itself; returns the return code. */
    static int reap(long pid) {
        return ReturnCodes.fromWaitStatus(WaitResult.status(POSIX.waitpid(pid, 0)));
    }

    /** SIGKILL and reap, for cleanup: a child already reaped elsewhere is fine. */
    static void killAndReap(long pid) {
        try {
            POSIX.kill(pid, Signals.SIGKILL);
        } catch (PosixException gone) {
            // already gone
        }
        try {
            POSIX.waitpid(pid, 0);
        } catch (PosixException e) {
            if (e.errno() != PosixException.ECHILD) {
                throw e;
            }
        }
    }

    static void kill(long pid, int signum) {
        POSIX.kill(pid, signum);
    }
}
