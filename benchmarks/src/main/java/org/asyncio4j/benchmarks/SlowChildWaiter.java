package org.asyncio4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Objects;
import org.asyncio4j.internal.posix.ChildWaiter;

/**
 * A benchmark-only seam that makes every {@code waitpid} cost a fixed extra amount of CPU time, measured on
 * the thread's own CPU clock, the clock the gate judges a pass by. The gate's power self-test uses it to
 * inject a known slowdown into a watcher's sweep (Safe's sweep is n waitpid calls, so n times the extra)
 * without changing a line of impl.
 *
 * <p>Each call adds its extra to what the thread owes; once that reaches {@value #LUMP_NANOS} ns the thread
 * works it off, spinning until its CPU clock has advanced by that much (one read of the clock costs about
 * 0.2 us, too much to take per call). What a spin overshoots is credited to the next lump, and the one clock
 * read a lump costs outside its own measurement is charged to it, so over many calls the CPU added is the
 * asked extra per call whatever else the machine does. (A spin that watched {@code System.nanoTime()}, as this
 * seam first did, added only what its few clock reads cost: 42-49 ns of CPU for 75 ns asked; and a spin timed
 * by the wall clock gives up its work when the thread loses its core.)
 *
 * <p>Switched on for a whole JVM through the system property {@value #PROPERTY} (nanoseconds of CPU per
 * call); {@link WatcherRig} wraps the system waiter in it when the property is set. A waiter serves one
 * thread, like the watcher's sweep it slows.
 */
public final class SlowChildWaiter implements ChildWaiter {
    /** The system property that holds the extra nanoseconds of CPU per waitpid; unset or 0 means none. */
    public static final String PROPERTY = "asyncio4j.bench.waitpidExtraNanos";
    /** The most a call may be slowed by, in nanoseconds. */
    public static final long MAX_EXTRA_NANOS = 1_000_000;
    /** What the thread owes is worked off once it reaches this much CPU time, in nanoseconds. */
    static final long LUMP_NANOS = 10_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final ChildWaiter delegate;
    private final long extraNanos;
    /** The CPU time one read of the thread's CPU clock costs, charged to the lump that it closes. */
    private final long readNanos;
    /** CPU time owed, in nanoseconds; below zero when the last spin overshot. */
    private long owedNanos;
    /** Where the spin's arithmetic goes, so that the JIT cannot drop it. */
    private long sink = 1;

    /** Each waitpid through {@code delegate} is followed, on average, by {@code extraNanos} of CPU time. */
    public SlowChildWaiter(ChildWaiter delegate, long extraNanos) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (extraNanos < 0 || extraNanos > MAX_EXTRA_NANOS) {
            throw new IllegalArgumentException("extraNanos must be in [0, " + MAX_EXTRA_NANOS + "], got " + extraNanos);
        }
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot read a thread's CPU time: no " + PROPERTY + " here");
        }
        this.extraNanos = extraNanos;
        this.readNanos = clockReadNanos();
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

    /** The CPU time one read of this thread's CPU clock costs: the median of a few batches. */
    private static long clockReadNanos() {
        long[] batches = new long[9];
        for (int b = 0; b < batches.length; b++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < 200; i++) {
                THREADS.getCurrentThreadCpuTime();
            }
            batches[b] = (THREADS.getCurrentThreadCpuTime() - start) / 201;
        }
        Arrays.sort(batches);
        return batches[batches.length / 2];
    }

    @Override
    public long waitpid(long pid, int options) {
        long result = delegate.waitpid(pid, options);
        owedNanos += extraNanos;
        if (owedNanos >= LUMP_NANOS) {
            workOff();
        }
        return result;
    }

    /** Spins until the thread's CPU clock has advanced by what is owed (less the read the spin cannot see). */
    private void workOff() {
        long until = THREADS.getCurrentThreadCpuTime() + owedNanos - readNanos;
        long now;
        do {
            sink = work(sink, 16);
            now = THREADS.getCurrentThreadCpuTime();
        } while (now < until);
        owedNanos = until - now;   // the overshoot, credited to the next lump
    }

    /** {@code rounds} steps of a 64-bit linear congruential generator: a dependent chain the JIT cannot fold. */
    static long work(long x, long rounds) {
        for (long i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    @Override
    public int pidfdOpen(long pid) {
        return delegate.pidfdOpen(pid);
    }
}
