package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.Handle;
import org.asyncio4j.TimerHandle;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** callSoon, timers, cancellation and the poll timeout (LOOP-23..36). */
class SchedulingTest {
    private final PollRecordingLoop loop = new PollRecordingLoop();
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void close() {
        loop.close();
    }

    /** Timers in the heap, cancelled ones included: BaseEventLoop's package-private hook. */
    private int timerCount() {
        return ((BaseEventLoop) loop).scheduledTimerCount();
    }

    private Runnable record(String name) {
        return () -> log.add(name);
    }

    /** Runs until {@code name} is logged (a stop callback scheduled with it). */
    private void runUntilLogged(String name, double delay) {
        loop.callLater(delay, () -> {
            log.add(name);
            loop.stop();
        });
        loop.runForever();
    }

    @Test
    @DisplayName("LOOP-23 callSoon returns a Handle; callbacks run once each, in FIFO order")
    void callSoonIsFifo() {
        List<Handle> handles = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            handles.add(loop.callSoon(record("cb" + i)));
        }
        Loops.runOnce(loop);
        Loops.runOnce(loop);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("cb" + i);
        }
        assertEquals(expected, log);
        handles.forEach(h -> assertFalse(h.cancelled()));
    }

    @Test
    @DisplayName("LOOP-24 callSoon and callSoonThreadsafe share one FIFO queue")
    void oneQueueForBoth() {
        loop.callSoon(record("hello"));
        loop.callSoonThreadsafe(record("world"));
        loop.callSoon(record("!"));
        loop.callSoonThreadsafe(record("?"));
        Loops.runOnce(loop);
        assertEquals(List.of("hello", "world", "!", "?"), log);
    }

    @Test
    @DisplayName("LOOP-25 LOOP-30 callLater's when() is time() + delay at the call; the callback runs no earlier")
    void callLaterWhen() {
        double before = loop.time();
        TimerHandle h = loop.callLater(0.02, () -> log.add(String.valueOf(loop.time())));
        double after = loop.time();
        assertTrue(h.when() >= before + 0.02 && h.when() <= after + 0.02, h.when() + " not in [" + before + ", " + after + "] + 0.02");
        runUntilLogged("end", 0.03);
        double ranAt = Double.parseDouble(log.get(0));
        assertTrue(ranAt >= h.when() - 1e-9, "ran at " + ranAt + " before " + h.when());
    }

    @Test
    @DisplayName("LOOP-26 callAt takes an absolute time on the time() clock and orders with callLater")
    void callAtIsAbsolute() {
        double now = loop.time();
        TimerHandle at = loop.callAt(now + 0.01, record("at"));
        assertEquals(now + 0.01, at.when());
        loop.callLater(0.005, record("later-earlier"));
        loop.callAt(now - 1, record("at-past"));
        runUntilLogged("end", 0.02);
        assertEquals(List.of("at-past", "later-earlier", "at", "end"), log);
    }

    @Test
    @DisplayName("LOOP-27 zero and negative delays are due at once, in when order, after the ready callbacks")
    void negativeDelays() {
        loop.callLater(0.01, record("late"));
        loop.callLater(-1, record("neg1"));
        loop.callLater(0, record("zero"));
        loop.callLater(-2, record("neg2"));
        loop.callSoon(record("soon"));
        Loops.runOnce(loop);
        assertEquals(List.of("soon", "neg2", "neg1", "zero"), log);
        runUntilLogged("end", 0.02);
        assertEquals(List.of("soon", "neg2", "neg1", "zero", "late", "end"), log);
    }

    @Test
    @DisplayName("LOOP-28 a NaN delay or time is refused, naming the argument (null cannot be passed for a double)")
    void nanIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }))
                .getMessage().startsWith("delay"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> loop.callAt(Double.NaN, () -> { }))
                .getMessage().startsWith("when"));
        assertThrows(NullPointerException.class, () -> loop.callSoon(null));
        assertThrows(NullPointerException.class, () -> loop.callLater(1, null));
    }

    @Test
    @DisplayName("LOOP-29 timers with equal when run in scheduling order (asyncio4j defines what CPython leaves open)")
    void tiesRunInSchedulingOrder() {
        double when = loop.time() - 1;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            loop.callAt(when, record("t" + i));
            expected.add("t" + i);
        }
        Loops.runOnce(loop);
        assertEquals(expected, log);
    }

    @Test
    @DisplayName("LOOP-31 the poll does not wait while callbacks are ready or a stop is pending")
    void pollTimeoutZeroWhenReady() {
        loop.callLater(3600, record("far"));
        loop.callSoon(record("soon"));
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of(0L), loop.timeouts);
    }

    @Test
    @DisplayName("LOOP-31 LOOP-34 the poll waits until the earliest live timer: a cancelled earlier one does not shorten it")
    void pollTimeoutIgnoresCancelledTimers() {
        loop.callLater(10, record("live"));
        loop.callLater(0.001, record("cancelled")).cancel();
        long waited = pollTimeoutOfAnIdleIteration();
        assertTrue(waited > TimeUnit.SECONDS.toNanos(9) && waited <= TimeUnit.SECONDS.toNanos(10), waited + " ns");
        assertTrue(log.isEmpty());
    }

    @Test
    @DisplayName("LOOP-31 the poll timeout is clamped to 86400 s")
    void pollTimeoutIsClamped() {
        loop.callLater(1e7, record("very far"));
        assertEquals(TimeUnit.SECONDS.toNanos(86_400), pollTimeoutOfAnIdleIteration());
    }

    @Test
    @DisplayName("LOOP-31 without timers the poll has no timeout")
    void pollWithoutTimersBlocks() {
        assertEquals(-1L, pollTimeoutOfAnIdleIteration());
    }

    /** Starts the loop in a thread, waits for its first poll that may wait, wakes and stops it; returns that timeout. */
    private long pollTimeoutOfAnIdleIteration() {
        loop.waiting = new CountDownLatch(1);
        try (LoopThread lt = LoopThread.start(loop, "idle-loop")) {
            Loops.await(loop.waiting, "a poll that waits");
            lt.stop();
        } finally {
            loop.timeouts.removeIf(t -> t == 0);
        }
        assertFalse(loop.timeouts.isEmpty());
        return loop.timeouts.get(0);
    }

    @Test
    @DisplayName("LOOP-32 callbacks scheduled by a callback or a timer run in the next iteration, after the next poll")
    void scheduledDuringAnIterationRunNext() {
        List<Integer> iterationOf = new ArrayList<>();
        loop.callSoon(() -> loop.callSoon(() -> iterationOf.add(loop.iterations())));
        loop.callLater(-1, () -> loop.callSoon(() -> iterationOf.add(loop.iterations())));
        loop.callSoon(() -> iterationOf.add(loop.iterations()));
        Loops.runOnce(loop);
        assertEquals(List.of(1), iterationOf);
        Loops.runOnce(loop);
        assertEquals(List.of(1, 2, 2), iterationOf);
    }

    @Test
    @DisplayName("LOOP-33 a cancelled handle never runs, in the ready queue or among timers; cancel is repeatable")
    void cancelledHandlesNeverRun() {
        Handle soon = loop.callSoon(record("soon"));
        TimerHandle timer = loop.callLater(-1, record("timer"));
        loop.callSoon(record("kept"));
        soon.cancel();
        timer.cancel();
        soon.cancel();
        timer.cancel();
        assertTrue(soon.cancelled());
        assertTrue(timer.cancelled());
        Loops.runOnce(loop);
        Loops.runOnce(loop);
        assertEquals(List.of("kept"), log);
    }

    @Test
    @DisplayName("LOOP-33 cancel drops the reference to the callback")
    void cancelDropsTheCallback() {
        Runnable callback = record("x");
        WeakReference<Runnable> ref = new WeakReference<>(callback);
        TimerHandle h = loop.callLater(3600, callback);
        callback = null;
        h.cancel();
        for (int i = 0; i < 100 && ref.get() != null; i++) {
            System.gc();
            Loops.pause(10);
        }
        assertNull(ref.get());
        assertNotNull(h);
    }

    @Test
    @DisplayName("LOOP-34 cancelled timers are purged in bulk once more than 100 are scheduled and over half are cancelled")
    void cancelledTimersArePurged() {
        List<TimerHandle> timers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            timers.add(loop.callLater(3600 + i, record("t" + i)));
        }
        for (int i = 199; i >= 50; i--) { // the latest ones: none at the head of the heap
            timers.get(i).cancel();
        }
        assertEquals(200, timerCount());
        Loops.runOnce(loop);
        assertEquals(50, timerCount());
        assertTrue(log.isEmpty());
    }

    @Test
    @DisplayName("LOOP-34 below the purge threshold only cancelled timers at the head are popped")
    void belowThresholdOnlyTheHeadIsPopped() {
        List<TimerHandle> timers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            timers.add(loop.callLater(3600 + i, record("t" + i)));
        }
        for (int i = 0; i < 10; i++) {
            timers.get(i).cancel();           // at the head
            timers.get(100 + i * 5).cancel(); // in the middle
        }
        Loops.runOnce(loop);
        assertEquals(190, timerCount());
        for (int i = 100; i < 200; i++) {
            timers.get(i).cancel();
        }
        Loops.runOnce(loop);
        assertEquals(90, timerCount(), "now 100 of 190 are cancelled: purged");
    }

    @Test
    @DisplayName("LOOP-34 timers cancelled after they became due are not counted twice")
    void cancelAfterRunDoesNotCount() {
        List<TimerHandle> timers = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            timers.add(loop.callLater(-1, record("due" + i)));
        }
        Loops.runOnce(loop);
        assertEquals(0, timerCount());
        timers.forEach(TimerHandle::cancel); // ran already: not in the heap any more
        for (int i = 0; i < 120; i++) {
            loop.callLater(3600, record("far" + i));
        }
        Loops.runOnce(loop);
        assertEquals(120, timerCount());
        assertEquals(150, log.size());
    }

    @Test
    @DisplayName("LOOP-35 time() is monotonic")
    void timeIsMonotonic() {
        double previous = loop.time();
        for (int i = 0; i < 100_000; i++) {
            double now = loop.time();
            assertTrue(now >= previous, now + " < " + previous);
            previous = now;
        }
    }

    @Test
    @DisplayName("LOOP-36 TimerHandles order by when; equality is identity (asyncio4j: handles are mutable)")
    void timerHandleOrderAndEquality() {
        double now = loop.time();
        TimerHandle a = loop.callAt(now + 5, record("a"));
        TimerHandle b = loop.callAt(now + 6, record("b"));
        TimerHandle c = loop.callAt(now + 5, record("a"));
        assertEquals(now + 5, a.when());
        assertTrue(a.compareTo(b) < 0);
        assertTrue(b.compareTo(a) > 0);
        assertEquals(0, a.compareTo(c));
        assertNotEquals(a, c);
        assertEquals(a, a);
    }
}
