package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;

/**
 * An {@link EventLoop} and other threads: {@code callSoonThreadsafe} wakes an idle loop and loses nothing
 * under contention, debug mode refuses the non-thread-safe calls from another thread, and
 * {@code runInExecutor} runs its function off the loop thread.
 */
public interface ThreadSafetyContract extends LoopContract {
    /** {@code callSoonThreadsafe} wakes an idle loop. */
    @Property
    @Rule("LOOP-38")
    default void callSoonThreadsafeWakesAnIdleLoop(@ForAll @IntRange(min = 1, max = 5) int calls) {
        EventLoop loop = newLoop();
        try (LoopThread running = new LoopThread(loop, "conformance-loop")) {
            CountDownLatch ran = new CountDownLatch(calls);
            for (int i = 0; i < calls; i++) {
                loop.callSoonThreadsafe(ran::countDown);
            }
            LoopThread.await(ran, "callbacks posted with callSoonThreadsafe to an idle loop");
        }
    }

    /** {@code callSoonThreadsafe} from several threads at once runs every callback once, in each thread's order. */
    @Property
    @Rule("LOOP-38")
    default void callSoonThreadsafeFromSeveralThreadsAtOnceRunsEveryCallbackOnceInEachThreadsOrder(
            @ForAll @IntRange(min = 2, max = 4) int producers, @ForAll @IntRange(min = 500, max = 2500) int callsEach) {
        EventLoop loop = newLoop();
        try (LoopThread running = new LoopThread(loop, "conformance-contended-loop")) {
            List<List<Integer>> seen = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                seen.add(new ArrayList<>()); // written on the loop thread only
            }
            CyclicBarrier start = new CyclicBarrier(producers);
            List<Throwable> refused = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < callsEach; i++) {
                            int call = i;
                            loop.callSoonThreadsafe(() -> seen.get(producer).add(call));
                        }
                    } catch (Throwable e) {
                        refused.add(e);
                    }
                }, "conformance-producer-" + p);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                LoopThread.join(t, "a producer thread calling callSoonThreadsafe");
            }
            Check.that("LOOP-38", refused.isEmpty(), () -> "callSoonThreadsafe threw under contention: " + refused);
            // the sentinel is posted after every producer's calls returned: it runs after all of them
            List<List<Integer>> snapshot;
            try {
                snapshot = running.call(() -> {
                    List<List<Integer>> copy = new ArrayList<>();
                    seen.forEach(list -> copy.add(new ArrayList<>(list)));
                    return copy;
                });
            } catch (IllegalStateException lost) {
                throw new RuleViolation("LOOP-38", "a callback posted with callSoonThreadsafe after the producers' calls never ran: " + lost.getMessage());
            }
            for (int p = 0; p < producers; p++) {
                List<Integer> got = snapshot.get(p);
                int producer = p;
                Check.equal("LOOP-38", callsEach, got.size(), "callbacks of producer thread " + p + " that ran (each of its "
                        + callsEach + " callSoonThreadsafe calls exactly once, " + producers + " threads at once)");
                for (int i = 0; i < got.size(); i++) {
                    int index = i;
                    Check.that("LOOP-38", got.get(i) == i, () -> "producer thread " + producer + "'s callbacks ran out of its order: call #"
                            + got.get(index) + " ran " + index + "th");
                }
            }
        }
    }

    /** In debug mode, the non-thread-safe scheduling calls from another thread raise. */
    @Example
    @Rule("LOOP-40")
    default void debugModeRefusesNonThreadsafeSchedulingFromAnotherThread() {
        EventLoop loop = newLoop();
        loop.setDebug(true);
        try (LoopThread running = new LoopThread(loop, "conformance-debug-loop")) {
            running.barrier(1);
            String text = "Non-thread-safe operation invoked on an event loop other than the current one";
            Check.throwsWith("LOOP-40", IllegalStateException.class, text, () -> loop.callSoon(() -> { }),
                    "callSoon from another thread while the loop runs in debug mode");
            Check.throwsWith("LOOP-40", IllegalStateException.class, text, () -> loop.callLater(3600, () -> { }),
                    "callLater from another thread while the loop runs in debug mode");
            Check.throwsWith("LOOP-40", IllegalStateException.class, text, () -> loop.callAt(loop.time() + 3600, () -> { }),
                    "callAt from another thread while the loop runs in debug mode");
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoonThreadsafe(ran::countDown);
            LoopThread.await(ran, "callSoonThreadsafe from another thread in debug mode");
        }
    }

    /** {@code runInExecutor} runs its function off the loop thread, and completes a future of the loop. */
    @Example
    @Rule("LOOP-45")
    default void runInExecutorRunsOffTheLoopThreadAndCompletesAFutureOfTheLoop() {
        EventLoop loop = track(newLoop());
        Thread caller = Thread.currentThread();
        AsyncFuture<Thread> where = loop.runInExecutor(null, Thread::currentThread);
        Check.same("LOOP-45", loop, where.getLoop(), "the loop of runInExecutor's future");
        Thread worker = loop.runUntilComplete(where);
        Check.that("LOOP-45", worker != caller, () -> "runInExecutor(null, fn) ran fn on the loop thread");
    }
}
