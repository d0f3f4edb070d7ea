package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.state.ActionChain;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;

/**
 * The futures of an {@link EventLoop} ({@code createFuture()}): random sequences of completion, cancellation
 * and done callbacks checked against a model of the state machine, cancellation messages, callbacks that
 * change the callback list while it runs, and completion after the loop closed.
 */
public interface FutureContract extends LoopContract {
    /** Random sequences of completion, cancellation and done callbacks follow the future's state machine. */
    @Property
    @Rule({"FUT-01", "FUT-03", "FUT-04", "FUT-05", "FUT-07", "FUT-08", "FUT-09", "FUT-11", "FUT-12", "FUT-13", "FUT-14"})
    default void futuresFollowTheirStateMachine(@ForAll("futureChains") ActionChain<FutureModel> chain) {
        chain.run();
    }

    /** The action sequences of {@link #futuresFollowTheirStateMachine}. */
    @Provide
    default Arbitrary<ActionChain<FutureModel>> futureChains() {
        return ActionChain.<FutureModel>startWith(() -> track(new FutureModel(newLoop())))
                .withAction(4, Actions.just("addDoneCallback(new)", FutureModel::addNewCallback))
                .withAction(3, Actions.dependent(m -> m.callbackCount() > 0, m -> Arbitraries.integers().between(0, m.callbackCount() - 1)
                        .map(i -> Actions.<FutureModel>mutate("addDoneCallback(callback#" + i + ") again", s -> s.addAgain(i)))))
                .withAction(3, Actions.dependent(m -> m.callbackCount() > 0, m -> Arbitraries.integers().between(0, m.callbackCount() - 1)
                        .map(i -> Actions.<FutureModel>mutate("removeDoneCallback(callback#" + i + ")", s -> s.remove(i)))))
                .withAction(1, Actions.independent(Arbitraries.integers().between(0, 99)
                        .map(v -> Actions.<FutureModel>mutate("setResult(" + v + ")", m -> m.setResult(v)))))
                .withAction(1, Actions.just("setException", FutureModel::setException))
                .withAction(1, Actions.just("cancel", FutureModel::cancel))
                .withAction(2, Actions.just("run one iteration", FutureModel::runOnce))
                .withMaxTransformations(20);
    }

    /** {@code cancel(message)} carries the message to the CancellationException. */
    @Property
    @Rule({"FUT-10", "FUT-08", "FUT-09"})
    default void cancelWithAMessageCarriesItToTheCancellationException(@ForAll("cancelMessages") String message,
                                                               @ForAll boolean withCallback) {
        EventLoop loop = track(newLoop());
        AsyncFuture<Integer> future = loop.createFuture();
        List<Boolean> seen = new ArrayList<>();
        if (withCallback) {
            future.addDoneCallback(f -> seen.add(f.cancelled()));
        }
        Check.equal("FUT-08", true, future.cancel(message), "cancel(\"" + message + "\") of a pending future");
        CancellationException fromResult = Check.throwsWith("FUT-09", CancellationException.class, null, future::result,
                "result() after cancel(message)");
        Check.equal("FUT-10", message, fromResult.getMessage(), "the message of the CancellationException raised by result()");
        CancellationException fromException = Check.throwsWith("FUT-09", CancellationException.class, null, future::exception,
                "exception() after cancel(message)");
        Check.equal("FUT-10", message, fromException.getMessage(), "the message of the CancellationException raised by exception()");
        Check.equal("FUT-08", false, future.cancel("again"), "a second cancel(message)");
        loop.callSoon(loop::stop);
        Check.runForever(loop);
        Check.equal("FUT-10", withCallback ? List.of(true) : List.of(), seen, "done callbacks of the future cancelled with a message");
    }

    /** The messages of {@link #cancelWithAMessageCarriesItToTheCancellationException}. */
    @Provide
    default Arbitrary<String> cancelMessages() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '-', '!').ofMinLength(1).ofMaxLength(20);
    }

    /** Done callbacks that add and remove callbacks while scheduled run once each. */
    @Property
    @Rule("FUT-15")
    default void callbacksThatAddAndRemoveCallbacksWhileScheduledRunOnceEach(@ForAll @IntRange(min = 1, max = 8) int callbacks,
                                                                     @ForAll @IntRange(min = 0, max = 3) int addedEach,
                                                                     @ForAll boolean removeOthers) {
        EventLoop loop = track(newLoop());
        List<Map<String, Object>> errors = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> errors.add(c));
        AsyncFuture<Integer> future = loop.createFuture();
        List<String> ran = new ArrayList<>();
        List<Consumer<AsyncFuture<Integer>>> registered = new ArrayList<>();
        for (int i = 0; i < callbacks; i++) {
            int id = i;
            Consumer<AsyncFuture<Integer>> cb = f -> {
                ran.add("callback#" + id);
                for (int a = 0; a < addedEach; a++) {
                    int added = a;
                    f.addDoneCallback(g -> ran.add("added#" + id + "." + added));
                }
                if (removeOthers) {
                    registered.forEach(f::removeDoneCallback);
                }
            };
            registered.add(cb);
            future.addDoneCallback(cb);
        }
        future.setResult(1);
        loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(loop::stop)));
        Check.runForever(loop);
        Check.that("FUT-15", errors.isEmpty(), () -> "callbacks that changed the callback list failed: " + errors);
        Check.equal("FUT-15", callbacks * (1 + addedEach), ran.size(), "callbacks run (each registered one once, and each one they added once): " + ran);
        for (int i = 0; i < callbacks; i++) {
            String name = "callback#" + i;
            Check.equal("FUT-15", 1, (int) ran.stream().filter(name::equals).count(), "runs of " + name + " in " + ran);
        }
    }

    /** Completing a future of a closed loop changes its state, then fails to schedule its callbacks. */
    @Example
    @Rule({"FUT-17", "LOOP-18"})
    default void completingAFutureOfAClosedLoopChangesStateThenFailsToSchedule() {
        EventLoop loop = track(newLoop());
        AsyncFuture<Integer> quiet = loop.createFuture();
        AsyncFuture<Integer> withCallback = loop.createFuture();
        withCallback.addDoneCallback(f -> { });
        loop.close();
        Check.throwsWith("LOOP-18", IllegalStateException.class, "Event loop is closed", () -> loop.callSoon(() -> { }),
                "callSoon on the closed loop (the failure FUT-17 expects is the one it raises)");
        quiet.setResult(1);
        Check.equal("FUT-17", 1, quiet.result(), "result of a future without callbacks completed after close");
        Check.throwsWith("FUT-17", IllegalStateException.class, "Event loop is closed", () -> withCallback.setResult(2),
                "setResult on a future with callbacks whose loop is closed");
        Check.that("FUT-17", withCallback.done(), () -> "the future is not done after the failed scheduling");
    }
}
