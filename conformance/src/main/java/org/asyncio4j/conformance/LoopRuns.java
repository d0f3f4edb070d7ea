package org.asyncio4j.conformance;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.asyncio4j.EventLoop;

/**
 * Runs a loop in the calling thread until something happened, for a number of iterations, or for a short
 * window, so that the transport properties wait on the loop under test without a thread of their own.
 */
final class LoopRuns {
    /**
     * How long something the kit is sure must happen (end of file after the kit closed its end, a child's exit)
     * may take before the property fails on its rule, before {@link Settings#timeScale()}: a safety net, not a
     * speed requirement.
     */
    static final double SAFETY_SECONDS = 10;
    private static final double POLL_SECONDS = 0.001;

    private LoopRuns() {}

    /**
     * Runs {@code loop} until {@code done} holds; fails on {@code rule} with {@code what} when it does not
     * within the safety net.
     */
    static void until(EventLoop loop, BooleanSupplier done, String rule, Supplier<String> what) {
        double safety = SAFETY_SECONDS * Settings.timeScale();
        long deadline = System.nanoTime() + (long) (safety * 1e9);
        boolean[] gaveUp = {false};
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            if (done.getAsBoolean()) {
                loop.stop();
            } else if (System.nanoTime() > deadline) {
                gaveUp[0] = true;
                loop.stop();
            } else {
                loop.callLater(POLL_SECONDS, poll[0]);
            }
        };
        loop.callSoon(poll[0]);
        loop.runForever();
        if (!done.getAsBoolean()) {
            throw new RuleViolation(rule, what.get() + (gaveUp[0] ? String.format(Locale.ROOT, " within %.0f s", safety)
                    : " before the loop was stopped"));
        }
    }

    /** Runs {@code n} iterations of {@code loop}: a chain of {@code n} callbacks, each scheduling the next. */
    static void iterations(EventLoop loop, int n) {
        Runnable[] hop = new Runnable[1];
        int[] left = {n};
        hop[0] = () -> {
            if (--left[0] <= 0) {
                loop.stop();
            } else {
                loop.callSoon(hop[0]);
            }
        };
        loop.callSoon(hop[0]);
        loop.runForever();
    }

    /**
     * Runs {@code loop} for {@code millis} (times the time scale): a window in which something that must not
     * happen would show. It can only miss a broken implementation, never fail a correct one.
     */
    static void window(EventLoop loop, long millis) {
        windowUnless(loop, millis, () -> false);
    }

    /** {@link #window}, ended early once {@code seen} holds (what must not happen happened). */
    static void windowUnless(EventLoop loop, long millis, BooleanSupplier seen) {
        long end = System.nanoTime() + (long) (millis * Settings.timeScale() * 1e6);
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            if (System.nanoTime() > end || seen.getAsBoolean()) {
                loop.stop();
            } else {
                loop.callLater(POLL_SECONDS, poll[0]);
            }
        };
        loop.callSoon(poll[0]);
        loop.runForever();
    }
}
