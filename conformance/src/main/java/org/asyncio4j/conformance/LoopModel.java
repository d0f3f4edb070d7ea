package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Handle;
import org.asyncio4j.TimerHandle;

/**
 * The state of a scheduling property: the loop under test, what was scheduled on it, and a model of
 * CPython's {@code _run_once}. Each run is one iteration (pre-stopped, or stopped by a callback at the
 * end of the ready queue); the callbacks it ran are compared to the model, and a mismatch is attributed to
 * the rule it breaks.
 */
final class LoopModel implements AutoCloseable {
    private enum Kind { SOON, THREADSAFE, CHILD, TIMER, STOP }

    private static final class Entry {
        final int id;
        final Kind kind;
        final double when;
        final long seq;
        final boolean due;
        Handle handle;
        boolean cancelled;

        Entry(int id, Kind kind, double when, long seq, boolean due) {
            this.id = id;
            this.kind = kind;
            this.when = when;
            this.seq = seq;
            this.due = due;
        }

        @Override
        public String toString() {
            return kind == Kind.TIMER ? "#" + id + "@" + (due ? "due" : "future") : "#" + id + "(" + kind + ")";
        }
    }

    final EventLoop loop;
    private final boolean strictTies;
    private final Contexts other = new Contexts(1);
    private final double base;
    private final List<Entry> all = new ArrayList<>();
    private final List<Entry> ready = new ArrayList<>();
    private final List<Entry> timers = new ArrayList<>();
    private final List<Integer> log = new ArrayList<>();
    private final List<Entry> spawnedThisRun = new ArrayList<>();
    private long seq;

    LoopModel(EventLoop loop, boolean strictTies) {
        this.loop = loop;
        this.strictTies = strictTies;
        this.base = loop.time();
    }

    private Runnable record(int id) {
        return () -> log.add(id);
    }

    void callSoon() {
        Entry e = new Entry(all.size(), Kind.SOON, 0, seq++, true);
        e.handle = loop.callSoon(record(e.id));
        add(e, ready);
    }

    void callSoonThreadsafeFromAnotherThread() {
        Entry e = new Entry(all.size(), Kind.THREADSAFE, 0, seq++, true);
        e.handle = other.call(0, () -> loop.callSoonThreadsafe(record(e.id)));
        add(e, ready);
    }

    /** A callback that, when it runs, schedules another one with callSoon. */
    void callSoonWithChild() {
        Entry parent = new Entry(all.size(), Kind.SOON, 0, seq++, true);
        all.add(parent);
        Entry child = new Entry(all.size(), Kind.CHILD, 0, -1, true);
        all.add(child);
        parent.handle = loop.callSoon(() -> {
            log.add(parent.id);
            child.handle = loop.callSoon(record(child.id));
            spawnedThisRun.add(child);
        });
        ready.add(parent);
    }

    void callLater(double delay) {
        int id = all.size();
        double before = loop.time();
        TimerHandle h = loop.callLater(delay, record(id));
        double after = loop.time();
        Check.that("LOOP-25", h.when() >= before + delay - 1e-9 && h.when() <= after + delay + 1e-9,
                () -> "callLater(" + delay + ").when() = " + h.when() + ", not time() + delay in [" + (before + delay) + ", " + (after + delay) + "]");
        Entry e = new Entry(id, Kind.TIMER, h.when(), seq++, delay <= 0);
        e.handle = h;
        add(e, timers);
    }

    /** callAt(base + offset): equal offsets make timers due at the very same instant. */
    void callAt(double offset) {
        int id = all.size();
        double when = base + offset;
        TimerHandle h = loop.callAt(when, record(id));
        Check.equal("LOOP-26", when, h.when(), "callAt(when).when()");
        Entry e = new Entry(id, Kind.TIMER, when, seq++, offset <= 0);
        e.handle = h;
        add(e, timers);
    }

    private void add(Entry e, List<Entry> queue) {
        all.add(e);
        queue.add(e);
    }

    int handles() {
        return all.size();
    }

    void cancel(int index) {
        Actions.refersTo(index, all.size());
        Entry e = all.get(index);
        if (e.handle == null) {
            return; // a child not scheduled yet
        }
        e.handle.cancel();
        e.cancelled = true;
        Check.that("LOOP-33", e.handle.cancelled(), () -> "cancelled() is false after cancel() on " + e);
    }

    /** One iteration: {@code stop()} first (LOOP-04), or a stop callback queued last (LOOP-03). */
    void runOneIteration(boolean stopFromCallback) {
        List<Entry> expectedReady = new ArrayList<>();
        for (Entry e : ready) {
            if (!e.cancelled) {
                expectedReady.add(e);
            }
        }
        List<Entry> expectedTimers = new ArrayList<>();
        for (Entry e : timers) {
            if (e.due && !e.cancelled) {
                expectedTimers.add(e);
            }
        }
        expectedTimers.sort(Comparator.<Entry>comparingDouble(e -> e.when).thenComparingLong(e -> e.seq));
        log.clear();
        spawnedThisRun.clear();
        if (stopFromCallback) {
            loop.callSoon(loop::stop);
            Check.runForever(loop);
        } else {
            Check.runOneIteration(loop);
        }
        Check.that("LOOP-02", !loop.isRunning(), () -> "isRunning() is true after runForever() returned");
        compare(expectedReady, expectedTimers, stopFromCallback ? "LOOP-03" : "LOOP-04");
        ready.clear();
        ready.addAll(spawnedThisRun);
        timers.removeIf(e -> e.due || e.cancelled);
    }

    private void compare(List<Entry> expectedReady, List<Entry> expectedTimers, String iterationRule) {
        List<Entry> expected = new ArrayList<>(expectedReady);
        expected.addAll(expectedTimers);
        String detail = "ran " + names(log) + ", expected " + expected;
        Set<Integer> seen = new HashSet<>();
        for (int id : log) {
            Entry e = all.get(id);
            Check.that("LOOP-33", !e.cancelled, () -> "a cancelled callback ran: " + e + "; " + detail);
            Check.that("LOOP-32", !spawnedThisRun.contains(e) || ready.contains(e),
                    () -> "a callback scheduled during the iteration ran in that same iteration: " + e + "; " + detail);
            Check.that("LOOP-25", e.kind != Kind.TIMER || e.due, () -> "a timer ran before it was due: " + e + "; " + detail);
            Check.that("LOOP-23", seen.add(id), () -> "a callback ran twice: " + e + "; " + detail);
            Check.that("LOOP-23", expected.contains(e), () -> "a callback ran that was not ready: " + e + "; " + detail);
        }
        for (Entry e : expected) {
            if (!seen.contains(e.id)) {
                String rule = e.kind == Kind.TIMER && iterationRule.equals("LOOP-04") ? "LOOP-27" : iterationRule;
                throw new RuleViolation(rule, "the iteration did not run " + e + "; " + detail);
            }
        }
        // Same set, different order: the worst inverted pair names the rule (same queue first).
        String worst = null;
        String example = null;
        for (int i = 0; i < log.size(); i++) {
            Entry a = all.get(log.get(i));
            for (int j = i + 1; j < log.size(); j++) {
                Entry b = all.get(log.get(j));
                if (expected.indexOf(a) < expected.indexOf(b)) {
                    continue;
                }
                String rule = inversionRule(a, b);
                if (rule != null && (worst == null || INVERSIONS.indexOf(rule) < INVERSIONS.indexOf(worst))) {
                    worst = rule;
                    example = a + " ran before " + b;
                }
            }
        }
        if (worst != null) {
            throw new RuleViolation(worst, example + "; " + detail);
        }
    }

    /** Inversion rules, most specific first. */
    private static final List<String> INVERSIONS = List.of("LOOP-23", "LOOP-24", "LOOP-27", "LOOP-29");

    /** The rule broken when {@code a} ran before {@code b} although {@code b} was due first; null if allowed. */
    private String inversionRule(Entry a, Entry b) {
        boolean timerA = a.kind == Kind.TIMER;
        boolean timerB = b.kind == Kind.TIMER;
        if (timerA && timerB) {
            if (a.when == b.when) {
                return strictTies ? "LOOP-29" : null;
            }
            return "LOOP-27";
        }
        if (timerA || timerB) {
            return "LOOP-27";
        }
        return (a.kind == Kind.THREADSAFE) == (b.kind == Kind.THREADSAFE) ? "LOOP-23" : "LOOP-24";
    }

    private String names(List<Integer> ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(all.get(id).toString());
        }
        return out.toString();
    }

    @Override
    public void close() {
        try {
            other.close();
        } finally {
            if (!loop.isRunning() && !loop.isClosed()) {
                loop.close();
            }
        }
    }

    @Override
    public String toString() {
        return "LoopModel[" + loop + ", scheduled=" + all.size() + "]";
    }
}
