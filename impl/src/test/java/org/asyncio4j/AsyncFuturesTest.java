package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AsyncFutures}: wait_for, gather, wait, sleep, shield and wrap_future on the selector loop. */
class AsyncFuturesTest {
    private EventLoop loop;

    @BeforeEach
    void open() {
        loop = new SelectorEventLoop();
    }

    @AfterEach
    void close() {
        loop.close();
    }

    private <T> AsyncFuture<T> later(double seconds, T value) {
        AsyncFuture<T> f = loop.createFuture();
        loop.callLater(seconds, () -> {
            if (!f.done()) {
                f.setResult(value);
            }
        });
        return f;
    }

    @Test
    void waitForReturnsTheResultWhenTheFutureIsInTime() {
        AsyncFuture<String> inner = later(0.01, "in time");
        assertEquals("in time", loop.runUntilComplete(AsyncFutures.waitFor(inner, 10)));
        assertFalse(inner.cancelled());
    }

    @Test
    void waitForCancelsTheFutureAndFailsWithTimeoutWhenTheTimeIsUp() {
        AsyncFuture<String> never = loop.createFuture();
        AsyncFuture<String> outer = AsyncFutures.waitFor(never, Duration.ofMillis(20));
        CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(outer));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(never.cancelled());
    }

    @Test
    void waitForWithNoTimeLeftTimesOutUnlessTheFutureIsDone() {
        AsyncFuture<Integer> done = loop.createFuture();
        done.setResult(7);
        assertEquals(7, loop.runUntilComplete(AsyncFutures.waitFor(done, 0)));
        AsyncFuture<Integer> pending = loop.createFuture();
        AsyncFuture<Integer> outer = AsyncFutures.waitFor(pending, -1);
        assertTrue(outer.done());
        assertInstanceOf(TimeoutException.class, outer.exception());
        assertTrue(pending.cancelled());
    }

    @Test
    void cancellingWaitForCancelsTheInnerFuture() {
        AsyncFuture<String> inner = loop.createFuture();
        AsyncFuture<String> outer = AsyncFutures.waitFor(inner, 10);
        outer.cancel();
        loop.runUntilComplete(AsyncFutures.sleep(loop, 0));
        assertTrue(inner.cancelled());
    }

    @Test
    void waitForRefusesNaNAndNull() {
        AsyncFuture<String> f = loop.createFuture();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsyncFutures.waitFor(f, Double.NaN));
        assertTrue(e.getMessage().contains("timeoutSeconds"), e.getMessage());
        assertThrows(NullPointerException.class, () -> AsyncFutures.waitFor(null, 1));
    }

    @Test
    void gatherKeepsTheOrderOfItsInputsNotOfTheirCompletion() {
        AsyncFuture<Integer> slow = later(0.03, 1);
        AsyncFuture<Integer> fast = later(0.0, 2);
        assertEquals(List.of(1, 2), loop.runUntilComplete(AsyncFutures.gather(List.of(slow, fast))));
    }

    @Test
    void gatherFailsWithTheFirstFailureAndLetsTheOthersRun() {
        AsyncFuture<Integer> failing = loop.createFuture();
        AsyncFuture<Integer> running = later(0.02, 2);
        IllegalStateException boom = new IllegalStateException("boom");
        loop.callSoon(() -> failing.setException(boom));
        AsyncFuture<List<Integer>> all = AsyncFutures.gather(List.of(failing, running));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(all)));
        assertFalse(running.cancelled());
        assertEquals(2, loop.runUntilComplete(running));
    }

    @Test
    void gatherTreatsACancelledInputAsAFailureAndItsOwnCancellationCancelsTheInputs() {
        AsyncFuture<Integer> cancelled = loop.createFuture();
        cancelled.cancel("stopped");
        AsyncFuture<List<Integer>> one = AsyncFutures.gather(List.of(cancelled));
        loop.runUntilComplete(AsyncFutures.allDone(List.of(one)));
        assertFalse(one.cancelled());
        assertInstanceOf(CancellationException.class, one.exception());

        AsyncFuture<Integer> a = loop.createFuture();
        AsyncFuture<Integer> b = loop.createFuture();
        AsyncFuture<List<Integer>> both = AsyncFutures.gather(List.of(a, b));
        both.cancel();
        loop.runUntilComplete(AsyncFutures.sleep(loop, 0));
        assertTrue(a.cancelled() && b.cancelled());
    }

    @Test
    void gatherOfNothingIsDoneWithAnEmptyListAndRefusesMixedLoops() {
        EventLoops.setEventLoop(loop);
        try {
            assertEquals(List.of(), AsyncFutures.gather(List.<AsyncFuture<Integer>>of()).result());
        } finally {
            EventLoops.setEventLoop(null);
        }
        try (EventLoop other = new SelectorEventLoop()) {
            List<AsyncFuture<Integer>> mixed = List.of(loop.createFuture(), other.createFuture());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsyncFutures.gather(mixed));
            assertTrue(e.getMessage().contains("futures[1]"), e.getMessage());
        }
    }

    @Test
    void allDoneWaitsForEveryInputAndNeverFails() {
        AsyncFuture<Integer> failing = loop.createFuture();
        failing.setException(new IOException("one failed"));
        AsyncFuture<Integer> ok = later(0.01, 3);
        List<AsyncFuture<Integer>> done = loop.runUntilComplete(AsyncFutures.allDone(List.of(failing, ok)));
        assertSame(failing, done.get(0));
        assertInstanceOf(IOException.class, done.get(0).exception());
        assertEquals(3, done.get(1).result());
    }

    @Test
    void firstDoneIsTheFirstToFinish() {
        AsyncFuture<String> slow = later(5, "slow");
        AsyncFuture<String> fast = later(0.01, "fast");
        assertSame(fast, loop.runUntilComplete(AsyncFutures.firstDone(List.of(slow, fast))));
        assertFalse(slow.done());
        slow.cancel();
        assertThrows(IllegalArgumentException.class, () -> AsyncFutures.firstDone(List.of()));
    }

    @Test
    void sleepLastsAtLeastItsDelayOnTheLoopClockAndItsCancellationCancelsTheTimer() {
        double start = loop.time();
        loop.runUntilComplete(AsyncFutures.sleep(loop, 0.02));
        assertTrue(loop.time() - start >= 0.02, "slept " + (loop.time() - start) + " s");
        AsyncFuture<Void> s = AsyncFutures.sleep(loop, 60);
        assertTrue(s.cancel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsyncFutures.sleep(loop, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void shieldKeepsTheWorkRunningWhenTheWaiterIsCancelled() {
        AsyncFuture<String> work = later(0.01, "finished");
        AsyncFuture<String> shielded = AsyncFutures.shield(work);
        shielded.cancel();
        assertEquals("finished", loop.runUntilComplete(work));
        assertTrue(shielded.cancelled());
    }

    @Test
    void fromCompletionStageCompletesOnTheLoopAndUnwrapsTheCause() throws Exception {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Thread other = new Thread(() -> cf.complete("from another thread"));
        AsyncFuture<String> f = AsyncFutures.fromCompletionStage(loop, cf);
        other.start();
        assertEquals("from another thread", loop.runUntilComplete(f));
        other.join();

        // A thread of the test's own, joined: a common-pool worker outlives the test (60 s keep-alive on Java 25).
        CompletableFuture<String> failing = new CompletableFuture<>();
        Thread failer = new Thread(() -> failing.completeExceptionally(new CompletionException(new IllegalArgumentException("bad"))));
        AsyncFuture<String> g = AsyncFutures.fromCompletionStage(loop, failing);
        failer.start();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(g));
        assertEquals("bad", e.getMessage());
        failer.join();
    }

    @Test
    void cancellationCrossesTheBridgeBothWays() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        AsyncFuture<String> f = AsyncFutures.fromCompletionStage(loop, cf);
        f.cancel();
        loop.runUntilComplete(AsyncFutures.sleep(loop, 0)); // done callbacks run through the loop
        assertTrue(cf.isCancelled());

        CompletableFuture<String> cancelledOutside = new CompletableFuture<>();
        AsyncFuture<String> g = AsyncFutures.fromCompletionStage(loop, cancelledOutside);
        cancelledOutside.cancel(false);
        loop.runUntilComplete(AsyncFutures.allDone(List.of(g)));
        assertTrue(g.cancelled());
    }
}
