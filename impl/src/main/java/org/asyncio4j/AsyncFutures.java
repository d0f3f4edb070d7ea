package org.asyncio4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Composing {@link AsyncFuture}s: asyncio's {@code wait_for}, {@code gather}, {@code wait}, {@code sleep},
 * {@code shield} and {@code wrap_future}, for any loop that implements the contract.
 *
 * <p>Like the futures themselves, these methods belong to the loop's thread: call them there (from a callback,
 * or through {@link EventLoops#runOnLoop}). Every future they return belongs to the loop of its arguments; futures
 * of different loops cannot be combined. A returned future's callbacks run through its loop, as every
 * {@link AsyncFuture}'s do.
 */
public final class AsyncFutures {
    private AsyncFutures() {}

    /**
     * CPython's {@code wait_for}: a future that completes as {@code future} does, unless {@code timeoutSeconds}
     * pass first; then {@code future} is cancelled and the returned one fails with a {@link TimeoutException}
     * naming the timeout. Cancelling the returned future cancels {@code future}. A timeout of zero or less
     * times out at once unless {@code future} is already done.
     *
     * @param future the work to wait for; not null
     * @param timeoutSeconds the limit in seconds; not NaN
     * @param <T> the result type
     * @return a future of the same loop
     * @throws IllegalArgumentException if the timeout is NaN
     */
    public static <T> AsyncFuture<T> waitFor(AsyncFuture<T> future, double timeoutSeconds) {
        Objects.requireNonNull(future, "future");
        if (Double.isNaN(timeoutSeconds)) {
            throw new IllegalArgumentException("timeoutSeconds must be a number, not NaN");
        }
        EventLoop loop = future.getLoop();
        AsyncFuture<T> outer = loop.createFuture();
        if (future.done() || timeoutSeconds <= 0) {
            if (!future.done()) {
                future.cancel("timed out");
                outer.setException(timeout(timeoutSeconds));
            } else {
                copyOutcome(future, outer);
            }
            return outer;
        }
        TimerHandle timer = loop.callLater(timeoutSeconds, () -> {
            if (!outer.done()) {
                future.cancel("timed out after " + timeoutSeconds + " s");
                outer.setException(timeout(timeoutSeconds));
            }
        });
        future.addDoneCallback(f -> {
            timer.cancel();
            if (!outer.done()) {
                copyOutcome(f, outer);
            }
        });
        outer.addDoneCallback(f -> {
            if (f.cancelled()) {
                timer.cancel();
                future.cancel();
            }
        });
        return outer;
    }

    /**
     * {@link #waitFor(AsyncFuture, double)} with the timeout as a {@link Duration}.
     *
     * @param future the work to wait for; not null
     * @param timeout the limit; not null
     * @param <T> the result type
     * @return a future of the same loop
     */
    public static <T> AsyncFuture<T> waitFor(AsyncFuture<T> future, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return waitFor(future, timeout.toNanos() / 1e9);
    }

    /**
     * CPython's {@code gather}: a future of every result, in the order of {@code futures}. The first failure
     * fails it (the others run on); a cancelled input fails it with that {@link CancellationException}.
     * Cancelling the returned future cancels every input that is not done.
     *
     * @param futures the inputs, all of one loop; not null, no null element
     * @param <T> the common result type
     * @return a future of the inputs' loop (for an empty list, of {@link EventLoops#getEventLoop()}), done with an
     *         unmodifiable list
     * @throws IllegalArgumentException if the futures belong to different loops
     */
    public static <T> AsyncFuture<List<T>> gather(List<? extends AsyncFuture<? extends T>> futures) {
        EventLoop loop = commonLoop(futures);
        AsyncFuture<List<T>> outer = loop.createFuture();
        if (futures.isEmpty()) {
            outer.setResult(List.of());
            return outer;
        }
        int[] remaining = {futures.size()};
        for (AsyncFuture<? extends T> f : futures) {
            f.addDoneCallback(done -> {
                remaining[0]--;
                Throwable failure = done.cancelled() ? null : done.exception(); // retrieved, as CPython's gather does
                if (outer.done()) {
                    return;
                }
                if (done.cancelled()) {
                    outer.setException(cancellationOf(done));
                } else if (failure != null) {
                    outer.setException(failure);
                } else if (remaining[0] == 0) {
                    List<T> results = new ArrayList<>(futures.size());
                    for (AsyncFuture<? extends T> each : futures) {
                        results.add(each.result());
                    }
                    outer.setResult(Collections.unmodifiableList(results));
                }
            });
        }
        cancelInputsWhenCancelled(outer, futures);
        return outer;
    }

    /**
     * CPython's {@code wait(return_when=ALL_COMPLETED)}, or {@code gather(return_exceptions=True)}: a future that
     * completes, never exceptionally, when every input is done, with the inputs themselves to inspect one by one.
     * Cancelling it cancels no input.
     *
     * @param futures the inputs, all of one loop; not null, no null element
     * @param <F> the future type
     * @return a future of the inputs' loop, done with an unmodifiable copy of {@code futures}
     * @throws IllegalArgumentException if the futures belong to different loops
     */
    public static <F extends AsyncFuture<?>> AsyncFuture<List<F>> allDone(List<F> futures) {
        EventLoop loop = commonLoop(futures);
        List<F> copy = List.copyOf(futures);
        AsyncFuture<List<F>> outer = loop.createFuture();
        int[] remaining = {copy.size()};
        if (copy.isEmpty()) {
            outer.setResult(copy);
            return outer;
        }
        for (F f : copy) {
            f.addDoneCallback(done -> {
                if (--remaining[0] == 0 && !outer.done()) {
                    outer.setResult(copy);
                }
            });
        }
        return outer;
    }

    /**
     * CPython's {@code wait(return_when=FIRST_COMPLETED)}: a future done with the first input to finish, however
     * it finished. The others run on; cancelling the returned future cancels no input.
     *
     * @param futures the inputs, all of one loop; not null, not empty, no null element
     * @param <F> the future type
     * @return a future of the inputs' loop
     * @throws IllegalArgumentException if the list is empty or the futures belong to different loops
     */
    public static <F extends AsyncFuture<?>> AsyncFuture<F> firstDone(List<F> futures) {
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("futures must not be empty");
        }
        EventLoop loop = commonLoop(futures);
        AsyncFuture<F> outer = loop.createFuture();
        for (F f : futures) {
            if (f.done()) {
                outer.setResult(f);
                return outer;
            }
        }
        for (F f : futures) {
            f.addDoneCallback(done -> {
                if (!outer.done()) {
                    outer.setResult(f);
                }
            });
        }
        return outer;
    }

    /**
     * CPython's {@code sleep}: a future of {@code loop} done with null after {@code seconds}. Cancelling it
     * cancels its timer.
     *
     * @param loop the loop whose clock counts; not null
     * @param seconds the delay; zero or more, not NaN
     * @return the future
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    public static AsyncFuture<Void> sleep(EventLoop loop, double seconds) {
        Objects.requireNonNull(loop, "loop");
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("seconds must be zero or more, not " + seconds);
        }
        AsyncFuture<Void> f = loop.createFuture();
        TimerHandle timer = loop.callLater(seconds, () -> {
            if (!f.done()) {
                f.setResult(null);
            }
        });
        f.addDoneCallback(done -> timer.cancel());
        return f;
    }

    /**
     * CPython's {@code shield}: a future that completes as {@code future} does, but whose cancellation leaves
     * {@code future} running.
     *
     * @param future the work to protect; not null
     * @param <T> the result type
     * @return a future of the same loop
     */
    public static <T> AsyncFuture<T> shield(AsyncFuture<T> future) {
        Objects.requireNonNull(future, "future");
        AsyncFuture<T> outer = future.getLoop().createFuture();
        if (future.done()) {
            copyOutcome(future, outer);
            return outer;
        }
        future.addDoneCallback(f -> {
            if (!outer.done()) {
                copyOutcome(f, outer);
            } else if (!f.cancelled()) {
                f.exception(); // the shielded work's failure is retrieved, as CPython's shield does
            }
        });
        return outer;
    }

    /**
     * CPython's {@code wrap_future}: a future of {@code loop} that completes, on the loop's thread, as
     * {@code stage} does. A {@link CompletionException} or {@link ExecutionException} around the cause is removed.
     * Cancelling the returned future cancels {@code stage} where its {@code toCompletableFuture()} allows.
     * The other way round is {@link AsyncFuture#toCompletableFuture()}.
     *
     * @param loop the loop of the returned future; not null, and open
     * @param stage the stage to follow; not null
     * @param <T> the result type
     * @return the future
     */
    public static <T> AsyncFuture<T> fromCompletionStage(EventLoop loop, CompletionStage<T> stage) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(stage, "stage");
        AsyncFuture<T> f = loop.createFuture();
        stage.whenComplete((value, error) -> {
            try {
                loop.callSoonThreadsafe(() -> {
                    if (f.done()) {
                        return;
                    }
                    if (error == null) {
                        f.setResult(value);
                    } else if (unwrap(error) instanceof CancellationException) {
                        f.cancel();
                    } else {
                        f.setException(unwrap(error));
                    }
                });
            } catch (IllegalStateException closed) {
                // the loop closed before the stage completed: nobody can observe the future any more
            }
        });
        f.addDoneCallback(done -> {
            if (done.cancelled()) {
                cancelStage(stage);
            }
        });
        return f;
    }

    private static void cancelStage(CompletionStage<?> stage) {
        CompletableFuture<?> cf;
        try {
            cf = stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            return; // a stage that cannot be cancelled from outside
        }
        cf.cancel(false);
    }

    private static Throwable unwrap(Throwable t) {
        if ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            return t.getCause();
        }
        return t;
    }

    private static <T> void copyOutcome(AsyncFuture<? extends T> from, AsyncFuture<T> to) {
        if (from.cancelled()) {
            to.cancel();
        } else if (from.exception() != null) {
            to.setException(from.exception());
        } else {
            to.setResult(from.result());
        }
    }

    private static CancellationException cancellationOf(AsyncFuture<?> cancelled) {
        try {
            cancelled.result();
        } catch (CancellationException e) {
            return e;
        }
        return new CancellationException();
    }

    private static TimeoutException timeout(double seconds) {
        return new TimeoutException("timed out after " + seconds + " s");
    }

    private static void cancelInputsWhenCancelled(AsyncFuture<?> outer, List<? extends AsyncFuture<?>> inputs) {
        outer.addDoneCallback(f -> {
            if (f.cancelled()) {
                for (AsyncFuture<?> input : inputs) {
                    input.cancel();
                }
            }
        });
    }

    private static EventLoop commonLoop(List<? extends AsyncFuture<?>> futures) {
        Objects.requireNonNull(futures, "futures");
        EventLoop loop = null;
        for (int i = 0; i < futures.size(); i++) {
            AsyncFuture<?> f = Objects.requireNonNull(futures.get(i), () -> "futures contains null");
            if (loop == null) {
                loop = f.getLoop();
            } else if (f.getLoop() != loop) {
                throw new IllegalArgumentException("futures belong to different loops: futures[0] to " + loop
                        + ", futures[" + i + "] to " + f.getLoop());
            }
        }
        return loop != null ? loop : EventLoops.getEventLoop();
    }
}
