package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.asyncio4j.Handle;
import org.asyncio4j.TimerHandle;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * Random mixes of callSoon, callSoonThreadsafe, callLater (small delays, zero and negative included), cancel
 * and stop, checked against a model: ready callbacks in FIFO order (LOOP-23, LOOP-24), then timers in
 * (when, scheduling order) (LOOP-25, LOOP-27, LOOP-29), cancelled ones never (LOOP-33), every live one
 * exactly once, and stop only splitting the run (LOOP-03, LOOP-05). Each try uses and closes its own loop.
 */
class SchedulingPropertiesTest {

    /** One scheduling step: kind, a delay in milliseconds for timers, an index for cancel. */
    record Op(Kind kind, int delayMillis, int target) {
        enum Kind { SOON, SOON_THREADSAFE, LATER, CANCEL, STOP }
    }

    /** A scheduled callback of the model. */
    private record Entry(int id, Handle handle, long sequence) {
        boolean timer() {
            return handle instanceof TimerHandle;
        }

        double when() {
            return ((TimerHandle) handle).when();
        }
    }

    @Provide
    Arbitrary<Op> op() {
        return Arbitraries.oneOf(
                Arbitraries.just(new Op(Op.Kind.SOON, 0, 0)),
                Arbitraries.just(new Op(Op.Kind.SOON_THREADSAFE, 0, 0)),
                Arbitraries.integers().between(-3, 4).map(d -> new Op(Op.Kind.LATER, d, 0)),
                Arbitraries.integers().between(0, 50).map(i -> new Op(Op.Kind.CANCEL, 0, i)),
                Arbitraries.just(new Op(Op.Kind.STOP, 0, 0)));
    }

    @Property(tries = 150)
    @Label("LOOP-23 LOOP-24 LOOP-27 LOOP-29 LOOP-33 callbacks run as the model says: FIFO, then timers by (when, order), cancelled never")
    void runsInModelOrder(@ForAll @Size(max = 40) List<@net.jqwik.api.From("op") Op> ops) {
        SelectorEventLoop loop = new SelectorEventLoop();
        try {
            List<Integer> ran = new ArrayList<>();
            List<Entry> entries = new ArrayList<>();
            List<Entry> cancelled = new ArrayList<>();
            long sequence = 0;
            for (Op op : ops) {
                int id = entries.size();
                switch (op.kind()) {
                    case SOON:
                        entries.add(new Entry(id, loop.callSoon(() -> ran.add(id)), sequence++));
                        break;
                    case SOON_THREADSAFE:
                        entries.add(new Entry(id, loop.callSoonThreadsafe(() -> ran.add(id)), sequence++));
                        break;
                    case LATER:
                        entries.add(new Entry(id, loop.callLater(op.delayMillis() / 1000.0, () -> ran.add(id)), sequence++));
                        break;
                    case CANCEL:
                        if (!entries.isEmpty()) {
                            Entry victim = entries.get(op.target() % entries.size());
                            victim.handle().cancel();
                            cancelled.add(victim);
                        }
                        break;
                    case STOP:
                        loop.callSoon(loop::stop);
                        break;
                    default:
                        throw new AssertionError(op);
                }
            }
            double last = entries.stream().filter(Entry::timer).mapToDouble(Entry::when).max().orElse(0);
            boolean[] finished = {false};
            loop.callAt(Math.max(last, loop.time()), () -> { // the latest when, scheduled last: runs last
                finished[0] = true;
                loop.stop();
            });
            for (int runs = 0; !finished[0]; runs++) {
                assertTrue(runs < 1000, "the final timer never ran");
                loop.runForever();
            }

            List<Integer> expected = new ArrayList<>();
            entries.stream().filter(e -> !e.timer() && !cancelled.contains(e)).forEach(e -> expected.add(e.id()));
            entries.stream().filter(e -> e.timer() && !cancelled.contains(e))
                    .sorted(Comparator.comparingDouble(Entry::when).thenComparingLong(Entry::sequence))
                    .forEach(e -> expected.add(e.id()));
            assertEquals(expected, ran, () -> "ops " + ops.stream().map(Op::toString).collect(Collectors.joining(", ")));
        } finally {
            loop.close();
        }
    }

    @Property(tries = 100)
    @Label("LOOP-32 callbacks scheduled while an iteration runs wait for the next iteration, in FIFO order")
    void nestedSchedulingRunsNextIteration(@ForAll @Size(min = 1, max = 30) List<Boolean> nests) {
        SelectorEventLoop loop = new SelectorEventLoop();
        try {
            List<String> ran = new ArrayList<>();
            List<String> firstIteration = new ArrayList<>();
            List<String> secondIteration = new ArrayList<>();
            for (int i = 0; i < nests.size(); i++) {
                String name = "cb" + i;
                firstIteration.add(name);
                if (nests.get(i)) {
                    secondIteration.add(name + "-child");
                    loop.callSoon(() -> {
                        ran.add(name);
                        loop.callSoon(() -> ran.add(name + "-child"));
                    });
                } else {
                    loop.callSoon(() -> ran.add(name));
                }
            }
            loop.stop();
            loop.runForever();
            assertEquals(firstIteration, ran);
            loop.stop();
            loop.runForever();
            List<String> both = new ArrayList<>(firstIteration);
            both.addAll(secondIteration);
            assertEquals(both, ran);
        } finally {
            loop.close();
        }
    }
}
