package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.state.ActionChain;
import org.asyncio4j.EventLoop;

/**
 * Callbacks and timers of an {@link EventLoop}: random sequences of {@code callSoon}, {@code callLater},
 * {@code callAt}, cancellation and one-iteration runs checked against a model (FIFO callbacks, timers in time
 * order, one iteration per stop), the order of ties where the loop claims it, and a clock that never goes back.
 */
public interface CallbacksAndTimersContract extends LoopContract {
    /** Random sequences of callbacks, timers, cancellations and one-iteration runs do what the model says. */
    @Property
    @Rule({"LOOP-03", "LOOP-04", "LOOP-23", "LOOP-24", "LOOP-25", "LOOP-26", "LOOP-27", "LOOP-32", "LOOP-33"})
    default void callbacksAndTimersRunAsTheModelSays(@ForAll("loopChains") ActionChain<LoopModel> chain) {
        chain.run();
    }

    /** The action sequences of {@link #callbacksAndTimersRunAsTheModelSays}. */
    @Provide
    default Arbitrary<ActionChain<LoopModel>> loopChains() {
        return loopChains(false);
    }

    /** The same, with many timer ties: where the loop claims it, ties run in scheduling order. */
    @Property
    @Requires(Capability.TIMER_TIES_IN_SCHEDULING_ORDER)
    @Rule("LOOP-29")
    default void timersDueAtTheSameInstantRunInSchedulingOrder(@ForAll("strictLoopChains") ActionChain<LoopModel> chain) {
        chain.run();
    }

    /** The action sequences of {@link #timersDueAtTheSameInstantRunInSchedulingOrder}. */
    @Provide
    default Arbitrary<ActionChain<LoopModel>> strictLoopChains() {
        return loopChains(true);
    }

    private Arbitrary<ActionChain<LoopModel>> loopChains(boolean strictTies) {
        Arbitrary<Double> delays = Arbitraries.of(-2.0, -1.0, -0.5, 0.0, 3600.0);
        Arbitrary<Double> offsets = Arbitraries.of(-3.0, -2.0, -1.0, 0.0, 3600.0);
        return ActionChain.<LoopModel>startWith(() -> track(new LoopModel(newLoop(), strictTies)))
                .withAction(4, Actions.just("callSoon", LoopModel::callSoon))
                .withAction(2, Actions.just("callSoonThreadsafe from another thread", LoopModel::callSoonThreadsafeFromAnotherThread))
                .withAction(2, Actions.just("callSoon of a callback that calls callSoon", LoopModel::callSoonWithChild))
                .withAction(3, Actions.independent(delays.map(d -> Actions.<LoopModel>mutate("callLater(" + d + ")", m -> m.callLater(d)))))
                .withAction(strictTies ? 6 : 3, Actions.independent(offsets.map(o ->
                        Actions.<LoopModel>mutate("callAt(base + " + o + ")", m -> m.callAt(o)))))
                .withAction(2, Actions.dependent(m -> m.handles() > 0, m -> Arbitraries.integers().between(0, m.handles() - 1)
                        .map(i -> Actions.<LoopModel>mutate("cancel handle #" + i, s -> s.cancel(i)))))
                .withAction(3, Actions.just("stop(); runForever()", m -> m.runOneIteration(false)))
                .withAction(1, Actions.just("callSoon(stop); runForever()", m -> m.runOneIteration(true)))
                .withMaxTransformations(40); // actions per chain
    }

    /**
     * LOOP-23 alone: callbacks scheduled with callSoon from the loop's thread run in the order they were
     * scheduled. The model-based property sees the same rule among others, but its shrinking may settle on a
     * sample that breaks a neighbouring rule instead; this one breaks no other.
     */
    @Property
    @Rule("LOOP-23")
    default void callSoonCallbacksRunInTheOrderTheyWereScheduled(@ForAll @IntRange(min = 2, max = 64) int calls) {
        EventLoop loop = newLoop();
        try (LoopThread running = new LoopThread(loop, "conformance-fifo-loop")) {
            List<Integer> ran = new ArrayList<>(); // touched on the loop thread only
            running.call(() -> {
                for (int i = 0; i < calls; i++) {
                    int call = i;
                    loop.callSoon(() -> ran.add(call));
                }
                return null;
            });
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                expected.add(i);
            }
            // posted after the callSoon calls returned: FIFO order puts it after all of them
            Check.equal("LOOP-23", expected, running.call(() -> new ArrayList<>(ran)),
                    "the order in which " + calls + " callSoon callbacks ran");
        }
    }

    /** {@code time()} never goes backwards. */
    @Property
    @Rule("LOOP-35")
    default void timeNeverGoesBackwards(@ForAll @IntRange(min = 2, max = 200) int samples) {
        EventLoop loop = track(newLoop());
        double last = loop.time();
        for (int i = 0; i < samples; i++) {
            double now = loop.time();
            double previous = last;
            Check.that("LOOP-35", now >= previous, () -> "time() went from " + previous + " back to " + now);
            last = now;
        }
    }
}
