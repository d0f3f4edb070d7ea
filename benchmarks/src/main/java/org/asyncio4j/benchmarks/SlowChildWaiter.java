package org.asyncio4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Objects;
import org.asyncio4j.internal.posix.ChildWaiter;

/**
 * A benchmark-only seam that makes every {@code waitpid} cost a fixed extra amount of CPU: after the real
 * call it runs a fixed number of rounds of arithmetic. The gate's power self-test uses it to inject a known
 * slowdown into a watcher's sweep (Safe's sweep is n waitpid calls, so n times the extra) without changing
 * a line of impl.
 *
 * <p>The extra is a count of work, not a span of the clock: how many rounds make the asked nanoseconds is
 * measured once, when the waiter is made, in the thread's CPU time ({@link #nanosPerRound}). A spin that
 * watched {@code System.nanoTime()} added only what its few clock reads cost (a 75 ns spin added 42-49 ns
 * of CPU per call here), and a preempted spin ended by the clock without its work; a counted loop does all
 * of its work whatever the scheduler does, and its CPU time is what the gate judges.
 *
 * <p>Switched on for a whole JVM through the system property {@value #PROPERTY} (nanoseconds of CPU per
 * call); {@link WatcherRig} wraps the system waiter in it when the property is set.
 */
public final class SlowChildWaiter implements ChildWaiter {
    /** The system property that holds the extra nanoseconds of CPU per waitpid; unset or 0 means none. */
    public static final String PROPERTY = "asyncio4j.bench.waitpidExtraNanos";
    /** The most a call may be slowed by, in nanoseconds. */
    public static final long MAX_EXTRA_NANOS = 1_000_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Calls per timed batch, of {@link #BATCH_ROUNDS} rounds each (about the seam's use): about 1 ms a batch. */
    private static final int BATCH_CALLS = 10_000;
    private static final int BATCH_ROUNDS = 64;
    /** Where the calibration's work goes, so that the JIT cannot drop it. */
    private static long calibrationSink;

    private final ChildWaiter delegate;
    private final long rounds;
    /** Where the work's result goes, so that the JIT cannot drop the work. */
    private long sink = 1;

    /** Each waitpid through {@code delegate} is followed by {@code extraNanos} of CPU work. */
    public SlowChildWaiter(ChildWaiter delegate, long extraNanos) {
        this(delegate, extraNanos, nanosPerRound());
    }

    SlowChildWaiter(ChildWaiter delegate, long extraNanos, double nanosPerRound) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (extraNanos < 0 || extraNanos > MAX_EXTRA_NANOS) {
            throw new IllegalArgumentException("extraNanos must be in [0, " + MAX_EXTRA_NANOS + "], got " + extraNanos);
        }
        if (!(nanosPerRound > 0)) {
            throw new IllegalArgumentException("nanosPerRound must be positive, got " + nanosPerRound);
        }
        this.rounds = Math.round(extraNanos / nanosPerRound);
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

    /** The rounds of work each call adds. */
    long rounds() {
        return rounds;
    }

    /**
     * The CPU time one round of {@link #work} takes on this thread, in nanoseconds: the median of several
     * batches of calls as the seam makes them, timed in thread CPU time (so a batch that loses its core costs
     * nothing extra), after enough calls for the JIT to compile the loop as it will run in the benchmark.
     */
    static double nanosPerRound() {
        long x = 1;
        for (int i = 0; i < 20 * BATCH_CALLS; i++) {   // warm-up: the interpreter's rounds are far slower
            x = work(x, BATCH_ROUNDS);
        }
        double[] batches = new double[9];
        for (int b = 0; b < batches.length; b++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < BATCH_CALLS; i++) {
                x = work(x, BATCH_ROUNDS);
            }
            batches[b] = (double) (THREADS.getCurrentThreadCpuTime() - start) / ((long) BATCH_CALLS * BATCH_ROUNDS);
        }
        calibrationSink = x;
        Arrays.sort(batches);
        return batches[batches.length / 2];
    }

    /** {@code rounds} steps of a 64-bit linear congruential generator: a dependent chain the JIT cannot fold. */
    static long work(long x, long rounds) {
        for (long i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    @Override
    public long waitpid(long pid, int options) {
        long result = delegate.waitpid(pid, options);
        sink = work(sink, rounds);
        return result;
    }

    @Override
    public int pidfdOpen(long pid) {
        return delegate.pidfdOpen(pid);
    }
}
