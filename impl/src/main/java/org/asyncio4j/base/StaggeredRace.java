package org.asyncio4j.base;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.TimerHandle;
import org.jspecify.annotations.Nullable;

/**
 * CPython's {@code staggered.staggered_race}, the heart of happy eyeballs (RFC 8305): the attempts start one
 * after the other, each once the one before it has failed or {@code delay} seconds after it started, whichever
 * comes first; the first to succeed wins and every other attempt still running is cancelled (an attempt that
 * succeeds after the winner is discarded). Without a delay the attempts run strictly one after the other. Runs
 * on the loop's thread.
 *
 * @param <T> what an attempt makes
 */
public final class StaggeredRace<T> {
    private final EventLoop loop;
    private final List<Supplier<AsyncFuture<T>>> attempts;
    private final @Nullable Double delay;
    private final Consumer<? super T> discard;
    private final Function<List<Throwable>, Throwable> allFailed;
    private final AsyncFuture<T> result;
    private final List<AsyncFuture<T>> running = new ArrayList<>();
    private final @Nullable Throwable[] errors;
    private int started;
    private @Nullable TimerHandle timer;

    private StaggeredRace(EventLoop loop, List<Supplier<AsyncFuture<T>>> attempts, @Nullable Double delay,
            Consumer<? super T> discard, Function<List<Throwable>, Throwable> allFailed) {
        this.loop = loop;
        this.attempts = List.copyOf(attempts);
        this.delay = delay;
        this.discard = discard;
        this.allFailed = allFailed;
        this.result = loop.createFuture();
        this.errors = new Throwable[this.attempts.size()];
    }

    /**
     * Starts the race.
     *
     * @param <T> what an attempt makes
     * @param loop the loop to race on, called on its thread
     * @param attempts each starts one attempt and returns its future; cancelling that future must stop the
     *     attempt and release what it holds
     * @param delay seconds to wait for an attempt before starting the next one regardless (CPython's
     *     {@code happy_eyeballs_delay}), or null to start the next only once the one before has failed
     * @param discard releases what an attempt made that lost the race
     * @param allFailed the error of the race once every attempt failed, from their errors in attempt order
     * @return a future of the loop with the winner's result; cancelling it cancels every attempt still running
     * @throws IllegalArgumentException "delay must be finite and >= 0: D"
     */
    public static <T> AsyncFuture<T> race(EventLoop loop, List<Supplier<AsyncFuture<T>>> attempts,
            @Nullable Double delay, Consumer<? super T> discard, Function<List<Throwable>, Throwable> allFailed) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(discard, "discard");
        Objects.requireNonNull(allFailed, "allFailed");
        if (delay != null && !(delay >= 0 && delay < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("delay must be finite and >= 0: " + delay);
        }
        StaggeredRace<T> race = new StaggeredRace<>(loop, attempts, delay, discard, allFailed);
        race.result.addDoneCallback(r -> race.stop());
        race.startNext();
        return race.result;
    }

    private void startNext() {
        cancelTimer();
        if (result.done()) {
            return;
        }
        if (started == attempts.size()) {
            failIfAllDone();
            return;
        }
        int index = started++;
        AsyncFuture<T> attempt;
        try {
            attempt = Objects.requireNonNull(attempts.get(index).get(), "an attempt returned null");
        } catch (RuntimeException e) {
            errors[index] = e;
            startNext();
            return;
        }
        running.add(attempt);
        Double wait = delay;
        if (wait != null && started < attempts.size()) {
            timer = loop.callLater(wait, this::startNext);
        }
        attempt.addDoneCallback(a -> finished(index, a));
    }

    private void finished(int index, AsyncFuture<T> attempt) {
        running.remove(attempt);
        if (result.done()) {
            if (!attempt.cancelled() && attempt.exception() == null) {
                discard.accept(attempt.result());
            }
            return; // or cancelled by the race: a winner was found, or the race was cancelled
        }
        Throwable failure = attempt.cancelled()
                ? new CancellationException("attempt " + index + " was cancelled") : attempt.exception();
        if (failure == null) {
            result.setResult(attempt.result()); // stop() cancels the others
            return;
        }
        errors[index] = failure;
        if (index == started - 1) {
            startNext(); // the latest attempt failed: the next need not wait for the delay
        } else {
            failIfAllDone();
        }
    }

    private void failIfAllDone() {
        if (started == attempts.size() && running.isEmpty() && !result.done()) {
            List<Throwable> all = new ArrayList<>();
            for (Throwable e : errors) {
                if (e != null) {
                    all.add(e);
                }
            }
            result.setException(allFailed.apply(all));
        }
    }

    private void stop() {
        cancelTimer();
        for (AsyncFuture<T> attempt : List.copyOf(running)) {
            attempt.cancel();
        }
        running.clear();
    }

    private void cancelTimer() {
        TimerHandle t = timer;
        if (t != null) {
            t.cancel();
            timer = null;
        }
    }
}
