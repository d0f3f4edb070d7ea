package org.asyncio4j.base;

import java.util.Comparator;
import org.asyncio4j.TimerHandle;

/** A timer in a {@link BaseEventLoop}'s heap: ordered by time, ties in scheduling order. */
final class ScheduledTimer extends TimerHandle {
    static final Comparator<ScheduledTimer> ORDER =
            Comparator.comparingDouble(ScheduledTimer::when).thenComparingLong(t -> t.sequence);

    private final BaseEventLoop owner;
    private final long sequence;
    /** True while in the heap; cancelled timers in the heap are counted so they can be purged. */
    boolean inHeap = true;

    ScheduledTimer(double when, Runnable callback, BaseEventLoop owner, long sequence) {
        super(when, callback, owner);
        this.owner = owner;
        this.sequence = sequence;
    }

    @Override
    protected void onCancelled() {
        if (inHeap) {
            owner.timerCancelled();
        }
    }
}
