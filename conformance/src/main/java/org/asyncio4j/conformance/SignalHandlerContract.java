package org.asyncio4j.conformance;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import jnr.posix.POSIXFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.asyncio4j.EventLoop;

import static org.asyncio4j.conformance.Signals.SIGURG;
import static org.asyncio4j.conformance.Signals.SIGWINCH;

/**
 * The signal handlers of an {@link EventLoop} ({@link Capability#SIGNALS}): invalid and uncatchable signals
 * are refused, a delivered signal runs the latest handler on the loop thread, and a closed loop refuses new
 * handlers. SIGWINCH and SIGURG are the signals sent, ignored by default: harmless if a broken loop misses them.
 */
public interface SignalHandlerContract extends LoopContract {
    /** {@code addSignalHandler} rejects invalid signal numbers. */
    @Property
    @Requires(Capability.SIGNALS)
    @Rule("LOOP-55")
    default void addSignalHandlerRejectsInvalidNumbers(@ForAll("invalidSignals") int signum) {
        EventLoop loop = track(newLoop());
        Check.throwsWith("LOOP-55", IllegalArgumentException.class, null, () -> loop.addSignalHandler(signum, () -> { }),
                "addSignalHandler(" + signum + ")");
    }

    /** The signal numbers of {@link #addSignalHandlerRejectsInvalidNumbers}. */
    @Provide
    default Arbitrary<Integer> invalidSignals() {
        return Arbitraries.oneOf(Arbitraries.integers().lessOrEqual(0), Arbitraries.integers().greaterOrEqual(65));
    }

    /** SIGKILL and SIGSTOP are refused. */
    @Property
    @Requires(Capability.SIGNALS)
    @Rule({"LOOP-57", "LOOP-60"})
    default void uncatchableSignalsAreRefused(@ForAll("uncatchable") int signum) {
        EventLoop loop = track(newLoop());
        Check.throwsWith("LOOP-57", IllegalStateException.class, "sig " + signum + " cannot be caught",
                () -> loop.addSignalHandler(signum, () -> { }), "addSignalHandler(" + signum + ")");
        Check.equal("LOOP-60", false, loop.removeSignalHandler(signum), "removeSignalHandler of a refused signal");
    }

    /** SIGKILL and SIGSTOP. */
    @Provide
    default Arbitrary<Integer> uncatchable() {
        return Arbitraries.of(9, 19); // SIGKILL, SIGSTOP
    }

    /**
     * A delivered signal runs the latest handler, on the loop thread, without anything else waking the loop.
     * Not shrunk: a signal that never arrives costs the full wait on every try.
     */
    @Property(shrinking = ShrinkingMode.OFF)
    @Requires(Capability.SIGNALS)
    @Rule({"LOOP-58", "LOOP-59", "LOOP-60"})
    default void aDeliveredSignalRunsTheLatestHandlerOnTheLoopThread(@ForAll @IntRange(min = 1, max = 3) int replacements,
                                                             @ForAll("harmlessSignals") int signum) {
        EventLoop loop = newLoop();
        try (LoopThread running = new LoopThread(loop, "conformance-signal-loop")) {
            CountDownLatch delivered = new CountDownLatch(1);
            List<String> calls = new CopyOnWriteArrayList<>();
            running.run(() -> {
                for (int i = 0; i < replacements; i++) {
                    int id = i;
                    loop.addSignalHandler(signum, () -> {
                        calls.add("handler#" + id + " on " + Thread.currentThread().getName());
                        delivered.countDown();
                    });
                }
            });
            POSIXFactory.getNativePOSIX().kill(POSIXFactory.getNativePOSIX().getpid(), signum);
            if (!LoopThread.arrives(delivered)) { // the loop sits blocked in its poll: nothing but the signal can wake it
                running.barrier(2); // wakes it through callSoonThreadsafe: a queued handler now runs
                boolean late = delivered.getCount() == 0;
                throw new RuleViolation(late ? "LOOP-59" : "LOOP-58", late
                        ? "the handler of signal " + signum + " ran only once something else woke the loop blocked in its poll"
                        : "signal " + signum + " never reached its handler, even after the loop was woken");
            }
            running.barrier(2);
            String expected = "handler#" + (replacements - 1) + " on " + running.thread().getName();
            Check.that("LOOP-58", calls.stream().allMatch(expected::equals),
                    () -> "signal handler calls " + calls + ", expected only " + expected);
            Check.equal("LOOP-60", true, running.call(() -> loop.removeSignalHandler(signum)), "removeSignalHandler of an installed handler");
            Check.equal("LOOP-60", false, running.call(() -> loop.removeSignalHandler(signum)), "a second removeSignalHandler");
        }
    }

    /** The signals {@link #aDeliveredSignalRunsTheLatestHandlerOnTheLoopThread} sends. */
    @Provide
    default Arbitrary<Integer> harmlessSignals() {
        return Arbitraries.of(SIGWINCH, SIGURG); // ignored by default: harmless if a broken loop misses them
    }

    /** A closed loop refuses signal handlers. */
    @Example
    @Requires(Capability.SIGNALS)
    @Rule({"LOOP-18", "LOOP-60"})
    default void aClosedLoopRefusesSignalHandlers() {
        EventLoop loop = track(newLoop());
        loop.close();
        Check.throwsWith("LOOP-18", IllegalStateException.class, "Event loop is closed",
                () -> loop.addSignalHandler(SIGWINCH, () -> { }), "addSignalHandler after close");
        Check.equal("LOOP-60", false, loop.removeSignalHandler(SIGWINCH), "removeSignalHandler after close");
    }
}
