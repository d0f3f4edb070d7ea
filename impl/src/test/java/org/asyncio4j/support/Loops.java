package org.asyncio4j.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.EventLoop;
import org.asyncio4j.internal.posix.Posix;

/** Small helpers shared by the loop, policy and future tests. */
public final class Loops {
    /** A generous safety net for waits on a shared 2-core machine; never the thing tested. */
    public static final long TIMEOUT_SECONDS = 30;

    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSTOP = 19;
    public static final int SIGURG = 23;
    public static final int SIGWINCH = 28;

    private Loops() {}

    /** Runs exactly one iteration: a pre-stopped {@code runForever} (LOOP-04). */
    public static void runOnce(EventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    /** Waits for {@code latch} within the safety net, failing with {@code what}. */
    public static void await(CountDownLatch latch, String what) {
        try {
            assertTrue(latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out waiting for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Joins {@code thread} within the safety net. */
    public static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertTrue(!thread.isAlive(), thread.getName() + " did not end");
    }

    /** Sends a real signal to this process: {@code kill(getpid(), signum)}. */
    public static void raise(int signum) {
        Posix posix = Posix.get();
        posix.kill(posix.getpid(), signum);
    }

    /** Whether the kernel holds a handler for {@code signum} (SigCgt of /proc/self/status). */
    public static boolean caught(int signum) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigCgt:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (signum - 1))) != 0;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/status", e);
        }
        throw new AssertionError("no SigCgt in /proc/self/status");
    }

    /** Sleeps briefly, for tests that check that something does NOT happen meanwhile. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
