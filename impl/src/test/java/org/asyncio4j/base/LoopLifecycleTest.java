package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** run, stop, runUntilComplete and close (LOOP-01..17) on the real selector loop. */
class LoopLifecycleTest {
    private final PollRecordingLoop loop = new PollRecordingLoop();
    private final List<String> log = new ArrayList<>();

    /** The Java counterpart of KeyboardInterrupt: an Error (asyncio4j's documented mapping, LOOP-15). */
    static final class Interrupt extends Error {
        Interrupt() {
            super("interrupt");
        }
    }

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    @DisplayName("LOOP-01 a new loop is neither running nor closed, and debug is off")
    void newLoopState() {
        assertFalse(loop.isRunning());
        assertFalse(loop.isClosed());
        assertFalse(loop.getDebug());
    }

    @Test
    @DisplayName("LOOP-01 debug comes from the environment: the asyncio4j.debug system property")
    void debugFromTheEnvironment() {
        System.setProperty("asyncio4j.debug", "true");
        try (SelectorEventLoop debugLoop = new SelectorEventLoop()) {
            assertTrue(debugLoop.getDebug());
        } finally {
            System.clearProperty("asyncio4j.debug");
        }
    }

    @Test
    @DisplayName("LOOP-02 isRunning is true while runForever runs, from any thread, and false afterwards")
    void isRunningFromAnyThread() {
        AtomicReference<Boolean> inside = new AtomicReference<>();
        try (LoopThread lt = LoopThread.start(loop, "loop")) {
            assertTrue(loop.isRunning(), "seen from the test thread");
            lt.loop().callSoonThreadsafe(() -> inside.set(loop.isRunning()));
            lt.stop();
            assertTrue(inside.get());
            assertFalse(loop.isRunning());
        }
    }

    @Test
    @DisplayName("LOOP-03 stop lets the iteration finish; callbacks scheduled by it wait for the next run")
    void stopFinishesTheIteration() {
        loop.callSoon(() -> {
            log.add("1");
            loop.stop();
            loop.callSoon(() -> log.add("later"));
        });
        loop.callSoon(() -> log.add("2"));
        loop.runForever();
        assertEquals(List.of("1", "2"), log);
        Loops.runOnce(loop);
        assertEquals(List.of("1", "2", "later"), log);
    }

    @Test
    @DisplayName("LOOP-04 a pre-stopped runForever does one iteration: one poll with timeout 0, then the ready callbacks")
    void preStoppedRunsOneIteration() {
        loop.callSoon(() -> {
            log.add("a");
            loop.callSoon(() -> log.add("next"));
        });
        loop.callLater(3600, () -> log.add("timer"));
        loop.stop();
        loop.runForever();
        assertEquals(List.of(0L), loop.timeouts);
        assertEquals(List.of("a"), log);
    }

    @Test
    @DisplayName("LOOP-05 the stop flag is cleared on exit: the next runForever runs until a new stop")
    void stopFlagIsCleared() {
        Loops.runOnce(loop);
        loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> {
            log.add("third iteration");
            loop.stop();
        })));
        int before = loop.iterations();
        loop.runForever();
        assertEquals(List.of("third iteration"), log);
        assertEquals(3, loop.iterations() - before);
    }

    @Test
    @DisplayName("LOOP-05 LOOP-15 the stop flag is also cleared when an Error leaves runForever")
    void stopFlagClearedOnError() {
        loop.callSoon(() -> {
            loop.stop();
            throw new Interrupt();
        });
        assertThrows(Interrupt.class, loop::runForever);
        loop.callSoon(() -> loop.callSoon(() -> {
            log.add("second iteration");
            loop.stop();
        }));
        loop.runForever();
        assertEquals(List.of("second iteration"), log);
    }

    @Test
    @DisplayName("LOOP-06 stop from another thread does not wake a blocked loop; callSoonThreadsafe(stop) does")
    void stopDoesNotWake() {
        try (LoopThread lt = LoopThread.start(loop, "idle-loop")) {
            Loops.await(loop.blocking, "the loop to block without a timeout");
            int iterations = loop.iterations();
            loop.stop();
            Loops.pause(200);
            assertTrue(loop.isRunning(), "stop() alone did not wake the poll");
            assertEquals(iterations, loop.iterations());
            loop.callSoonThreadsafe(() -> { });
            Loops.join(lt.thread());
            assertFalse(loop.isRunning());
        }
    }

    @Test
    @DisplayName("LOOP-07 runForever and runUntilComplete inside the running loop: \"This event loop is already running\"")
    void nestedRunIsRefused() {
        AsyncFuture<Object> f = loop.createFuture();
        List<String> messages = new ArrayList<>();
        loop.callSoon(() -> {
            messages.add(assertThrows(IllegalStateException.class, loop::runForever).getMessage());
            messages.add(assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f)).getMessage());
        });
        Loops.runOnce(loop);
        assertEquals(List.of("This event loop is already running", "This event loop is already running"), messages);
    }

    @Test
    @DisplayName("LOOP-07 running a loop that runs in another thread: \"This event loop is already running\"")
    void runFromAnotherThreadIsRefused() {
        try (LoopThread lt = LoopThread.start(loop, "busy-loop")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, loop::runForever);
            assertEquals("This event loop is already running", e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(loop.createFuture()));
            assertEquals("This event loop is already running", e.getMessage());
            lt.stop();
        }
    }

    @Test
    @DisplayName("LOOP-08 running a second loop inside a callback: \"Cannot run the event loop while another loop is running\"")
    void anotherLoopInTheSameThreadIsRefused() {
        try (SelectorEventLoop other = new SelectorEventLoop()) {
            List<String> messages = new ArrayList<>();
            loop.callSoon(() -> {
                messages.add(assertThrows(IllegalStateException.class, other::runForever).getMessage());
                messages.add(assertThrows(IllegalStateException.class,
                        () -> other.runUntilComplete(other.createFuture())).getMessage());
            });
            Loops.runOnce(loop);
            assertEquals(List.of("Cannot run the event loop while another loop is running",
                    "Cannot run the event loop while another loop is running"), messages);
            assertFalse(other.isRunning());
        }
    }

    @Test
    @DisplayName("LOOP-09 a closed loop says \"Event loop is closed\" before checking the future's loop")
    void closedIsCheckedFirst() {
        try (SelectorEventLoop other = new SelectorEventLoop()) {
            AsyncFuture<Object> foreign = other.createFuture();
            loop.close();
            assertEquals("Event loop is closed",
                    assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(foreign)).getMessage());
            assertEquals("Event loop is closed",
                    assertThrows(IllegalStateException.class, loop::runForever).getMessage());
        }
    }

    @Test
    @DisplayName("LOOP-11 runUntilComplete with another loop's future: \"The future belongs to a different loop ...\"")
    void foreignFutureIsRefused() {
        try (SelectorEventLoop other = new SelectorEventLoop()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.runUntilComplete(other.createFuture()));
            assertEquals("The future belongs to a different loop than the one specified as the loop argument",
                    e.getMessage());
        }
    }

    @Test
    @DisplayName("LOOP-12 runUntilComplete returns the result, or throws the future's exception or cancellation")
    void runUntilCompleteOutcomes() {
        AsyncFuture<String> ok = loop.createFuture();
        loop.callLater(0.001, () -> ok.setResult("done"));
        assertEquals("done", loop.runUntilComplete(ok));

        AsyncFuture<String> failed = loop.createFuture();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        loop.callSoon(() -> failed.setException(boom));
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(failed)));

        AsyncFuture<String> checked = loop.createFuture();
        Exception io = new IOException("io");
        loop.callSoon(() -> checked.setException(io));
        assertSame(io, assertThrows(CompletionException.class, () -> loop.runUntilComplete(checked)).getCause());

        AsyncFuture<String> cancelled = loop.createFuture();
        loop.callSoon(cancelled::cancel);
        assertThrows(CancellationException.class, () -> loop.runUntilComplete(cancelled));
    }

    @Test
    @DisplayName("LOOP-12 LOOP-13 an orphaned future, completed later, does not stop a later run")
    void orphanFutureDoesNotStopALaterRun() {
        AsyncFuture<String> f = loop.createFuture();
        loop.stop();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
        assertEquals("Event loop stopped before Future completed.", e.getMessage());
        assertFalse(f.done(), "the future stays pending");

        loop.callSoon(() -> f.setResult("late"));
        loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> {
            log.add("third iteration");
            loop.stop();
        })));
        loop.runForever();
        assertEquals(List.of("third iteration"), log);
    }

    @Test
    @DisplayName("LOOP-13 stop() before the future is done: \"Event loop stopped before Future completed.\"")
    void stoppedBeforeDone() {
        AsyncFuture<String> f = loop.createFuture();
        loop.callSoon(loop::stop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
        assertEquals("Event loop stopped before Future completed.", e.getMessage());
        assertFalse(f.done());
    }

    @Test
    @DisplayName("LOOP-14 a future finished with an Error that unwound runUntilComplete does not stop the next run")
    void errorFinishedFutureDoesNotStopTheNextRun() {
        AsyncFuture<String> f = loop.createFuture();
        Interrupt interrupt = new Interrupt();
        loop.callSoon(() -> {
            f.setException(interrupt);
            throw interrupt;
        });
        assertSame(interrupt, assertThrows(Interrupt.class, () -> loop.runUntilComplete(f)));
        assertSame(interrupt, f.exception());
        loop.callSoon(() -> loop.callSoon(() -> {
            log.add("second iteration");
            loop.stop();
        }));
        loop.runForever();
        assertEquals(List.of("second iteration"), log);
    }

    @Test
    @DisplayName("LOOP-15 an Error from a callback leaves runForever, skips the exception handler; the rest run next time")
    void errorPropagatesAndTheLoopStaysUsable() {
        List<Object> handled = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> handled.add(ctx));
        loop.callSoon(() -> log.add("before"));
        loop.callSoon(() -> {
            throw new Interrupt();
        });
        loop.callSoon(() -> log.add("after-interrupt"));
        assertThrows(Interrupt.class, loop::runForever);
        assertEquals(List.of("before"), log);
        assertFalse(loop.isRunning());
        assertTrue(handled.isEmpty(), "an Error is not an exception-handler matter");
        loop.callSoon(() -> log.add("scheduled after"));
        Loops.runOnce(loop);
        assertEquals(List.of("before", "after-interrupt", "scheduled after"), log);
    }

    @Test
    @DisplayName("LOOP-16 close on a running loop, from inside or another thread: \"Cannot close a running event loop\"")
    void closeWhileRunningIsRefused() {
        List<String> messages = new ArrayList<>();
        loop.callSoon(() -> messages.add(assertThrows(IllegalStateException.class, loop::close).getMessage()));
        Loops.runOnce(loop);
        assertEquals(List.of("Cannot close a running event loop"), messages);
        try (LoopThread lt = LoopThread.start(loop, "running")) {
            assertEquals("Cannot close a running event loop",
                    assertThrows(IllegalStateException.class, loop::close).getMessage());
            assertFalse(loop.isClosed());
            lt.stop();
        }
    }

    @Test
    @DisplayName("LOOP-17 close is idempotent and drops pending callbacks and timers")
    void closeIsIdempotentAndDropsWork() {
        Runnable soon = () -> log.add("soon");
        Runnable timer = () -> log.add("timer");
        WeakReference<Runnable> soonRef = new WeakReference<>(soon);
        WeakReference<Runnable> timerRef = new WeakReference<>(timer);
        loop.callSoon(soon);
        loop.callLater(0, timer);
        soon = null;
        timer = null;
        loop.close();
        assertTrue(loop.isClosed());
        loop.close();
        assertTrue(loop.isClosed());
        for (int i = 0; i < 100 && (soonRef.get() != null || timerRef.get() != null); i++) {
            System.gc();
            Loops.pause(10);
        }
        assertEquals(null, soonRef.get(), "the ready queue let go of its callback");
        assertEquals(null, timerRef.get(), "the timer heap let go of its callback");
        assertTrue(log.isEmpty());
    }

    @Test
    @DisplayName("LOOP-02 runUntilComplete returns the loop to not running")
    void notRunningAfterRunUntilComplete() {
        AsyncFuture<EventLoop> f = loop.createFuture();
        loop.callSoon(() -> f.setResult(loop.isRunning() ? loop : null));
        assertSame(loop, loop.runUntilComplete(f));
        assertFalse(loop.isRunning());
    }
}
