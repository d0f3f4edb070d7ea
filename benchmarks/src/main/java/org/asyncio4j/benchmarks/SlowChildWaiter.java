package org.asyncio4j.benchmarks;

import java.util.Arrays;
import java.util.Objects;
import org.asyncio4j.internal.posix.ChildWaiter;

/**
 * A benchmark-only seam that makes every {@code waitpid} cost a fixed extra amount of CPU: after the real
 * call it spins for a given number of nanoseconds. The gate's power self-test uses it to inject a known
 * slowdown into a watcher's sweep (Safe's sweep is n waitpid calls, so n times the extra) without changing
 * a line of impl; it sizes the extra from the CPU time per pass it has just measured, so that the pass
 * costs a chosen fraction more.
 *
 * <p>Switched on for a whole JVM through the system property {@value #PROPERTY} (nanoseconds per call);
 * {@link WatcherRig} wraps the system waiter in it when the property is set. A spin that is preempted ends
 * by the clock, so on a loaded machine the CPU added can only be less than asked, never more.
 */
public final class SlowChildWaiter implements ChildWaiter {
    /** The system property that holds the extra nanoseconds per waitpid; unset or 0 means none. */
    public static final String PROPERTY = "asyncio4j.bench.waitpidExtraNanos";

    private final ChildWaiter delegate;
    private final long extraNanos;
    /** The spin's own clock reads (one before, about one of overshoot after) are part of what it adds. */
    private final long spinNanos;

    /** Each waitpid through {@code delegate} is followed by {@code extraNanos} of spinning. */
    public SlowChildWaiter(ChildWaiter delegate, long extraNanos) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (extraNanos < 0 || extraNanos > 1_000_000) {
            throw new IllegalArgumentException("extraNanos must be in [0, 1000000], got " + extraNanos);
        }
        this.extraNanos = extraNanos;
        this.spinNanos = Math.max(0, extraNanos - 2 * clockReadNanos());
    }

    /** What one System.nanoTime() costs here, the median of a few batches. */
    private static long clockReadNanos() {
        long[] batches = new long[9];
        for (int b = 0; b < batches.length; b++) {
            long start = System.nanoTime();
            long sink = 0;
            for (int i = 0; i < 1000; i++) {
                sink += System.nanoTime();
            }
            batches[b] = (System.nanoTime() - start + (sink & 1)) / 1000;
        }
        Arrays.sort(batches);
        return batches[batches.length / 2];
    }

    /** The system waiter, slowed down by the nanoseconds in {@value #PROPERTY} when that property is set. */
    public static ChildWaiter fromSystemProperty() {
        String value = System.getProperty(PROPERTY, "").trim();
        if (value.isEmpty()) {
            return ChildWaiter.system();
        }
        long nanos;
        try {
            nanos = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a whole number of nanoseconds, got '" + value + "'", e);
        }
        return nanos == 0 ? ChildWaiter.system() : new SlowChildWaiter(ChildWaiter.system(), nanos);
    }

    @Override
    public long waitpid(long pid, int options) {
        long result = delegate.waitpid(pid, options);
        long until = System.nanoTime() + spinNanos;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        return result;
    }

    @Override
    public int pidfdOpen(long pid) {
        return delegate.pidfdOpen(pid);
    }
}
