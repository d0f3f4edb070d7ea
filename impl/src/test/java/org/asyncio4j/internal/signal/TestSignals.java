package org.asyncio4j.internal.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** Real signals for the tests: numbers (Linux x86_64), sending, and waiting. */
final class TestSignals {
    static final int SIGHUP = 1;
    static final int SIGINT = 2;
    static final int SIGQUIT = 3;
    static final int SIGILL = 4;
    static final int SIGBUS = 7;
    static final int SIGFPE = 8;
    static final int SIGKILL = 9;
    static final int SIGUSR1 = 10;
    static final int SIGSEGV = 11;
    static final int SIGUSR2 = 12;
    static final int SIGPIPE = 13;
    static final int SIGTERM = 15;
    static final int SIGCHLD = 17;
    static final int SIGSTOP = 19;
    static final int SIGURG = 23;
    static final int SIGWINCH = 28;

    /** Generous: deliveries go through a new JVM thread each, on a shared 2-core machine. */
    static final long TIMEOUT_SECONDS = 60;

    private static final POSIX POSIX = POSIXFactory.getPOSIX();
    private static final int PID = (int) ProcessHandle.current().pid();

    private TestSignals() {
    }

    /** {@code kill(getpid(), signum)}. */
    static void raise(int signum) {
        int rc = POSIX.kill(PID, signum);
        assertEquals(0, rc, () -> "kill(" + PID + ", " + signum + ") errno " + POSIX.errno());
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out waiting for " + what);
    }

    /** Whether the kernel holds a handler for {@code signum}; fails where /proc/self/status is unreadable. */
    static boolean caught(int signum) {
        return ProcSelfStatus.caught(signum).orElseThrow(() -> new AssertionError("/proc/self/status unreadable"));
    }

    static boolean ignored(int signum) {
        return ProcSelfStatus.has("SigIgn", signum).orElseThrow(() -> new AssertionError("/proc/self/status unreadable"));
    }

    /**
     * Waits until no {@code signum} is pending for the process ({@code ShdPnd}): every one sent has been
     * taken by the JVM's native handler, so changing the disposition can no longer affect it.
     */
    static void awaitNotPending(int signum) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (ProcSelfStatus.has("ShdPnd", signum).orElse(false)) {
            if (System.nanoTime() > deadline) {
                fail(SignalDispatcher.name(signum) + " still pending");
            }
            Thread.sleep(1);
        }
    }
}
