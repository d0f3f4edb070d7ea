package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} on one thread racing {@code runForever()} starting on another (issue 8, item 4): the two
 * threads are released together 2,000 times, from a spin so that their first instructions overlap (before the
 * fix, the bad outcome showed within the first few tries).
 * Only two outcomes are allowed: the run starts first and close is refused ("Cannot close a running event
 * loop"), or the close comes first and the run is refused ("Event loop is closed"). Never a closed loop
 * that still polls (an internal EBADF, or a thread blocked in {@code epoll_wait} on a descriptor number that
 * the next loop reuses, with {@code isRunning()} true). Real loops and threads; no fake.
 */
class CloseRunRaceTest {
    private static final int TRIES = 2_000;

    @Test
    @DisplayName("LOOP-16 close() racing runForever() on another thread: one of the two is refused, nothing else")
    void closeRacingRunForever() throws InterruptedException {
        AtomicInteger round = new AtomicInteger();
        AtomicInteger ready = new AtomicInteger();
        AtomicReference<SelectorEventLoop> current = new AtomicReference<>();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            for (int i = 1; i <= TRIES; i++) {
                awaitValue(round, i);
                SelectorEventLoop loop = current.get();
                ready.incrementAndGet();
                awaitValue(ready, 2 * i);
                Object result;
                try {
                    loop.runForever();
                    result = "ran";
                } catch (Throwable t) {
                    result = t;
                }
                outcome.set(result);
            }
        }, "close-race-runner");
        runner.setDaemon(true); // a pre-fix failure leaves it blocked in epoll_wait for good
        runner.start();
        int refusedRuns = 0;
        int refusedCloses = 0;
        for (int i = 1; i <= TRIES; i++) {
            SelectorEventLoop loop = new SelectorEventLoop();
            outcome.set(null);
            current.set(loop);
            round.set(i);
            awaitValue(ready, 2 * i - 1);
            ready.incrementAndGet();
            boolean closed;
            try {
                loop.close();
                closed = true;
            } catch (IllegalStateException running) {
                assertEquals("Cannot close a running event loop", running.getMessage());
                closed = false;
            }
            if (!closed) {
                loop.callSoonThreadsafe(loop::stop);
            }
            Object result = awaitOutcome(outcome, loop, i);
            if (closed) {
                refusedRuns++;
                Throwable t = assertInstanceOf(Throwable.class, result, "try " + i + ": the run went on after close()");
                assertInstanceOf(IllegalStateException.class, t, "try " + i + ": " + t);
                assertEquals("Event loop is closed", t.getMessage());
                assertFalse(loop.isRunning());
            } else {
                refusedCloses++;
                assertEquals("ran", result, "try " + i);
                loop.close();
            }
        }
        Loops.join(runner);
        assertEquals(TRIES, refusedRuns + refusedCloses);
    }

    /** Spins until {@code value} is {@code expected}, yielding now and then: the other thread may need this core. */
    private static void awaitValue(AtomicInteger value, int expected) {
        for (int spins = 1; value.get() != expected; spins++) {
            if (spins % 1_000 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static Object awaitOutcome(AtomicReference<Object> outcome, SelectorEventLoop loop, int i)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (outcome.get() == null) {
            if (System.nanoTime() > deadline) {
                fail("try " + i + ": runForever() never returned; closed=" + loop.isClosed() + " running="
                        + loop.isRunning());
            }
            Thread.sleep(0, 100_000);
        }
        assertTrue(outcome.get() != null);
        return outcome.get();
    }
}
