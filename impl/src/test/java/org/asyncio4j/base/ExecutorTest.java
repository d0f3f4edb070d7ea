package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** runInExecutor and the default executor's life cycle (LOOP-17, LOOP-45, LOOP-46). */
class ExecutorTest {
    private final SelectorEventLoop loop = new SelectorEventLoop();

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    @DisplayName("LOOP-45 runInExecutor(null) runs on a default-executor thread; the result arrives on the loop thread")
    void defaultExecutorRunsOffTheLoop() {
        AtomicReference<Thread> worker = new AtomicReference<>();
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        AsyncFuture<String> f = loop.runInExecutor(null, () -> {
            worker.set(Thread.currentThread());
            return "computed";
        });
        assertSame(loop, f.getLoop());
        f.addDoneCallback(x -> callbackThread.set(Thread.currentThread()));
        assertEquals("computed", loop.runUntilComplete(f));
        assertNotSame(Thread.currentThread(), worker.get());
        assertTrue(worker.get().getName().contains("executor"), worker.get().getName());
        assertSame(Thread.currentThread(), callbackThread.get());
        loop.runUntilComplete(loop.shutdownDefaultExecutor());
    }

    @Test
    @DisplayName("LOOP-45 exceptions arrive as the future's exception; checked ones are wrapped by result()")
    void exceptionsAreDelivered() {
        IllegalArgumentException unchecked = new IllegalArgumentException("bad");
        AsyncFuture<Object> f = loop.runInExecutor(Runnable::run, () -> {
            throw unchecked;
        });
        assertSame(unchecked, assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(f)));
        Exception checked = new IOException("io");
        AsyncFuture<Object> g = loop.runInExecutor(null, () -> {
            throw checked;
        });
        assertSame(checked, assertThrows(CompletionException.class, () -> loop.runUntilComplete(g)).getCause());
        assertSame(checked, g.exception());
        loop.runUntilComplete(loop.shutdownDefaultExecutor());
    }

    @Test
    @DisplayName("LOOP-45 the given executor is used")
    void givenExecutorIsUsed() {
        List<Runnable> submitted = new ArrayList<>();
        AsyncFuture<Integer> f = loop.runInExecutor(submitted::add, () -> 5);
        assertEquals(1, submitted.size());
        assertFalse(f.done());
        submitted.get(0).run();
        assertEquals(5, loop.runUntilComplete(f));
    }

    @Test
    @DisplayName("LOOP-45 cancelling the future cancels work that has not started")
    void cancelPropagates() {
        List<Runnable> submitted = new ArrayList<>();
        AtomicBoolean called = new AtomicBoolean();
        AsyncFuture<Integer> f = loop.runInExecutor(submitted::add, () -> {
            called.set(true);
            return 1;
        });
        assertTrue(f.cancel());
        Loops.runOnce(loop); // the cancellation reaches the task through a done-callback
        submitted.get(0).run();
        assertFalse(called.get());
        Loops.runOnce(loop);
        assertTrue(f.cancelled());
    }

    @Test
    @DisplayName("LOOP-46 after shutdownDefaultExecutor: \"Executor shutdown has been called\"; a given executor still works")
    void shutdownRefusesTheDefaultExecutor() {
        AsyncFuture<Thread> first = loop.runInExecutor(null, Thread::currentThread);
        Thread worker = loop.runUntilComplete(first);
        AsyncFuture<Void> shutdown = loop.shutdownDefaultExecutor();
        loop.runUntilComplete(shutdown);
        Loops.join(worker);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runInExecutor(null, () -> 1));
        assertEquals("Executor shutdown has been called", e.getMessage());
        AsyncFuture<Integer> given = loop.runInExecutor(Runnable::run, () -> 2);
        assertEquals(2, loop.runUntilComplete(given));
    }

    @Test
    @DisplayName("LOOP-17 close shuts the default executor down without waiting, and the late result is dropped")
    void closeShutsDownTheExecutor() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        AsyncFuture<String> f = loop.runInExecutor(null, () -> {
            worker.set(Thread.currentThread());
            started.countDown();
            release.await();
            return "late";
        });
        Loops.await(started, "the work to start");
        loop.close(); // returns at once although the work still runs
        assertTrue(worker.get().isAlive());
        release.countDown();
        Loops.join(worker.get()); // a pool that was not shut down would keep its thread for 60 s
        assertFalse(f.done());
    }
}
