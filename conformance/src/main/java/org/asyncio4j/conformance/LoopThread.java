package org.asyncio4j.conformance;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.asyncio4j.EventLoop;

/**
 * Runs an event loop forever on a thread of its own, and runs code on it: the way a watcher or a
 * cross-thread property drives a loop. Every wait has a 30 s safety net.
 *
 * <p>It does not use {@code EventLoops.runOnLoop}, which completes through a future of the loop under test:
 * the kit drives implementations it does not trust, so its bridge rests on {@code callSoonThreadsafe} alone
 * (a mutant with broken futures must still be driven, and fail on its own rule).
 */
public final class LoopThread implements AutoCloseable {
    private static final long SAFETY_SECONDS = 30;

    private final EventLoop loop;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Throwable died;

    /** Starts {@code loop} on a new thread named {@code name}. */
    public LoopThread(EventLoop loop, String name) {
        this.loop = loop;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
        await(started, "the loop thread to start");
        call(() -> null); // the loop is now running
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
    public EventLoop loop() {
        return loop;
    }

    /** The thread that runs it. */
    public Thread thread() {
        return thread;
    }

    /** Runs {@code task} on the loop thread (through callSoonThreadsafe) and returns its result. */
    public <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(SAFETY_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the loop thread did not run a task within " + SAFETY_SECONDS + " s"
                    + (died == null ? "" : "; it died of " + died), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs {@code task} on the loop thread. */
    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Returns once everything queued on the loop before this call has run: {@code n} round trips. */
    public void barrier(int n) {
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
