package org.asyncio4j.conformance.mutants;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.Handle;
import org.asyncio4j.TimerHandle;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * A selector loop that, while it is not running, holds callSoon/callSoonThreadsafe callbacks and due
 * timers and hands them to the real queue at the next runForever, in an order a mutant chooses. While
 * running it behaves like the reference loop.
 */
abstract class HoldingLoop extends SelectorEventLoop {
    final List<Handle> soon = new ArrayList<>();
    final List<Handle> threadsafe = new ArrayList<>();
    final List<TimerHandle> dueTimers = new ArrayList<>();
    /** The held callSoon and callSoonThreadsafe handles together, in the order they were scheduled. */
    final List<Handle> ready = new ArrayList<>();

    /** Which of the three kinds this mutant holds. */
    abstract boolean holdsSoon();

    abstract boolean holdsThreadsafe();

    abstract boolean holdsTimers();

    /** Hands the held handles to the real queue, in the mutant's order, with {@link #enqueue}. */
    abstract void flush();

    final void enqueue(Handle h) {
        super.callSoon(h::run);
    }

    /** Set (under this object's lock) from the flush at the start of runForever until it returns. */
    private boolean entered;

    /** Whether a callback scheduled now is held; called with this object's lock held, so that none slips past the flush. */
    private boolean holding() {
        return !entered && !isRunning() && !isClosed();
    }

    @Override
    public Handle callSoon(Runnable callback) {
        synchronized (this) {
            if (holdsSoon() && holding()) {
                Handle h = new Handle(callback, this);
                soon.add(h);
                ready.add(h);
                return h;
            }
        }
        return super.callSoon(callback);
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        synchronized (this) {
            if (holdsThreadsafe() && holding()) {
                Handle h = new Handle(callback, this);
                threadsafe.add(h);
                ready.add(h);
                return h;
            }
        }
        return super.callSoonThreadsafe(callback);
    }

    @Override
    public TimerHandle callAt(double when, Runnable callback) {
        synchronized (this) {
            if (holdsTimers() && holding() && when <= time()) {
                TimerHandle h = new TimerHandle(when, callback, this);
                dueTimers.add(h);
                return h;
            }
        }
        return super.callAt(when, callback);
    }

    @Override
    public void runForever() {
        boolean outer;
        synchronized (this) {
            if (holding()) {
                flush();
                soon.clear();
                threadsafe.clear();
                ready.clear();
                dueTimers.clear();
            }
            outer = entered;
            entered = true;
        }
        try {
            super.runForever();
        } finally {
            synchronized (this) {
                entered = outer;
            }
        }
    }
}
