package org.asyncio4j.internal.signal;

import static org.asyncio4j.internal.signal.TestSignals.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher with real signals sent to this JVM. Only signals whose default action is harmless to
 * the test JVM are raised without a handler certainly installed (SIGWINCH, SIGURG, SIGCHLD: ignore);
 * SIGUSR1 (terminate) only with a handler installed and awaited.
 */
@SuppressWarnings("try") // subscriptions held open by try-with-resources only
class SignalDispatcherTest {

    private static final int[] USED = {SIGHUP, SIGUSR1, SIGCHLD, SIGURG, SIGWINCH};

    private final SignalDispatcher dispatcher = SignalDispatcher.get();

    @AfterEach
    void nothingLeftInstalled() {
        for (int signum : USED) {
            assertEquals(0, dispatcher.subscriberCount(signum), SignalDispatcher.name(signum));
            assertFalse(dispatcher.installed(signum), SignalDispatcher.name(signum));
        }
    }

    // ----- validation ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65, 66, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void outOfRangeIsIllegalArgumentNamingTheNumber(int signum) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dispatcher.subscribe(signum, s -> { }));
        assertEquals("invalid signal number " + signum, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SignalDispatcher.checkSignalNumber(signum));
        assertEquals("invalid signal number " + signum, e.getMessage());
    }

    @Test
    void inRangeNumbersPassTheRangeCheck() {
        SignalDispatcher.checkSignalNumber(1);
        SignalDispatcher.checkSignalNumber(64);
    }

    /**
     * SIGKILL and SIGSTOP; the JVM's refusals (QUIT, ILL, FPE, SEGV); the signals it accepts but
     * depends on (BUS, USR2); numbers it has no name for (32..64).
     */
    @ParameterizedTest
    @ValueSource(ints = {SIGKILL, SIGSTOP, SIGQUIT, SIGILL, SIGFPE, SIGSEGV, SIGBUS, SIGUSR2, 32, 33, 34, 50, 64})
    void uncatchableIsIllegalStateCannotBeCaught(int signum) {
        boolean caughtBefore = caught(signum);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> dispatcher.subscribe(signum, s -> { }));
        assertEquals("sig " + signum + " cannot be caught", e.getMessage());
        assertEquals(0, dispatcher.subscriberCount(signum));
        assertFalse(dispatcher.installed(signum));
        assertEquals(caughtBefore, caught(signum), "disposition changed by a refused subscription");
    }

    @Test
    void nullListenerIsRejectedBeforeInstalling() {
        assertThrows(NullPointerException.class, () -> dispatcher.subscribe(SIGWINCH, null));
        assertFalse(caught(SIGWINCH));
    }

    @Test
    void names() {
        assertEquals("SIGCHLD", SignalDispatcher.name(SIGCHLD));
        assertEquals("SIGKILL", SignalDispatcher.name(SIGKILL));
        assertEquals("SIGHUP", SignalDispatcher.name(SIGHUP));
        assertEquals("SIGWINCH", SignalDispatcher.name(SIGWINCH));
        assertEquals("signal 34", SignalDispatcher.name(34));
        assertEquals("signal 0", SignalDispatcher.name(0));
        assertEquals("signal 65", SignalDispatcher.name(65));
    }

    // ----- delivery --------------------------------------------------------------------------------

    @Test
    void twoSubscriptionsBothReceiveADelivery() throws Exception {
        CountDownLatch a = new CountDownLatch(1);
        CountDownLatch b = new CountDownLatch(1);
        AtomicInteger wrongNumber = new AtomicInteger();
        try (SignalSubscription sa = dispatcher.subscribe(SIGWINCH, s -> { check(s, SIGWINCH, wrongNumber); a.countDown(); });
             SignalSubscription sb = dispatcher.subscribe(SIGWINCH, s -> { check(s, SIGWINCH, wrongNumber); b.countDown(); })) {
            assertEquals(SIGWINCH, sa.signum());
            assertEquals(SIGWINCH, sb.signum());
            assertTrue(caught(SIGWINCH));
            raise(SIGWINCH);
            await(a, "first subscriber");
            await(b, "second subscriber");
        }
        assertEquals(0, wrongNumber.get());
    }

    @Test
    void theSameListenerSubscribedTwiceIsCalledTwicePerDelivery() throws Exception {
        CountDownLatch calls = new CountDownLatch(2);
        IntConsumer listener = s -> calls.countDown();
        try (SignalSubscription s1 = dispatcher.subscribe(SIGURG, listener);
             SignalSubscription s2 = dispatcher.subscribe(SIGURG, listener)) {
            raise(SIGURG);
            await(calls, "two calls");
        }
    }

    @Test
    void afterOneClosesTheOtherStillReceives() throws Exception {
        AtomicInteger closedCalls = new AtomicInteger();
        CountDownLatch open = new CountDownLatch(1);
        SignalSubscription first = dispatcher.subscribe(SIGWINCH, s -> closedCalls.incrementAndGet());
        try (SignalSubscription second = dispatcher.subscribe(SIGWINCH, s -> open.countDown())) {
            first.close();
            assertEquals(1, dispatcher.subscriberCount(SIGWINCH));
            assertTrue(caught(SIGWINCH));
            raise(SIGWINCH);
            await(open, "remaining subscriber");
            awaitNotPending(SIGWINCH);
        } finally {
            first.close();
        }
        assertEquals(0, closedCalls.get(), "a closed subscription was called");
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthersAndIsLogged() throws Exception {
        Logger jul = Logger.getLogger("org.asyncio4j");
        Queue<LogRecord> records = new ConcurrentLinkedQueue<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord record) { records.add(record); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        boolean useParent = jul.getUseParentHandlers();
        jul.addHandler(capture);
        jul.setUseParentHandlers(false);
        RuntimeException boom = new RuntimeException("boom (expected by the test)");
        CountDownLatch before = new CountDownLatch(1);
        CountDownLatch after = new CountDownLatch(1);
        try (SignalSubscription s0 = dispatcher.subscribe(SIGWINCH, s -> before.countDown());
             SignalSubscription s1 = dispatcher.subscribe(SIGWINCH, s -> { throw boom; });
             SignalSubscription s2 = dispatcher.subscribe(SIGWINCH, s -> { throw new AssertionError("error too"); });
             SignalSubscription s3 = dispatcher.subscribe(SIGWINCH, s -> after.countDown())) {
            raise(SIGWINCH);
            await(before, "listener before the throwing ones");
            await(after, "listener after the throwing ones");
        } finally {
            jul.removeHandler(capture);
            jul.setUseParentHandlers(useParent);
        }
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.WARNING && r.getThrown() == boom),
                "no WARNING carrying the exception: " + records);
    }

    // ----- restoring -------------------------------------------------------------------------------

    @Test
    void theLastCloseRestoresTheDefaultDisposition() {
        assumeFalse(caught(SIGUSR1), "SIGUSR1 already caught in this JVM");
        SignalSubscription a = dispatcher.subscribe(SIGUSR1, s -> { });
        SignalSubscription b = dispatcher.subscribe(SIGUSR1, s -> { });
        try {
            assertTrue(caught(SIGUSR1));
            a.close();
            assertTrue(caught(SIGUSR1), "handler removed while a subscription is open");
            assertTrue(dispatcher.installed(SIGUSR1));
        } finally {
            a.close();
            b.close();
        }
        assertFalse(caught(SIGUSR1), "SIG_DFL not restored");
        assertFalse(dispatcher.installed(SIGUSR1));
    }

    /** MLW-10, RACE-21: outside code took the signal over meanwhile; the last close must not take it back. */
    @Test
    void theLastCloseLeavesAHandlerInstalledByOutsideCodeAndWarns() throws Exception {
        Logger jul = Logger.getLogger("org.asyncio4j");
        Queue<LogRecord> records = new ConcurrentLinkedQueue<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord record) { records.add(record); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        boolean useParent = jul.getUseParentHandlers();
        jul.addHandler(capture);
        jul.setUseParentHandlers(false);
        CountDownLatch outsider = new CountDownLatch(1);
        Object outsiders = JvmSignals.handlerFor(outsider::countDown);
        Object original = null;
        try {
            SignalSubscription s = dispatcher.subscribe(SIGWINCH, x -> { });
            Object ours = JvmSignals.install(SIGWINCH, outsiders);
            s.close();
            assertFalse(dispatcher.installed(SIGWINCH));
            raise(SIGWINCH);
            await(outsider, "the outside handler, still installed after the last close");
            assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.WARNING
                    && r.getMessage().equals("SIGWINCH handler was changed by outside code")), "no warning: " + records);
            assertNotNull(ours);
        } finally {
            jul.removeHandler(capture);
            jul.setUseParentHandlers(useParent);
            original = JvmSignals.install(SIGWINCH, JvmSignals.SIG_DFL);
        }
        assertSame(outsiders, original, "the outsider's handler was replaced");
    }

    @Test
    void theLastCloseReinstallsThePreviousJavaHandler() throws Exception {
        AtomicInteger knownCalls = new AtomicInteger();
        CountDownLatch known = new CountDownLatch(1);
        Object original = JvmSignals.install(SIGUSR1, JvmSignals.handlerFor(() -> {
            knownCalls.incrementAndGet();
            known.countDown();
        }));
        try {
            CountDownLatch ours = new CountDownLatch(1);
            try (SignalSubscription s = dispatcher.subscribe(SIGUSR1, n -> ours.countDown())) {
                raise(SIGUSR1);
                await(ours, "dispatcher's listener");
                awaitNotPending(SIGUSR1);
            }
            assertEquals(0, knownCalls.get(), "the replaced handler ran while the dispatcher's was installed");
            raise(SIGUSR1);
            await(known, "the reinstalled handler");
        } finally {
            awaitNotPending(SIGUSR1);
            JvmSignals.install(SIGUSR1, original);
        }
        assertFalse(caught(SIGUSR1));
    }

    @Test
    void theLastCloseRestoresSigIgn() {
        Object original = JvmSignals.install(SIGWINCH, JvmSignals.SIG_IGN);
        try {
            assertTrue(ignored(SIGWINCH));
            try (SignalSubscription s = dispatcher.subscribe(SIGWINCH, n -> { })) {
                assertTrue(caught(SIGWINCH));
                assertFalse(ignored(SIGWINCH));
            }
            assertTrue(ignored(SIGWINCH), "SIG_IGN not restored");
            assertFalse(caught(SIGWINCH));
        } finally {
            JvmSignals.install(SIGWINCH, original);
        }
        assertFalse(ignored(SIGWINCH));
    }

    /** SIGHUP normally carries the JVM's shutdown-hook handler: it must be back, not SIG_DFL. */
    @Test
    void theLastCloseGivesSighupBackToTheJvm() {
        assumeFalse(ignored(SIGHUP), "SIGHUP ignored (nohup): see SignalDispatcherChildJvmTest");
        assertTrue(caught(SIGHUP));
        try (SignalSubscription s = dispatcher.subscribe(SIGHUP, n -> { })) {
            assertTrue(caught(SIGHUP));
        }
        assertTrue(caught(SIGHUP), "the JVM's SIGHUP handler is gone");
    }

    @Test
    void closeIsIdempotentAndAStaleCloseDoesNotTouchANewerSubscription() throws Exception {
        SignalSubscription a = dispatcher.subscribe(SIGURG, s -> { });
        SignalSubscription b = dispatcher.subscribe(SIGURG, s -> { });
        a.close();
        a.close();
        assertEquals(1, dispatcher.subscriberCount(SIGURG));
        assertTrue(caught(SIGURG));
        b.close();
        b.close();
        assertEquals(0, dispatcher.subscriberCount(SIGURG));
        assertFalse(caught(SIGURG));

        CountDownLatch received = new CountDownLatch(1);
        try (SignalSubscription c = dispatcher.subscribe(SIGURG, s -> received.countDown())) {
            a.close();
            b.close();
            assertEquals(1, dispatcher.subscriberCount(SIGURG));
            assertTrue(caught(SIGURG), "a stale close uninstalled the handler");
            raise(SIGURG);
            await(received, "delivery after re-installation");
        }
        assertFalse(caught(SIGURG));
    }

    // ----- SIGCHLD and java.lang.ProcessImpl -------------------------------------------------------

    @Test
    void sigchldStaysInstalledAcrossProcessBuilderAndGetenv() throws Exception {
        AtomicReference<CountDownLatch> latch = new AtomicReference<>(new CountDownLatch(1));
        try (SignalSubscription s = dispatcher.subscribe(SIGCHLD, n -> latch.get().countDown())) {
            assertTrue(caught(SIGCHLD));
            Process first = new ProcessBuilder("true").start();
            assertEquals(0, first.waitFor());
            await(latch.get(), "SIGCHLD of the first child");
            System.getenv();
            assertTrue(caught(SIGCHLD), "SIGCHLD handler reset by ProcessBuilder.start() or System.getenv()");

            latch.set(new CountDownLatch(1));
            Process second = new ProcessBuilder("sh", "-c", "exit 3").start();
            assertEquals(3, second.waitFor());
            await(latch.get(), "SIGCHLD of the second child");
            assertTrue(caught(SIGCHLD));
        }
        assertFalse(caught(SIGCHLD));
    }

    // ----- concurrency -----------------------------------------------------------------------------

    /**
     * Threads subscribe and close SIGWINCH and SIGURG (default: ignore) while another raises them.
     * SIGWINCH keeps one subscription throughout; SIGURG's handler comes and goes with the churn.
     */
    @Test
    void manyThreadsSubscribeAndCloseWhileSignalsFly() throws Exception {
        int threads = 4;
        int rounds = 300;
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger keeperCalls = new AtomicInteger();
        AtomicBoolean churning = new AtomicBoolean(true);
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        SignalSubscription keeper = dispatcher.subscribe(SIGWINCH, s -> keeperCalls.incrementAndGet());
        try {
            for (int t = 0; t < threads; t++) {
                int signum = t % 2 == 0 ? SIGWINCH : SIGURG;
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < rounds; i++) {
                            SignalSubscription a = dispatcher.subscribe(signum, s -> { });
                            SignalSubscription b = dispatcher.subscribe(SIGWINCH + SIGURG - signum, s -> { });
                            a.close();
                            if (i % 3 == 0) {
                                a.close();
                            }
                            b.close();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "churn-" + t);
                workers.add(worker);
                worker.start();
            }
            Thread sender = new Thread(() -> {
                try {
                    start.await();
                    int sent = 0;
                    while (churning.get()) {
                        raise(sent++ % 2 == 0 ? SIGWINCH : SIGURG);
                        Thread.sleep(0, 200_000);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "sender");
            sender.start();
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                assertFalse(worker.isAlive(), worker.getName() + " stuck");
            }
            churning.set(false);
            sender.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            assertFalse(sender.isAlive(), "sender stuck");
            awaitNotPending(SIGWINCH);
            awaitNotPending(SIGURG);
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertEquals(1, dispatcher.subscriberCount(SIGWINCH));
            assertEquals(0, dispatcher.subscriberCount(SIGURG));
            assertFalse(dispatcher.installed(SIGURG));
            assertFalse(caught(SIGURG));
            assertTrue(caught(SIGWINCH));

            // Still working after the storm.
            CountDownLatch after = new CountDownLatch(1);
            try (SignalSubscription s = dispatcher.subscribe(SIGWINCH, n -> after.countDown())) {
                raise(SIGWINCH);
                await(after, "delivery after the churn");
            }
        } finally {
            churning.set(false);
            keeper.close();
        }
        assertTrue(keeperCalls.get() > 0, "the keeper never received a SIGWINCH");
        assertFalse(caught(SIGWINCH));
    }

    private static void check(int actual, int expected, AtomicInteger wrong) {
        if (actual != expected) {
            wrong.incrementAndGet();
        }
    }

    @Test
    void getReturnsTheOneInstance() {
        assertSame(SignalDispatcher.get(), SignalDispatcher.get());
    }
}
