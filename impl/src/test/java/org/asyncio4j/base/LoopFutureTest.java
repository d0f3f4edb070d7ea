package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.InvalidStateException;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The asyncio.Future state machine and its callbacks (FUT-01..20), plus the CompletableFuture bridge. */
class LoopFutureTest {
    private final SelectorEventLoop loop = new SelectorEventLoop();
    private final AsyncFuture<Integer> f = loop.createFuture();
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    @DisplayName("FUT-01 a new future is pending: not done, not cancelled")
    void initialState() {
        assertFalse(f.done());
        assertFalse(f.cancelled());
    }

    @Test
    @DisplayName("FUT-02 a future is bound to the loop that created it")
    void boundToItsLoop() {
        assertSame(loop, f.getLoop());
        assertSame(loop, new LoopFuture<String>(loop).getLoop());
        assertThrows(NullPointerException.class, () -> new LoopFuture<String>(null));
    }

    @Test
    @DisplayName("FUT-03 result() and exception() on a pending future: \"Result is not set.\" / \"Exception is not set.\"")
    void pendingAccessors() {
        assertEquals("Result is not set.", assertThrows(InvalidStateException.class, f::result).getMessage());
        assertEquals("Exception is not set.", assertThrows(InvalidStateException.class, f::exception).getMessage());
    }

    @Test
    @DisplayName("FUT-04 setResult finishes the future: result() returns it, exception() null")
    void setResult() {
        f.setResult(42);
        assertTrue(f.done());
        assertFalse(f.cancelled());
        assertEquals(42, f.result());
        assertNull(f.exception());
    }

    @Test
    @DisplayName("FUT-05 setException finishes the future: result() throws it, exception() returns it")
    void setException() {
        IllegalStateException boom = new IllegalStateException("boom");
        f.setException(boom);
        assertTrue(f.done());
        assertSame(boom, assertThrows(IllegalStateException.class, f::result));
        assertSame(boom, f.exception());
        assertThrows(NullPointerException.class, () -> loop.createFuture().setException(null));
    }

    @Test
    @DisplayName("FUT-05 (the API) a checked exception is wrapped in CompletionException by result(); an Error is thrown as is")
    void checkedExceptionsAreWrapped() {
        Exception checked = new IOException("io");
        f.setException(checked);
        CompletionException e = assertThrows(CompletionException.class, f::result);
        assertSame(checked, e.getCause());
        assertSame(checked, f.exception());
        AsyncFuture<Integer> g = loop.createFuture();
        StackOverflowError error = new StackOverflowError("deep");
        g.setException(error);
        assertSame(error, assertThrows(StackOverflowError.class, g::result));
    }

    @Test
    @DisplayName("FUT-07 completing a done future: InvalidStateException \"FINISHED: <Future finished result=42>\" / \"CANCELLED: <Future cancelled>\"")
    void completingTwiceIsRefused() {
        f.setResult(42);
        assertEquals("FINISHED: <Future finished result=42>",
                assertThrows(InvalidStateException.class, () -> f.setResult(43)).getMessage());
        assertEquals("FINISHED: <Future finished result=42>",
                assertThrows(InvalidStateException.class, () -> f.setException(new RuntimeException())).getMessage());
        assertEquals(42, f.result());
        AsyncFuture<Integer> c = loop.createFuture();
        c.cancel();
        assertEquals("CANCELLED: <Future cancelled>",
                assertThrows(InvalidStateException.class, () -> c.setResult(1)).getMessage());
    }

    @Test
    @DisplayName("FUT-08 FUT-09 cancel: true once, then false; done and cancelled; result() and exception() throw CancellationException")
    void cancel() {
        f.addDoneCallback(x -> log.add("callback"));
        assertTrue(f.cancel());
        assertFalse(f.cancel());
        assertTrue(f.done());
        assertTrue(f.cancelled());
        assertThrows(CancellationException.class, f::result);
        assertThrows(CancellationException.class, f::exception);
        Loops.runOnce(loop);
        assertEquals(List.of("callback"), log);
        AsyncFuture<Integer> finished = loop.createFuture();
        finished.setResult(1);
        assertFalse(finished.cancel());
        assertFalse(finished.cancelled());
        assertEquals(1, finished.result());
    }

    @Test
    @DisplayName("FUT-10 cancel(msg): the later CancellationException carries msg")
    void cancelMessage() {
        assertTrue(f.cancel("shutting down"));
        assertEquals("shutting down", assertThrows(CancellationException.class, f::result).getMessage());
        assertEquals("shutting down", assertThrows(CancellationException.class, f::exception).getMessage());
    }

    @Test
    @DisplayName("FUT-11 FUT-13 callbacks are never synchronous; they run through callSoon in registration order with the future")
    void callbacksAreScheduledInOrder() {
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            f.addDoneCallback(x -> {
                log.add("cb" + n);
                args.add(x);
            });
        }
        loop.callSoon(() -> log.add("queued before completion"));
        f.setResult(1);
        assertTrue(log.isEmpty(), "nothing ran synchronously");
        loop.callSoon(() -> log.add("queued after completion"));
        Loops.runOnce(loop);
        assertEquals(List.of("queued before completion", "cb0", "cb1", "cb2", "cb3", "cb4", "queued after completion"), log);
        args.forEach(a -> assertSame(f, a));
    }

    @Test
    @DisplayName("FUT-11 callbacks are scheduled on setException too, and the list is emptied")
    void callbacksOnException() {
        f.addDoneCallback(x -> log.add("cb"));
        f.setException(new RuntimeException("x"));
        f.exception();
        Loops.runOnce(loop);
        Loops.runOnce(loop);
        assertEquals(List.of("cb"), log);
    }

    @Test
    @DisplayName("FUT-12 adding a callback to a done future schedules it, still asynchronously")
    void addToDoneFuture() {
        f.setResult(7);
        f.addDoneCallback(x -> log.add("late " + x.result()));
        assertTrue(log.isEmpty());
        Loops.runOnce(loop);
        assertEquals(List.of("late 7"), log);
    }

    @Test
    @DisplayName("FUT-14 removeDoneCallback removes every equal registration and counts them; 0 once done")
    void removeDoneCallbackCounts() {
        Consumer<AsyncFuture<Integer>> a = x -> log.add("a");
        Consumer<AsyncFuture<Integer>> b = x -> log.add("b");
        f.addDoneCallback(a);
        f.addDoneCallback(b);
        f.addDoneCallback(a);
        assertEquals(2, f.removeDoneCallback(a));
        assertEquals(0, f.removeDoneCallback(a));
        f.setResult(1);
        assertEquals(0, f.removeDoneCallback(b), "the list was emptied on completion");
        Loops.runOnce(loop);
        assertEquals(List.of("b"), log);
    }

    /** A callback whose first equality check mutates the future's callback list, as in CPython's list-mutation tests. */
    private final class MutatingCallback implements Consumer<AsyncFuture<Integer>> {
        private Runnable mutation;

        MutatingCallback(Runnable mutation) {
            this.mutation = mutation;
        }

        @Override
        public void accept(AsyncFuture<Integer> future) {
            log.add("mutating");
        }

        @Override
        public boolean equals(Object other) {
            Runnable once = mutation;
            mutation = null;
            if (once != null) {
                once.run();
            }
            return false;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    @Test
    @DisplayName("FUT-15 a callback that adds or removes callbacks while the list is filtered does not break it")
    void listMutationDuringRemove() {
        Consumer<AsyncFuture<Integer>> other = x -> log.add("other");
        Consumer<AsyncFuture<Integer>> added = x -> log.add("added");
        f.addDoneCallback(new MutatingCallback(() -> f.removeDoneCallback(other)));
        f.addDoneCallback(other);
        f.addDoneCallback(new MutatingCallback(() -> f.addDoneCallback(added)));
        Consumer<AsyncFuture<Integer>> target = x -> log.add("target");
        f.addDoneCallback(target);
        assertEquals(1, f.removeDoneCallback(target));
        f.setResult(1);
        Loops.runOnce(loop);
        assertTrue(log.contains("mutating") && !log.contains("target"), log.toString());
    }

    @Test
    @DisplayName("FUT-17 completing a future with callbacks on a closed loop changes its state, then says \"Event loop is closed\"")
    void completionOnAClosedLoop() {
        f.addDoneCallback(x -> log.add("never"));
        AsyncFuture<Integer> quiet = loop.createFuture();
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.setResult(1));
        assertEquals("Event loop is closed", e.getMessage());
        assertTrue(f.done());
        assertEquals(1, f.result());
        quiet.setResult(2); // no callbacks: completes normally
        assertEquals(2, quiet.result());
        AsyncFuture<Integer> cancelled = new LoopFuture<>(loop);
        cancelled.addDoneCallback(x -> log.add("never"));
        assertThrows(IllegalStateException.class, cancelled::cancel);
        assertTrue(cancelled.cancelled());
    }

    @Test
    @DisplayName("FUT-20 another thread completes a future through callSoonThreadsafe")
    void completedFromAnotherThread() {
        Thread t = new Thread(() -> loop.callSoonThreadsafe(() -> f.setResult(99)), "completer");
        t.start();
        assertEquals(99, loop.runUntilComplete(f));
        Loops.join(t);
    }

    @Test
    @DisplayName("FUT-11 toCompletableFuture completes on the loop thread with the result")
    void bridgeResult() throws Exception {
        CompletableFuture<Integer> cf = f.toCompletableFuture();
        assertSame(cf, f.toCompletableFuture());
        List<Thread> completedOn = new ArrayList<>();
        cf.thenRun(() -> completedOn.add(Thread.currentThread()));
        f.setResult(5);
        assertFalse(cf.isDone(), "completion goes through a loop callback");
        Loops.runOnce(loop);
        assertEquals(5, cf.get());
        assertEquals(List.of(Thread.currentThread()), completedOn);
    }

    @Test
    @DisplayName("FUT-09 toCompletableFuture mirrors exceptions and cancellation; cancelling the bridge leaves the future alone")
    void bridgeFailures() {
        RuntimeException boom = new RuntimeException("boom");
        CompletableFuture<Integer> failing = f.toCompletableFuture();
        f.setException(boom);
        Loops.runOnce(loop);
        assertSame(boom, assertThrows(ExecutionException.class, failing::get).getCause());

        AsyncFuture<Integer> c = loop.createFuture();
        CompletableFuture<Integer> cancelled = c.toCompletableFuture();
        c.cancel();
        Loops.runOnce(loop);
        assertTrue(cancelled.isCancelled());

        AsyncFuture<Integer> d = loop.createFuture();
        d.toCompletableFuture().cancel(true);
        assertFalse(d.done());
    }
}
