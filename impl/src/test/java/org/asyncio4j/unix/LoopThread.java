package org.asyncio4j.unix;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Test helper: a real {@link SelectorEventLoop} running forever in a thread of its own, with its exception
 * handler recording every context. {@link #call} runs code on the loop thread and waits for it, so tests can
 * register children where watchers want them (a running loop in the calling thread) while the test thread
 * stays free to wait. {@link #close()} stops, joins and closes the loop.
 */
final class LoopThread implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 60;

    final SelectorEventLoop loop = new SelectorEventLoop();
    final List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
    private final Thread thread;

    LoopThread() {
        loop.setExceptionHandler((l, context) -> errors.add(context));
        CompletableFuture<Void> started = new CompletableFuture<>();
        thread = new Thread(() -> {
            loop.callSoon(() -> started.complete(null));
            loop.runForever();
        }, "watcher-test-loop");
        thread.start();
        started.join();
    }

    /** Runs {@code body} on the loop thread and returns its result; its exception is rethrown here. */
    <T> T call(Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the loop thread did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** Runs {@code body} on the loop thread and waits for it. */
    void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    /** Waits until everything the loop had queued before this call has run (FIFO, LOOP-23). */
    void roundTrip() {
        run(() -> { });
    }

    /** The error contexts whose message starts with {@code prefix}. */
    List<Map<String, Object>> errorsStartingWith(String prefix) {
        return errors.stream().filter(c -> String.valueOf(c.get("message")).startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        if (!loop.isClosed()) {
            loop.callSoonThreadsafe(loop::stop);
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("loop thread did not stop");
        }
        loop.close();
    }
}
