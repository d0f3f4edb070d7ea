package org.asyncio4j;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * asyncio.Future: a result that will be available later, bound to one loop.
 *
 * <p>Not thread-safe: complete it from the loop's thread, or from another thread through
 * {@code loop.callSoonThreadsafe(() -> future.setResult(v))} (FUT-20). Done-callbacks never run
 * synchronously: completion schedules each with {@code loop.callSoon} (FUT-11).
 *
 * @param <T> the type of the result; null is a valid result
 */
public interface AsyncFuture<T extends @Nullable Object> {

    /**
     * The result.
     *
     * @return the value the future finished with
     * @throws InvalidStateException "Result is not set." while pending
     * @throws java.util.concurrent.CancellationException if cancelled
     * @throws RuntimeException the exception set on the future, thrown as is when unchecked, else wrapped in
     *         {@link java.util.concurrent.CompletionException}
     */
    T result();

    /**
     * {@return the exception set on the future, or null if it finished with a result}
     * Same states as {@link #result()}.
     *
     * @throws InvalidStateException "Exception is not set." while pending
     * @throws java.util.concurrent.CancellationException if cancelled
     */
    @Nullable Throwable exception();

    /**
     * Finishes with {@code value}.
     *
     * @param value the result
     * @throws InvalidStateException if already done
     */
    void setResult(T value);

    /**
     * Finishes with {@code exception}.
     *
     * @param exception the failure, raised by {@link #result()}
     * @throws InvalidStateException if already done
     */
    void setException(Throwable exception);

    /**
     * Cancels a pending future and schedules its callbacks (FUT-08).
     *
     * @return false if already done
     */
    boolean cancel();

    /**
     * Like {@link #cancel()}; the CancellationException raised later carries {@code message} (FUT-10).
     *
     * @param message the cancellation message
     * @return false if already done
     */
    boolean cancel(String message);

    /** {@return true once cancelled} */
    boolean cancelled();

    /** {@return true once it has a result, an exception or was cancelled} */
    boolean done();

    /**
     * Schedules {@code callback(this)} via {@code loop.callSoon} once done (at once if already done).
     *
     * @param callback called with this future, on the loop's thread
     */
    void addDoneCallback(Consumer<? super AsyncFuture<T>> callback);

    /**
     * Removes every registration equal to {@code callback} (FUT-14).
     *
     * @param callback a callback given to {@link #addDoneCallback}
     * @return how many registrations were removed
     */
    int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback);

    /** {@return the loop this future is bound to} */
    EventLoop getLoop();

    /**
     * A {@link CompletableFuture} that completes when this future does, on the loop's thread. Cancelling the
     * returned future does not cancel this one.
     *
     * @return a CompletableFuture mirroring this future
     */
    CompletableFuture<T> toCompletableFuture();
}
