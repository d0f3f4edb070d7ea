package org.asyncio4j.conformance;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;

/**
 * Runs an event loop forever on a thread of its own, and runs code on it: the way a watcher or a
 * cross-thread property drives a loop. Every wait has a 30 s safety net ({@link #get}, {@link #await},
 * {@link #join}).
 *
 * <p>A loop the kit drives as a fixture ({@link #fixture}: the loop a watcher is attached to, which the loop
 * kit checks on its own) runs code through {@link EventLoops#runOnLoop}. A loop under test runs it through
 * {@link #callThreadsafe} instead.
 */
final class LoopThread implements AutoCloseable {
    private static final long SAFETY_SECONDS = 30;

    private final EventLoop loop;
    private final boolean underTest;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Throwable died;

    /** Starts {@code loop}, a loop under test, on a new thread named {@code name}. */
    LoopThread(EventLoop loop, String name) {
        this(loop, name, true);
    }

    private LoopThread(EventLoop loop, String name, boolean underTest) {
        this.loop = loop;
        this.underTest = underTest;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
        await(started, "the loop thread to start");
        call(() -> null); // the loop is now running
    }

    /** Starts {@code loop}, a fixture the kit trusts, on a new thread named {@code name}. */
    static LoopThread fixture(EventLoop loop, String name) {
        return new LoopThread(loop, name, false);
    }

    private void run() {
        loop.callSoon(started::countDown);
        try {
            loop.runForever();
        } catch (Throwable t) {
            died = t;
        }
    }

    /** The loop. */
    EventLoop loop() {
        return loop;
    }

    /** The thread that runs it. */
    Thread thread() {
        return thread;
    }

    /** Runs {@code task} on the loop thread and returns its result. */
    <T> T call(Callable<T> task) {
        CompletableFuture<T> result = underTest ? callThreadsafe(loop, task) : EventLoops.runOnLoop(loop, task);
        return get(result, () -> "the loop thread " + thread.getName() + " to run a task" + (died == null ? "" : "; it died of " + died));
    }

    /**
     * Runs {@code task} on {@code loop}'s thread through {@code callSoonThreadsafe} alone, and completes the
     * returned future with its outcome from that thread. The kit's bridge to a loop under test: unlike
     * {@link EventLoops#runOnLoop}, it never completes through a future of the loop, so a loop whose futures
     * are broken is still driven, and fails on its own rule.
     */
    static <T> CompletableFuture<T> callThreadsafe(EventLoop loop, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Runs {@code task} on the loop thread. */
    void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Returns once everything queued on the loop before this call has run: {@code n} round trips. */
    void barrier(int n) {
        for (int i = 0; i < n; i++) {
            call(() -> null);
        }
    }

    /** Stops the loop, waits for its thread and closes the loop. */
    @Override
    public void close() {
        if (thread.isAlive() && !loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(loop::stop);
            } catch (IllegalStateException closed) {
                // closed by the property itself
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the loop thread " + thread.getName() + " did not stop within 30 s");
        }
        loop.close();
    }

    /**
     * The result of {@code future} within the safety net, waiting for {@code what}; its exception is rethrown as
     * is when unchecked, and a timeout is an IllegalStateException naming {@code what}.
     */
    static <T> T get(Future<T> future, Supplier<String> what) {
        try {
            return future.get(SAFETY_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out (" + SAFETY_SECONDS + " s) waiting for " + what.get(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits for {@code thread} to end within the safety net; a timeout is an IllegalStateException naming {@code what}. */
    static void join(Thread thread, String what) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("timed out (" + SAFETY_SECONDS + " s) waiting for " + what);
        }
    }

    /** {@return whether the latch opens within a third of a try's deadline, which leaves the try time to say why not} */
    static boolean arrives(CountDownLatch latch) {
        try {
            return latch.await((long) (Settings.TRY_SECONDS * Settings.timeScale() * 1000 / 3), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(SAFETY_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out (" + SAFETY_SECONDS + " s) waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
