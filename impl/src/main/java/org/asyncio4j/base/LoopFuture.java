package org.asyncio4j.base;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.InvalidStateException;
import org.jspecify.annotations.Nullable;

/**
 * The asyncio.Future state machine (FUT-01..20): PENDING, then FINISHED (a result or an exception) or
 * CANCELLED. Done-callbacks are scheduled with {@code loop.callSoon} in registration order, never called
 * synchronously. An exception that nobody retrieves is reported to the loop's exception handler when the
 * future is garbage-collected, as "Future exception was never retrieved" (FUT-18).
 *
 * <p>Not thread-safe, like asyncio.Future: use it from its loop's thread.
 *
 * @param <T> the type of the result; null is a valid result
 */
public class LoopFuture<T extends @Nullable Object> implements AsyncFuture<T> {
    private enum State { PENDING, CANCELLED, FINISHED }

    private final EventLoop loop;
    private State state = State.PENDING;
    private T result;
    private Throwable exception;
    private String cancelMessage;
    private List<Consumer<? super AsyncFuture<T>>> callbacks;
    private UnretrievedException unretrieved;
    private CompletableFuture<T> bridge;

    /**
     * A pending future bound to {@code loop}.
     *
     * @param loop the loop that runs the future's callbacks
     */
    public LoopFuture(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    @Override
    public T result() {
        switch (state) {
            case PENDING -> throw new InvalidStateException("Result is not set.");
            case CANCELLED -> throw cancellation();
            default -> {
                markRetrieved();
                if (exception != null) {
                    throw rethrowable(exception);
                }
                return result;
            }
        }
    }

    @Override
    public Throwable exception() {
        switch (state) {
            case PENDING -> throw new InvalidStateException("Exception is not set.");
            case CANCELLED -> throw cancellation();
            default -> {
                markRetrieved();
                return exception;
            }
        }
    }

    @Override
    public void setResult(T value) {
        requirePending();
        result = value;
        state = State.FINISHED;
        scheduleCallbacks();
    }

    @Override
    public void setException(Throwable e) {
        Objects.requireNonNull(e, "exception");
        requirePending();
        exception = e;
        state = State.FINISHED;
        unretrieved = UnretrievedException.track(this, loop, e);
        scheduleCallbacks();
    }

    @Override
    public boolean cancel() {
        return cancel(null);
    }

    @Override
    public boolean cancel(String message) {
        markRetrieved();
        if (state != State.PENDING) {
            return false;
        }
        state = State.CANCELLED;
        cancelMessage = message;
        scheduleCallbacks();
        return true;
    }

    @Override
    public boolean cancelled() {
        return state == State.CANCELLED;
    }

    @Override
    public boolean done() {
        return state != State.PENDING;
    }

    @Override
    public void addDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        if (state != State.PENDING) {
            loop.callSoon(() -> callback.accept(this));
            return;
        }
        if (callbacks == null) {
            callbacks = new ArrayList<>(2);
        }
        callbacks.add(callback);
    }

    @Override
    public int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback) {
        if (callbacks == null) {
            return 0;
        }
        // Filter a snapshot: equals() is user code and may add or remove callbacks meanwhile (FUT-15).
        List<Consumer<? super AsyncFuture<T>>> snapshot = new ArrayList<>(callbacks);
        List<Consumer<? super AsyncFuture<T>>> kept = new ArrayList<>(snapshot.size());
        for (Consumer<? super AsyncFuture<T>> c : snapshot) {
            if (!c.equals(callback)) {
                kept.add(c);
            }
        }
        int removed = snapshot.size() - kept.size();
        if (removed > 0 && callbacks != null) {
            callbacks = kept; // as CPython's self._callbacks[:] = filtered
        }
        return removed;
    }

    @Override
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        if (bridge == null) {
            CompletableFuture<T> cf = new CompletableFuture<>();
            bridge = cf;
            addDoneCallback(f -> {
                if (f.cancelled()) {
                    cf.cancel(false);
                } else if (exception != null) {
                    markRetrieved();
                    cf.completeExceptionally(exception);
                } else {
                    cf.complete(result);
                }
            });
        }
        return bridge;
    }

    private void requirePending() {
        if (state != State.PENDING) {
            throw new InvalidStateException(state + ": " + this);
        }
    }

    /**
     * Empties the callback list and schedules each entry. The state has already changed: on a closed loop
     * this raises "Event loop is closed" with the future done (FUT-17).
     */
    private void scheduleCallbacks() {
        List<Consumer<? super AsyncFuture<T>>> list = callbacks;
        callbacks = null;
        if (list == null) {
            return;
        }
        for (Consumer<? super AsyncFuture<T>> cb : list) {
            loop.callSoon(() -> cb.accept(this));
        }
    }

    private CancellationException cancellation() {
        return new CancellationException(cancelMessage);
    }

    private void markRetrieved() {
        if (unretrieved != null) {
            unretrieved.retrieved = true;
            unretrieved = null;
        }
    }

    private static RuntimeException rethrowable(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new CompletionException(t);
    }

    @Override
    public String toString() {
        return switch (state) {
            case PENDING -> "<Future pending>";
            case CANCELLED -> "<Future cancelled>";
            default -> exception != null ? "<Future finished exception=" + exception + ">"
                    : "<Future finished result=" + result + ">";
        };
    }

    /** Reports, when the future is collected, an exception nobody looked at. Holds no reference to the future. */
    private static final class UnretrievedException implements Runnable {
        private static final class CleanerHolder {
            static final Cleaner CLEANER = Cleaner.create(r -> {
                Thread t = new Thread(r, "asyncio4j-future-cleaner");
                t.setDaemon(true);
                return t;
            });
        }

        private final EventLoop loop;
        private final Throwable exception;
        private final String description;
        volatile boolean retrieved;

        private UnretrievedException(EventLoop loop, Throwable exception, String description) {
            this.loop = loop;
            this.exception = exception;
            this.description = description;
        }

        static UnretrievedException track(LoopFuture<?> future, EventLoop loop, Throwable exception) {
            UnretrievedException tracker = new UnretrievedException(loop, exception, future.toString());
            CleanerHolder.CLEANER.register(future, tracker);
            return tracker;
        }

        @Override
        public void run() {
            if (retrieved) {
                return;
            }
            Map<String, Object> context = new HashMap<>();
            context.put("message", "Future exception was never retrieved");
            context.put("exception", exception);
            context.put("future", description);
            if (!loop.isClosed()) {
                try {
                    loop.callSoonThreadsafe(() -> loop.callExceptionHandler(context));
                    return;
                } catch (IllegalStateException closedMeanwhile) {
                    // fall through: log it here
                }
            }
            loop.defaultExceptionHandler(context);
        }
    }
}
