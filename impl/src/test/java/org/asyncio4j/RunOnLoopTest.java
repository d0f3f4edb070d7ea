package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.Test;

/** {@link EventLoops#runOnLoop} and {@link EventLoops#runOnLoopAsync}: CPython's run_coroutine_threadsafe. */
class RunOnLoopTest {
    private static final long WAIT_SECONDS = 10;

    @Test
    void runsOnTheLoopThreadAndReturnsTheValue() throws Exception {
        try (LoopThread lt = LoopThread.start(new SelectorEventLoop(), "run-on-loop")) {
            CompletableFuture<Thread> ranOn = EventLoops.runOnLoop(lt.loop(), Thread::currentThread);
            assertSame(lt.thread(), ranOn.get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCheckedExceptionCompletesTheFutureUnwrapped() {
        try (LoopThread lt = LoopThread.start(new SelectorEventLoop(), "run-on-loop")) {
            IOException thrown = new IOException("boom");
            CompletableFuture<Object> f = EventLoops.runOnLoop(lt.loop(), () -> {
                throw thrown;
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertSame(thrown, e.getCause());
        }
    }

    @Test
    void followsTheAsyncFutureTheTaskReturns() throws Exception {
        try (LoopThread lt = LoopThread.start(new SelectorEventLoop(), "run-on-loop")) {
            CompletableFuture<String> value = EventLoops.runOnLoopAsync(lt.loop(), () -> {
                AsyncFuture<String> f = lt.loop().createFuture();
                lt.loop().callLater(0.01, () -> f.setResult("later"));
                return f;
            });
            assertEquals("later", value.get(WAIT_SECONDS, TimeUnit.SECONDS));

            IllegalStateException failure = new IllegalStateException("inner failed");
            CompletableFuture<String> failed = EventLoops.runOnLoopAsync(lt.loop(), () -> {
                AsyncFuture<String> f = lt.loop().createFuture();
                f.setException(failure);
                return f;
            });
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> failed.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertSame(failure, e.getCause());

            CompletableFuture<String> cancelled = EventLoops.runOnLoopAsync(lt.loop(), () -> {
                AsyncFuture<String> f = lt.loop().createFuture();
                f.cancel();
                return f;
            });
            assertThrows(CancellationException.class, () -> cancelled.get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void cancellingBeforeTheLoopRunsKeepsTheTaskFromRunning() throws Exception {
        try (EventLoop loop = new SelectorEventLoop()) {
            AtomicBoolean ran = new AtomicBoolean();
            CompletableFuture<Boolean> f = EventLoops.runOnLoop(loop, () -> ran.getAndSet(true));
            assertTrue(f.cancel(false));
            CompletableFuture<Boolean> after = EventLoops.runOnLoop(loop, () -> true);
            loop.runUntilComplete(toAsync(loop, after));
            assertFalse(ran.get());
        }
    }

    @Test
    void aClosedLoopIsRefusedAtTheCall() {
        EventLoop loop = new SelectorEventLoop();
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EventLoops.runOnLoop(loop, () -> 1));
        assertEquals("Event loop is closed", e.getMessage());
        assertThrows(NullPointerException.class, () -> EventLoops.runOnLoop(null, () -> 1));
    }

    /** A loop future done when {@code cf} is: lets the test's own thread run the loop until then. */
    private static <T> AsyncFuture<T> toAsync(EventLoop loop, CompletableFuture<T> cf) {
        AsyncFuture<T> f = loop.createFuture();
        cf.whenComplete((v, e) -> loop.callSoonThreadsafe(() -> f.setResult(v)));
        return f;
    }
}
