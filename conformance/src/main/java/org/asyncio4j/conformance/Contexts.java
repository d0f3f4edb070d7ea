package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A few long-lived worker threads, each a separate "current thread" context for a policy. Never the main
 * thread, so the default policy's main-thread auto-creation (POL-11) does not interfere.
 */
final class Contexts implements AutoCloseable {
    private final List<ExecutorService> threads = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    Contexts(int count) {
        for (int i = 0; i < count; i++) {
            String name = "conformance-context-" + i;
            names.add(name);
            threads.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    int size() {
        return threads.size();
    }

    String name(int context) {
        return names.get(context);
    }

    /** Runs {@code task} on context {@code context}; its exception is rethrown as is. */
    <T> T call(int context, Callable<T> task) {
        return LoopThread.get(threads.get(context).submit(task), () -> "context " + names.get(context) + " to answer");
    }

    /** The outcome of {@code task} on a context: its value or the exception it threw. */
    <T> Outcome<T> attempt(int context, Callable<T> task) {
        try {
            return Outcome.value(call(context, task));
        } catch (RuntimeException e) {
            return Outcome.thrown(e);
        }
    }

    @Override
    public void close() {
        for (ExecutorService t : threads) {
            t.shutdownNow();
        }
        for (ExecutorService t : threads) {
            try {
                if (!t.awaitTermination(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a context thread did not end within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A value or an exception. */
    static final class Outcome<T> {
        final T value;
        final RuntimeException thrown;

        private Outcome(T value, RuntimeException thrown) {
            this.value = value;
            this.thrown = thrown;
        }

        static <T> Outcome<T> value(T value) {
            return new Outcome<>(value, null);
        }

        static <T> Outcome<T> thrown(RuntimeException e) {
            return new Outcome<>(null, e);
        }

        @Override
        public String toString() {
            return thrown != null ? "threw " + thrown : "returned " + value;
        }
    }
}
