package org.asyncio4j.benchmarks;

import java.util.Objects;
import org.asyncio4j.internal.posix.ChildWaiter;

/**
 * A benchmark-only seam that makes every {@code waitpid} slower by a fixed fraction of its own duration:
 * it times the real call and then spins for {@code fraction} times as long. The gate's power self-test
 * uses it to inject a known slowdown into a watcher's sweep (Safe's sweep is n waitpid calls, so its time
 * grows by nearly the same fraction) without changing a line of impl.
 *
 * <p>Switched on for a whole JVM through the system property {@value #PROPERTY} (a fraction, e.g.
 * {@code 0.25}); {@link WatcherRig} wraps the system waiter in it when the property is set.
 */
public final class SlowChildWaiter implements ChildWaiter {
    /** The system property that holds the slowdown fraction; unset or 0 means no slowdown. */
    public static final String PROPERTY = "asyncio4j.bench.waitpidSlowdown";

    private final ChildWaiter delegate;
    private final double fraction;

    /** Each waitpid through {@code delegate} then waits {@code fraction} times its own duration more. */
    public SlowChildWaiter(ChildWaiter delegate, double fraction) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (!(fraction >= 0 && fraction <= 10)) {
            throw new IllegalArgumentException("fraction must be in [0, 10], got " + fraction);
        }
        this.fraction = fraction;
    }

    /** The system waiter, slowed down by the fraction in {@value #PROPERTY} when that property is set. */
    public static ChildWaiter fromSystemProperty() {
        String value = System.getProperty(PROPERTY, "").trim();
        if (value.isEmpty()) {
            return ChildWaiter.system();
        }
        double fraction;
        try {
            fraction = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a fraction such as 0.25, got '" + value + "'", e);
        }
        return fraction == 0 ? ChildWaiter.system() : new SlowChildWaiter(ChildWaiter.system(), fraction);
    }

    @Override
    public long waitpid(long pid, int options) {
        long start = System.nanoTime();
        long result = delegate.waitpid(pid, options);
        long until = start + (long) ((System.nanoTime() - start) * (1 + fraction));
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
