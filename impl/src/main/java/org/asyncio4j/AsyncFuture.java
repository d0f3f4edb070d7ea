package org.asyncio4j;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * asyncio.Future: a result that will be available later, bound to one loop.
 *
 * <p>Not thread-safe: complete it from the loop's thread, or from another thread through
 * {@code loop.callSoonThreadsafe(() -> future.setResult(v))} (FUT-20). Done-callbacks never run
 * synchronously: completion schedules each with {@code loop.callSoon} (FUT-11).
 */
public interface AsyncFuture<T> {

    /**
     * The result.
     *
     * @throws InvalidStateException "Result is not set." while pending
     * @throws java.util.concurrent.CancellationException if cancelled
     * @throws RuntimeException the exception set on the future, thrown as is when unchecked, else wrapped in
     *         {@link java.util.concurrent.CompletionException}
     */
    T result();

    /** The exception set on the future, or null if it finished with a result. Same states as {@link #result()}. */
    Throwable exception();

    /** Finishes with {@code value}; {@link InvalidStateException} if already done. */
    void setResult(T value);

    /** Finishes with {@code exception}; {@link InvalidStateException} if already done. */
    void setException(Throwable exception);

    /** Cancels a pending future and schedules its callbacks; false if already done (FUT-08). */
    boolean cancel();

    /** Like {@link #cancel()}; the CancellationException raised later carries {@code message} (FUT-10). */
    boolean cancel(String message);

    boolean cancelled();

    boolean done();

    /** Schedules {@code callback(this)} via {@code loop.callSoon} once done (at once if already done). */
    void addDoneCallback(Consumer<? super AsyncFuture<T>> callback);

    /** Removes every registration equal to {@code callback}; returns how many (FUT-14). */
    int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback);

    /** The loop this future is bound to. */
    EventLoop getLoop();

    /**
     * A {@link CompletableFuture} that completes when this future does, on the loop's thread. Cancelling the
     * returned future does not cancel this one.
     */
    CompletableFuture<T> toCompletableFuture();
}
