package org.asyncio4j;

/**
 * A callback scheduled for a point in time, as returned by {@link EventLoop#callLater} and
 * {@link EventLoop#callAt}: asyncio.TimerHandle. Ordered by {@link #when()} (LOOP-36).
 *
 * <p>Equality is identity: a handle is mutable (it can be cancelled), so CPython's value equality would
 * make it unfit for hash-based collections.
 */
public class TimerHandle extends Handle implements Comparable<TimerHandle> {
    private final double when;

    /**
     * Creates a timer handle due at {@code when} on the loop's {@link EventLoop#time()} clock.
     *
     * @param when the due time, in seconds on the loop's clock; not NaN
     * @param callback what to run when due
     * @param loop the loop that schedules it
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public TimerHandle(double when, Runnable callback, EventLoop loop) {
        super(callback, loop);
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("when must be a number, not NaN");
        }
        this.when = when;
    }

    /** {@return the absolute time this timer is due, on the loop's clock} */
    public double when() {
        return when;
    }

    @Override
    public int compareTo(TimerHandle other) {
        return Double.compare(when, other.when);
    }

    @Override
    public String toString() {
        return super.toString().replaceFirst(">$", " when=" + when + ">");
    }
}
