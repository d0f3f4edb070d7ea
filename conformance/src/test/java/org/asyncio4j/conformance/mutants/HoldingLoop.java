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

    private boolean holding() {
        return !isRunning() && !isClosed();
    }

    @Override
    public Handle callSoon(Runnable callback) {
        if (!holdsSoon() || !holding()) {
            return super.callSoon(callback);
        }
        Handle h = new Handle(callback, this);
        synchronized (this) {
            soon.add(h);
            ready.add(h);
        }
        return h;
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        if (!holdsThreadsafe() || !holding()) {
            return super.callSoonThreadsafe(callback);
        }
        Handle h = new Handle(callback, this);
        synchronized (this) {
            threadsafe.add(h);
            ready.add(h);
        }
        return h;
    }

    @Override
    public TimerHandle callAt(double when, Runnable callback) {
        if (!holdsTimers() || !holding() || when > time()) {
            return super.callAt(when, callback);
        }
        TimerHandle h = new TimerHandle(when, callback, this);
        synchronized (this) {
            dueTimers.add(h);
        }
        return h;
    }

    @Override
    public void runForever() {
        if (holding()) {
            synchronized (this) {
                flush();
                soon.clear();
                threadsafe.clear();
                ready.clear();
                dueTimers.clear();
            }
        }
        super.runForever();
    }
}
