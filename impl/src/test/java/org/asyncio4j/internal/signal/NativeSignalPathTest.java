package org.asyncio4j.internal.signal;

import static org.asyncio4j.internal.signal.TestSignals.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.SpawnRequest;
import org.asyncio4j.internal.posix.WaitResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native signal path (issue 13) in this JVM, with real signals and a real child: which signals take it,
 * that the C handler delivered (its counter) on the one {@code asyncio4j-signals} thread without a new thread
 * per signal, and that the last close restores the disposition and stops that thread. The JVM path forced by
 * the property, the fallback and the two backends run in fresh JVMs: {@link SignalDispatcherChildJvmTest}.
 */
class NativeSignalPathTest {
    private static final int SIGNALS = 50;

    private final SignalDispatcher dispatcher = SignalDispatcher.get();

    @BeforeEach
    void nativePathInUse() {
        assumeTrue(System.getProperty(NativeSignals.PROPERTY) == null, "the JVM path is forced");
        assumeTrue(dispatcher.nativeDeliveries() >= 0, "the native library cannot be loaded here");
    }

    @Test
    void catchableSignalsGoNativeAndTheJvmOwnedOnesDoNot() {
        for (int signum : new int[] {SIGUSR1, SIGPIPE, SIGCHLD, SIGURG, SIGWINCH, 5, 6, 10, 14, 31}) {
            assertTrue(SignalDispatcher.nativeEligible(signum), SignalDispatcher.name(signum));
        }
        for (int signum : new int[] {SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGILL, SIGFPE, SIGKILL, SIGSEGV, SIGSTOP, SIGBUS,
                SIGUSR2, 32, 34, 64}) {
            assertFalse(SignalDispatcher.nativeEligible(signum), SignalDispatcher.name(signum));
        }
    }

    @Test
    void signalsArriveThroughTheNativeHandlerOnOneThreadNotAThreadEach() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Semaphore arrived = new Semaphore(0);
        Set<String> listenerThreads = ConcurrentHashMap.newKeySet();
        try (SignalSubscription s = dispatcher.subscribe(SIGUSR1, n -> {
            listenerThreads.add(Thread.currentThread().getName());
            arrived.release();
        })) {
            assertTrue(dispatcher.installedNatively(SIGUSR1));
            long deliveries = dispatcher.nativeDeliveries();
            long started = threads.getTotalStartedThreadCount();
            for (int i = 0; i < SIGNALS; i++) {
                raise(SIGUSR1);
                // one at a time, so none coalesce: each is one run of the handler
                assertTrue(arrived.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS), "signal " + i + " not delivered");
            }
            long startedMeanwhile = threads.getTotalStartedThreadCount() - started;
            assertTrue(dispatcher.nativeDeliveries() - deliveries >= SIGNALS,
                    "the C handler ran " + (dispatcher.nativeDeliveries() - deliveries) + " times for " + SIGNALS + " signals");
            // The JVM path starts one thread per delivery (50 here); a few unrelated ones (JIT) may start meanwhile.
            assertTrue(startedMeanwhile < SIGNALS / 5, startedMeanwhile + " threads started for " + SIGNALS + " signals");
            assertEquals(Set.of(NativeSignals.THREAD_NAME), listenerThreads);
            awaitNotPending(SIGUSR1);
        }
    }

    @Test
    void aRealChildsExitArrivesThroughTheNativeHandler() throws Exception {
        Posix posix = Posix.get();
        CountDownLatch exited = new CountDownLatch(1);
        long pid;
        try (SignalSubscription s = dispatcher.subscribe(SIGCHLD, n -> exited.countDown())) {
            assertTrue(dispatcher.installedNatively(SIGCHLD));
            long deliveries = dispatcher.nativeDeliveries();
            pid = posix.spawn(SpawnRequest.builder(List.of("/bin/sh", "-c", "exit 7")).build());
            try {
                await(exited, "SIGCHLD of pid " + pid);
                assertTrue(dispatcher.nativeDeliveries() > deliveries, "the C handler did not run");
            } finally {
                long status = posix.waitpid(pid, 0);
                assertEquals(7, (WaitResult.status(status) >> 8) & 0xff, "exit status");
            }
        }
    }

    @Test
    void theLastCloseRestoresTheDispositionAndStopsTheThread() {
        assumeFalse(caught(SIGUSR1), "SIGUSR1 already caught in this JVM");
        SignalSubscription a = dispatcher.subscribe(SIGUSR1, n -> { });
        SignalSubscription b = dispatcher.subscribe(SIGUSR1, n -> { });
        try {
            assertTrue(caught(SIGUSR1));
            assertTrue(dispatcherThreadAlive());
            a.close();
            assertTrue(caught(SIGUSR1), "handler removed while a subscription is open");
            assertTrue(dispatcher.installedNatively(SIGUSR1));
        } finally {
            a.close();
            b.close();
        }
        assertFalse(caught(SIGUSR1), "SIG_DFL not restored (SigCgt still set)");
        assertFalse(dispatcher.installedNatively(SIGUSR1));
        assertFalse(dispatcherThreadAlive(), "the last close leaves " + NativeSignals.THREAD_NAME + " running");
    }

    private static boolean dispatcherThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals(NativeSignals.THREAD_NAME));
    }
}
