package org.asyncio4j.proactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoops;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.unix.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop rules of BaseEventLoop, held on the proactor: its completion queue is the poll. The class timeout
 * is only a safety net: a loop that misses a wake-up parks forever, ignoring interrupts, so the test body
 * runs in a thread JUnit can abandon.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProactorLoopTest {
    private static final long SAFETY_SECONDS = 30;

    private ProactorEventLoop loop;

    @BeforeAll
    static void createTheJdksProcessWideDescriptors() {
        NioWarmUp.once();
    }

    /** After NoLeaks' snapshot, so a loop that left its group's threads or descriptors behind fails. */
    @BeforeEach
    void openLoop() {
        loop = new ProactorEventLoop();
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    @DisplayName("LOOP-01 a new proactor loop is open and not running")
    void newLoopIsOpenAndIdle() {
        assertFalse(loop.isRunning());
        assertFalse(loop.isClosed());
    }

    @Test
    @DisplayName("LOOP-02 LOOP-05 runForever runs until stop, is running meanwhile, and can run again")
    void runForeverUntilStop() {
        AtomicReference<Boolean> runningInside = new AtomicReference<>();
        loop.callSoon(() -> {
            runningInside.set(loop.isRunning());
            assertSame(loop, EventLoops.getRunningLoop());
            loop.stop();
        });
        loop.runForever();
        assertTrue(runningInside.get());
        assertFalse(loop.isRunning());

        AtomicInteger second = new AtomicInteger();
        loop.callSoon(second::incrementAndGet);
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(1, second.get());
    }

    @Test
    @DisplayName("LOOP-23 callSoon runs callbacks FIFO, each once")
    void callSoonIsFifo() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            loop.callSoon(() -> order.add(n));
        }
        loop.callSoon(loop::stop);
        loop.runForever();
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, order.get(i));
        }
        assertEquals(1000, order.size());
    }

    @Test
    @DisplayName("LOOP-27 due timers run after ready callbacks, in order of when")
    void timersRunInOrderOfWhen() {
        List<String> order = new ArrayList<>();
        loop.callLater(-1, () -> order.add("later-1"));
        loop.callLater(-2, () -> order.add("later-2"));
        loop.callSoon(() -> order.add("soon"));
        loop.callLater(0, loop::stop);
        loop.runForever();
        assertEquals(List.of("soon", "later-2", "later-1"), order);
    }

    @Test
    @DisplayName("LOOP-25 LOOP-31 a future timer ends the timed wait and runs no earlier than its when")
    void futureTimerEndsTheWait() {
        double[] ranAt = new double[1];
        double when = loop.callLater(0.05, () -> {
            ranAt[0] = loop.time();
            loop.stop();
        }).when();
        loop.runForever();
        assertTrue(ranAt[0] >= when - 1e-9, () -> "ran at " + ranAt[0] + " before " + when);
    }

    @Test
    @DisplayName("LOOP-38 callSoonThreadsafe wakes a loop parked without a timeout")
    void callSoonThreadsafeWakesAParkedLoop() throws Exception {
        Thread[] loopThread = new Thread[1];
        loop.callSoon(() -> loopThread[0] = Thread.currentThread());
        Thread runner = startRunner();
        try {
            awaitParked(runner); // no timers, nothing ready: parked with no limit in the completion queue
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoonThreadsafe(() -> {
                ran.countDown();
                loop.stop();
            });
            assertTrue(ran.await(SAFETY_SECONDS, TimeUnit.SECONDS), "the parked loop was not woken");
        } finally {
            runner.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        }
        assertFalse(runner.isAlive());
        assertSame(runner, loopThread[0]);
    }

    @Test
    @DisplayName("LOOP-24 LOOP-38 many threads' callSoonThreadsafe callbacks each run exactly once, in each thread's order")
    void manyThreadsEachCallbackOnce() throws Exception {
        int threads = 8;
        int perThread = 2000;
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * perThread);
        int[] lastSeen = new int[threads];
        Arrays.fill(lastSeen, -1);
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        Thread runner = startRunner();
        List<Thread> producers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread p = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perThread; i++) {
                    int n = i;
                    loop.callSoonThreadsafe(() -> {
                        runs.incrementAndGet(thread * perThread + n);
                        if (lastSeen[thread] != n - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        lastSeen[thread] = n;
                        if (total.incrementAndGet() == threads * perThread) {
                            loop.stop();
                        }
                    });
                    if (n % 64 == 0) {
                        Thread.yield(); // let the loop drain and park again between bursts
                    }
                }
            }, "producer-" + t);
            producers.add(p);
            p.start();
        }
        go.countDown();
        for (Thread p : producers) {
            p.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        }
        runner.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        assertFalse(runner.isAlive(), "the loop missed a wake-up and never ran the last callback");
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "callback " + i);
        }
        assertEquals(0, outOfOrder.get());
    }

    @Test
    @DisplayName("LOOP-58 LOOP-59 SIGUSR1 sent with kill(getpid()) runs the handler on the parked loop's thread")
    void signalHandlerRunsOnTheLoop() {
        Thread[] handlerThread = new Thread[1];
        AtomicInteger calls = new AtomicInteger();
        loop.addSignalHandler(Signals.SIGUSR1, () -> {
            handlerThread[0] = Thread.currentThread();
            calls.incrementAndGet();
            loop.stop();
        });
        try {
            // Raised from the loop thread, then the loop parks until the safety net: the delivery must wake it.
            loop.callSoon(() -> Posix.get().kill(ProcessHandle.current().pid(), Signals.SIGUSR1));
            loop.callLater(SAFETY_SECONDS, loop::stop);
            loop.runForever();
            assertSame(Thread.currentThread(), handlerThread[0]);
            assertTrue(calls.get() >= 1);
        } finally {
            assertTrue(loop.removeSignalHandler(Signals.SIGUSR1));
        }
    }

    @Test
    @DisplayName("LOOP-45 runInExecutor settles its future on the loop")
    void runInExecutorCompletesOnTheLoop() {
        AsyncFuture<String> f = loop.runInExecutor(null, () -> Thread.currentThread().getName());
        String worker = loop.runUntilComplete(f);
        assertFalse(worker.equals(Thread.currentThread().getName()));
        loop.runUntilComplete(loop.shutdownDefaultExecutor());
    }

    @Test
    @DisplayName("LOOP-16 LOOP-17 close refuses a running loop, is idempotent and stops the I/O threads")
    void closeStopsTheChannelGroupThreads() throws Exception {
        List<Thread> ioThreads = proactorThreads();
        assertEquals(ProactorEventLoop.DEFAULT_IO_THREADS, ioThreads.size(), "the channel group's named threads");
        for (Thread t : ioThreads) {
            assertTrue(t.isDaemon(), t.getName());
        }
        AtomicReference<Throwable> whileRunning = new AtomicReference<>();
        loop.callSoon(() -> {
            whileRunning.set(assertThrows(IllegalStateException.class, loop::close));
            loop.stop();
        });
        loop.runForever();
        assertEquals("Cannot close a running event loop", whileRunning.get().getMessage());

        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
        for (Thread t : ioThreads) {
            assertFalse(t.isAlive(), t.getName() + " survived close()");
        }
    }

    @Test
    @DisplayName("LOOP-18 LOOP-39 a closed proactor refuses callbacks; its wake-up never throws")
    void closedLoopRefusesWork() {
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }));
        assertEquals("Event loop is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { }));
        assertThrows(IllegalStateException.class, loop::runForever);
        loop.wakeup();
        assertFalse(loop.removeSignalHandler(Signals.SIGUSR1));
    }

    @Test
    @DisplayName("LOOP-22 readiness callbacks are unsupported on a proactor and point to SelectorEventLoop")
    void noReadinessCallbacks() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> loop.addReader(0, () -> { }));
        assertTrue(e.getMessage().contains("completion-based"), e.getMessage());
        assertTrue(e.getMessage().contains("SelectorEventLoop"), e.getMessage());
        e = assertThrows(UnsupportedOperationException.class, () -> loop.addWriter(1, () -> { }));
        assertTrue(e.getMessage().contains("addWriter"), e.getMessage());
        assertFalse(loop.removeReader(0));
        assertFalse(loop.removeWriter(1));
    }

    @Test
    @DisplayName("PROACTOR-IO the number of I/O threads is validated and named in the error")
    void ioThreadsMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProactorEventLoop(0));
        assertEquals("ioThreads must be at least 1, got 0", e.getMessage());
    }

    /** The live threads named after this loop: {@code asyncio4j-loopN-proactor-K}, N from its toString. */
    private List<Thread> proactorThreads() {
        String s = loop.toString();
        String prefix = "asyncio4j-loop" + s.substring(s.indexOf('#') + 1, s.indexOf(' ')) + "-proactor-";
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                found.add(t);
            }
        }
        return found;
    }

    /** Runs the loop in a daemon thread, so a loop that misses a wake-up fails the test, not the build. */
    private Thread startRunner() {
        Thread runner = new Thread(loop::runForever, "proactor-runner");
        runner.setDaemon(true);
        runner.start();
        return runner;
    }

    /** Waits until {@code thread} is parked without a deadline: the loop's wait with no timeout. */
    private static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
        while (thread.getState() != Thread.State.WAITING || !(LockSupport.getBlocker(thread) instanceof CompletionQueue)) {
            assertTrue(System.nanoTime() < deadline, "the loop never parked");
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
