package org.asyncio4j.conformance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;

/**
 * The life cycle of an {@link EventLoop}: {@code runForever}, {@code runUntilComplete}, {@code stop} and
 * {@code close}, the errors of running a running, nested or closed loop, an {@link Error} that leaves a run,
 * and what a closed loop refuses.
 */
public interface LoopLifecycleContract extends LoopContract {
    /** A new loop is neither running nor closed; it runs, and is the running loop, exactly while {@code runForever} runs. */
    @Example
    @Rule({"LOOP-01", "LOOP-02"})
    default void aLoopIsRunningExactlyWhileRunForeverRuns() {
        EventLoop loop = track(newLoop());
        Check.that("LOOP-01", !loop.isRunning() && !loop.isClosed(), () -> "a new loop is running or closed: " + loop);
        if (!debugModeFromTheEnvironment()) {
            Check.equal("LOOP-01", false, loop.getDebug(), "getDebug() of a new loop while the environment leaves debug mode off");
        }
        AtomicReference<String> inside = new AtomicReference<>("the callback did not run");
        loop.callSoon(() -> {
            EventLoop running = EventLoops.runningLoopOrNull();
            inside.set(loop.isRunning() && running == loop ? null
                    : "inside a callback isRunning() = " + loop.isRunning() + ", running loop = " + running);
            loop.stop();
        });
        Check.runForever(loop);
        Check.that("LOOP-02", inside.get() == null, inside::get);
        Check.that("LOOP-02", !loop.isRunning(), () -> "isRunning() after runForever returned");
        Check.that("LOOP-02", EventLoops.runningLoopOrNull() == null, () -> "a running loop is still recorded after runForever returned");
    }

    /** A {@code runForever} after a stopped run goes on until the next {@code stop()}. */
    @Property
    @Rule("LOOP-05")
    default void theStopFlagIsClearedWhenRunForeverReturns(@ForAll @IntRange(min = 1, max = 5) int hops) {
        EventLoop loop = track(newLoop());
        Check.runOneIteration(loop);
        List<Integer> ran = new ArrayList<>();
        Runnable[] chain = new Runnable[hops + 1];
        chain[hops] = () -> {
            ran.add(hops);
            loop.stop();
        };
        for (int i = hops - 1; i >= 0; i--) {
            int step = i;
            chain[i] = () -> {
                ran.add(step);
                loop.callSoon(chain[step + 1]);
            };
        }
        loop.callSoon(chain[0]);
        Check.runForever(loop);
        Check.equal("LOOP-05", hops + 1, ran.size(), "callbacks run by a runForever after an earlier stopped run (a stale stop flag ends it early)");
    }

    /** {@code runForever()} from a callback of the running loop raises. */
    @Example
    @Rule("LOOP-07")
    default void runningARunningLoopAgainRaises() {
        EventLoop loop = track(newLoop());
        AtomicReference<Throwable> nested = new AtomicReference<>();
        loop.callSoon(() -> {
            try {
                loop.runForever();
            } catch (Throwable t) {
                nested.set(t);
            }
            loop.stop();
        });
        Check.runForever(loop);
        Check.throwsWith("LOOP-07", IllegalStateException.class, "This event loop is already running", () -> {
            if (nested.get() != null) {
                throw (Exception) nested.get();
            }
        }, "runForever() from a callback of the running loop");
    }

    /** Running a second loop from a callback of a running loop raises. */
    @Example
    @Rule("LOOP-08")
    default void runningALoopInsideAnotherRunningLoopRaises() {
        EventLoop outer = track(newLoop());
        EventLoop inner = track(newLoop());
        AsyncFuture<Integer> innerFuture = inner.createFuture();
        innerFuture.setResult(1);
        List<Throwable> refused = new ArrayList<>();
        outer.callSoon(() -> {
            inner.callSoon(inner::stop); // so that a loop that wrongly runs stops again
            for (Check.Action a : List.<Check.Action>of(inner::runForever, () -> inner.runUntilComplete(innerFuture))) {
                try {
                    a.run();
                    refused.add(null);
                } catch (Throwable t) {
                    refused.add(t);
                }
            }
            outer.stop();
        });
        outer.runForever();
        String text = "Cannot run the event loop while another loop is running";
        for (int i = 0; i < refused.size(); i++) {
            Throwable t = refused.get(i);
            String call = i == 0 ? "runForever()" : "runUntilComplete(done future)";
            Check.that("LOOP-08", t instanceof IllegalStateException && text.equals(t.getMessage()),
                    () -> call + " of a second loop from a callback of a running loop threw " + t + ", expected IllegalStateException \"" + text + "\"");
        }
        Check.that("LOOP-08", !inner.isRunning(), () -> "the second loop runs after the refused run");
        inner.runForever(); // the stop queued above ends it
    }

    /** Running a closed loop raises, before any running check. */
    @Example
    @Rule("LOOP-09")
    default void runningAClosedLoopRaises() {
        EventLoop loop = track(newLoop());
        AsyncFuture<Integer> pending = loop.createFuture();
        AsyncFuture<Integer> done = loop.createFuture();
        done.setResult(1);
        loop.close();
        String closed = "Event loop is closed";
        Check.throwsWith("LOOP-09", IllegalStateException.class, closed, loop::runForever, "runForever() of a closed loop");
        Check.throwsWith("LOOP-09", IllegalStateException.class, closed, () -> loop.runUntilComplete(pending),
                "runUntilComplete(pending future) of a closed loop");
        Check.throwsWith("LOOP-09", IllegalStateException.class, closed, () -> loop.runUntilComplete(done),
                "runUntilComplete(done future) of a closed loop");
        EventLoop other = track(newLoop());
        other.callSoon(() -> {
            try {
                Check.throwsWith("LOOP-09", IllegalStateException.class, closed, loop::runForever,
                        "runForever() of a closed loop while another loop runs (the closed check comes first)");
            } finally {
                other.stop();
            }
        });
        other.runForever();
    }

    /** {@code runUntilComplete} refuses a future of another loop. */
    @Example
    @Rule("LOOP-11")
    default void runUntilCompleteRefusesAFutureOfAnotherLoop() {
        EventLoop loop = track(newLoop());
        EventLoop owner = track(newLoop());
        AsyncFuture<Integer> foreign = owner.createFuture();
        foreign.setResult(7);
        Check.throwsWith("LOOP-11", IllegalArgumentException.class,
                "The future belongs to a different loop than the one specified as the loop argument",
                () -> loop.runUntilComplete(foreign), "runUntilComplete(a future of another loop)");
        Check.that("LOOP-11", !loop.isRunning(), () -> "the loop runs after the refused runUntilComplete");
    }

    /** An {@link Error} from a callback leaves {@code runForever}; the rest of the iteration runs next time. */
    @Property
    @Rule("LOOP-15")
    default void anErrorFromACallbackLeavesRunForeverAndTheRestRunNextTime(@ForAll @IntRange(min = 0, max = 4) int before,
                                                                   @ForAll @IntRange(min = 0, max = 4) int after) {
        EventLoop loop = track(newLoop());
        List<Map<String, Object>> handled = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> handled.add(c));
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < before; i++) {
            int id = i;
            loop.callSoon(() -> ran.add(id));
        }
        Error error = new Error("conformance: an Error from a callback");
        int[] ranBeforeTheError = {-1};
        loop.callSoon(() -> {
            ranBeforeTheError[0] = ran.size();
            throw error;
        });
        for (int i = 0; i < after; i++) {
            int id = before + i;
            loop.callSoon(() -> ran.add(id));
        }
        Throwable escaped = null;
        try {
            loop.callSoon(loop::stop);
            loop.runForever();
        } catch (Throwable t) {
            escaped = t;
        }
        Throwable out = escaped;
        Check.that("LOOP-15", out == error, () -> "runForever() with a callback throwing an Error ended with " + out + " instead of that Error");
        Check.that("LOOP-15", handled.isEmpty(), () -> "the Error went to the exception handler: " + handled);
        Check.that("LOOP-15", !loop.isRunning() && !loop.isClosed(), () -> "after the Error the loop is running or closed: " + loop);
        Check.equal("LOOP-15", ranBeforeTheError[0], ran.size(), "callbacks run before the Error (none may run after it in that run)");
        loop.callSoon(loop::stop); // the stop queued before the Error ends it after the rest; this one guards a loop that lost it
        loop.runForever();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < before + after; i++) {
            all.add(i);
        }
        // the order within an iteration is LOOP-23's business: here every callback runs exactly once, the rest next time
        List<Integer> everyRun = new ArrayList<>(ran);
        Collections.sort(everyRun);
        Check.equal("LOOP-15", all, everyRun, "callbacks run by both runs (the rest of the interrupted iteration in the next)");
    }

    /** A {@code runUntilComplete} left by an {@link Error} does not stop the next run. */
    @Example
    @Rule("LOOP-14")
    default void aRunUntilCompleteLeftByAnErrorDoesNotStopTheNextRun() {
        EventLoop loop = track(newLoop());
        AsyncFuture<Integer> future = loop.createFuture();
        Error error = new Error("conformance: an Error after completing the future");
        loop.callSoon(() -> {
            future.setResult(1);
            throw error;
        });
        Throwable escaped = null;
        try {
            loop.runUntilComplete(future);
        } catch (Throwable t) {
            escaped = t;
        }
        Throwable out = escaped;
        Check.that("LOOP-15", out == error, () -> "runUntilComplete ended with " + out + " instead of the callback's Error");
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> {
            ran.add("first");
            loop.callSoon(() -> {
                ran.add("second");
                loop.stop();
            });
        });
        loop.runForever();
        Check.equal("LOOP-14", List.of("first", "second"), ran,
                "callbacks of a runForever after a runUntilComplete left by an Error (a stale stop ends it after the first)");
    }

    /** {@code close()} of a running loop raises, and the loop goes on. */
    @Example
    @Rule("LOOP-16")
    default void closingARunningLoopRaisesAndLeavesItRunning() {
        EventLoop loop = track(newLoop());
        AtomicReference<Throwable> closing = new AtomicReference<>();
        List<String> after = new ArrayList<>();
        loop.callSoon(() -> {
            try {
                loop.close();
            } catch (Throwable t) {
                closing.set(t);
            }
            loop.callSoon(() -> {
                after.add("ran");
                loop.stop();
            });
        });
        try {
            loop.runForever();
        } catch (RuntimeException e) {
            throw new RuleViolation("LOOP-16", "runForever failed after close() from one of its callbacks (close() threw "
                    + closing.get() + "): " + e);
        }
        Check.that("LOOP-16", closing.get() instanceof IllegalStateException
                && "Cannot close a running event loop".equals(closing.get().getMessage()),
                () -> "close() from a callback of the running loop threw " + closing.get());
        Check.that("LOOP-16", !loop.isClosed() && after.size() == 1, () -> "the loop did not go on after the refused close");
    }

    /** A closed loop runs nothing that was pending, and refuses new work. */
    @Property
    @Rule({"LOOP-17", "LOOP-18", "LOOP-09"})
    default void aClosedLoopRunsNothingAndRefusesWork(@ForAll @IntRange(min = 0, max = 6) int pending) {
        EventLoop loop = track(newLoop());
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < pending; i++) {
            int id = i;
            if (i % 2 == 0) {
                loop.callSoon(() -> ran.add(id));
            } else {
                loop.callLater(-1, () -> ran.add(id));
            }
        }
        loop.close();
        try {
            loop.close();
        } catch (RuntimeException e) {
            throw new RuleViolation("LOOP-17", "a second close() threw " + e);
        }
        Check.that("LOOP-17", loop.isClosed(), () -> "isClosed() is false after close()");
        String closed = "Event loop is closed";
        Check.throwsWith("LOOP-18", IllegalStateException.class, closed, () -> loop.callSoon(() -> ran.add(-1)), "callSoon after close");
        Check.throwsWith("LOOP-18", IllegalStateException.class, closed, () -> loop.callSoonThreadsafe(() -> ran.add(-1)), "callSoonThreadsafe after close");
        Check.throwsWith("LOOP-18", IllegalStateException.class, closed, () -> loop.callLater(0, () -> ran.add(-1)), "callLater after close");
        Check.throwsWith("LOOP-18", IllegalStateException.class, closed, () -> loop.callAt(loop.time(), () -> ran.add(-1)), "callAt after close");
        Check.throwsWith("LOOP-18", IllegalStateException.class, closed, () -> loop.runInExecutor(null, () -> 1), "runInExecutor after close");
        Check.throwsWith("LOOP-09", IllegalStateException.class, closed, loop::runForever, "runForever after close");
        Check.that("LOOP-17", ran.isEmpty(), () -> "callbacks pending at close ran: " + ran);
    }

    /** A closed loop refuses readers and writers, and removing one returns false. */
    @Example
    @Requires(Capability.RAW_FD_READERS)
    @Rule("LOOP-18")
    default void aClosedLoopRefusesReadersAndWritersButRemovesNothingQuietly() {
        EventLoop loop = track(newLoop());
        loop.close();
        Check.throwsWith("LOOP-18", IllegalStateException.class, "Event loop is closed", () -> loop.addReader(0, () -> { }), "addReader after close");
        Check.throwsWith("LOOP-18", IllegalStateException.class, "Event loop is closed", () -> loop.addWriter(1, () -> { }), "addWriter after close");
        Check.equal("LOOP-18", false, loop.removeReader(0), "removeReader after close");
        Check.equal("LOOP-18", false, loop.removeWriter(1), "removeWriter after close");
    }

    /** {@code runUntilComplete} returns the future's result. */
    @Property
    @Rule("LOOP-12")
    default void runUntilCompleteReturnsTheResult(@ForAll @IntRange(min = 0, max = 3) int delayHops, @ForAll int value) {
        EventLoop loop = track(newLoop());
        AsyncFuture<Integer> future = loop.createFuture();
        Runnable complete = () -> future.setResult(value);
        for (int i = 0; i < delayHops; i++) {
            Runnable next = complete;
            complete = () -> loop.callSoon(next);
        }
        loop.callSoon(complete);
        Integer result = loop.runUntilComplete(future);
        Check.equal("LOOP-12", value, result, "runUntilComplete's return value");
        Check.that("LOOP-12", !loop.isRunning(), () -> "the loop still runs after runUntilComplete");
    }

    /** {@code runUntilComplete} ends as its future ends: a value, an exception, or a cancellation. */
    @Property
    @Rule({"LOOP-12", "FUT-10"})
    default void runUntilCompleteEndsAsItsFutureEnds(@ForAll("endings") String ending, @ForAll @IntRange(min = 0, max = 3) int delayHops) {
        EventLoop loop = track(newLoop());
        AsyncFuture<Integer> future = loop.createFuture();
        Throwable exception = exceptionFor(ending);
        String message = "cancel(message)".equals(ending) ? "conformance: cancelled with a message" : null;
        Runnable complete = () -> {
            if ("value".equals(ending)) {
                future.setResult(42);
            } else if (exception != null) {
                future.setException(exception);
            } else if (message != null) {
                future.cancel(message);
            } else {
                future.cancel();
            }
        };
        for (int i = 0; i < delayHops; i++) {
            Runnable next = complete;
            complete = () -> loop.callSoon(next);
        }
        loop.callSoon(complete);
        String what = "runUntilComplete of a future that ends with " + ending;
        if ("value".equals(ending)) {
            Check.equal("LOOP-12", 42, loop.runUntilComplete(future), what);
        } else if (exception instanceof RuntimeException) {
            RuntimeException thrown = Check.throwsWith("LOOP-12", RuntimeException.class, null, () -> loop.runUntilComplete(future), what);
            Check.same("LOOP-12", exception, thrown, what + ": the exception runUntilComplete raised");
        } else if (exception != null) {
            CompletionException thrown = Check.throwsWith("LOOP-12", CompletionException.class, null, () -> loop.runUntilComplete(future), what);
            Check.same("LOOP-12", exception, thrown.getCause(), what + ": the cause of the CompletionException (a checked exception is wrapped)");
        } else {
            CancellationException thrown = Check.throwsWith("LOOP-12", CancellationException.class, null, () -> loop.runUntilComplete(future), what);
            Check.equal("FUT-10", message, thrown.getMessage(), what + ": the CancellationException's message");
        }
        Check.that("LOOP-12", !loop.isRunning(), () -> "the loop still runs after " + what);
    }

    /** The endings of {@link #runUntilCompleteEndsAsItsFutureEnds}. */
    @Provide
    default Arbitrary<String> endings() {
        return Arbitraries.of("value", "IllegalStateException", "IllegalArgumentException", "an unchecked exception of the kit's own",
                "IOException (checked)", "Exception (checked)", "cancel()", "cancel(message)");
    }

    private static Throwable exceptionFor(String ending) {
        return switch (ending) {
            case "IllegalStateException" -> new IllegalStateException("conformance: the future failed");
            case "IllegalArgumentException" -> new IllegalArgumentException("conformance: the future failed");
            case "an unchecked exception of the kit's own" -> new KitFailure("conformance: the future failed");
            case "IOException (checked)" -> new IOException("conformance: the future failed");
            case "Exception (checked)" -> new Exception("conformance: the future failed");
            default -> null;
        };
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        Collections.sort(copy); // the order within an iteration is LOOP-23's business, not these properties'
        return copy;
    }

    /** A loop stopped before it runs runs one iteration. */
    @Property
    @Rule({"LOOP-04", "LOOP-13"})
    default void aLoopStoppedBeforeItRunsRunsOneIteration(@ForAll @IntRange(min = 0, max = 4) int ready, @ForAll boolean untilComplete) {
        EventLoop loop = track(newLoop());
        List<String> ran = new ArrayList<>();
        AsyncFuture<Integer> future = loop.createFuture();
        loop.stop();
        for (int i = 0; i < ready; i++) {
            int id = i;
            loop.callSoon(() -> ran.add("ready#" + id));
        }
        // scheduled by the first iteration, so due in the second; it also ends a loop that ignored the stop
        boolean[] scheduling = {false};
        loop.callSoon(() -> {
            scheduling[0] = true; // run inside callSoon, it would be LOOP-32's failure: then it does nothing
            try {
                loop.callSoon(() -> {
                    if (scheduling[0]) {
                        return;
                    }
                    ran.add("second iteration");
                    if (!future.done()) {
                        future.setResult(1);
                    }
                    loop.stop();
                });
            } finally {
                scheduling[0] = false;
            }
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ready; i++) {
            expected.add("ready#" + i);
        }
        if (untilComplete) {
            RuntimeException[] thrown = {null};
            try {
                loop.runUntilComplete(future);
            } catch (RuntimeException e) {
                thrown[0] = e;
            }
            Check.that("LOOP-04", !ran.contains("second iteration"),
                    () -> "runUntilComplete on a pre-stopped loop ran a second iteration: the stop() before it was ignored");
            Check.throwsWith("LOOP-13", IllegalStateException.class, "Event loop stopped before Future completed.", () -> {
                if (thrown[0] != null) {
                    throw thrown[0];
                }
            }, "runUntilComplete on a loop stopped before it ran");
            Check.that("LOOP-13", !future.done(), () -> "the future of a pre-stopped runUntilComplete is done: " + future);
            Check.equal("LOOP-13", expected, sorted(ran), "callbacks run by runUntilComplete on a pre-stopped loop (one iteration)");
        } else {
            Check.runForever(loop);
            Check.equal("LOOP-04", expected, sorted(ran), "callbacks run by runForever on a pre-stopped loop (one iteration)");
        }
    }

    /** {@code runUntilComplete} raises when the loop stops before its future is done. */
    @Example
    @Rule("LOOP-13")
    default void runUntilCompleteRaisesWhenTheLoopStopsFirst() {
        EventLoop loop = track(newLoop());
        AsyncFuture<Integer> future = loop.createFuture();
        loop.callSoon(loop::stop);
        Check.throwsWith("LOOP-13", IllegalStateException.class, "Event loop stopped before Future completed.",
                () -> loop.runUntilComplete(future), "runUntilComplete when a callback stops the loop");
        Check.that("LOOP-13", !future.done(), () -> "the future is done after the loop stopped: " + future);
    }

    /**
     * Whether the environment switches debug mode on, as asyncio4j reads it in place of CPython's
     * PYTHONASYNCIODEBUG: the system property {@code asyncio4j.debug}, else a non-empty {@code ASYNCIO4J_DEBUG}.
     */
    private static boolean debugModeFromTheEnvironment() {
        String property = System.getProperty("asyncio4j.debug");
        if (property != null) {
            return Boolean.parseBoolean(property);
        }
        String env = System.getenv("ASYNCIO4J_DEBUG");
        return env != null && !env.isEmpty();
    }
}
