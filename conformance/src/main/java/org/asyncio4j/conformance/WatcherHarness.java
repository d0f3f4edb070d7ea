package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.SpawnScope;

/**
 * Drives a child watcher the way every watcher's contract allows, so that one driver serves them all: a
 * loop runs on its own thread and is attached to the watcher; children are spawned and registered on that
 * loop thread (a running loop there, as Threaded and MultiLoop need) inside {@code spawning()} (as Fast
 * needs). The harness models what each child should report and checks what the watcher delivered.
 */
final class WatcherHarness implements AutoCloseable {
    /** How long a child that exited may take to be reported: a safety net, not a speed requirement. */
    private static final long DELIVERY_SAFETY_MILLIS = 10_000;

    enum Expect { RUNNING, EXIT, NOTHING }

    /** One child and what the model expects of it. */
    static final class Kid {
        final long pid;
        Expect expect = Expect.RUNNING;
        int returnCode;
        int generation;
        /** It had exited before addChildHandler (RACE-01). */
        boolean early;
        /** It was registered across an attachLoop that keeps registrations (WCH-16). */
        boolean crossedAttach;
        /** The rule that a report breaks when none is expected. */
        String silenceRule = "WCH-01";
        boolean settled;

        Kid(long pid) {
            this.pid = pid;
        }

        @Override
        public String toString() {
            return "child " + pid + " (" + expect + (expect == Expect.EXIT ? " rc " + returnCode : "") + ")";
        }
    }

    /** One call of a handler. */
    static final class Delivery {
        final int returnCode;
        final int generation;

        Delivery(int returnCode, int generation) {
            this.returnCode = returnCode;
            this.generation = generation;
        }

        @Override
        public String toString() {
            return "(rc " + returnCode + ", handler#" + generation + ")";
        }
    }

    final ChildWatcher watcher;
    final LoopThread loop;
    final Children children = new Children();
    private final boolean dropsOnAttach;
    final List<Kid> kids = new ArrayList<>();
    private final Map<Long, List<Delivery>> deliveries = new ConcurrentHashMap<>();
    private boolean closed;
    /** The rule a missing report breaks whatever the child, once a property has provoked a stall (WCH-22); or null. */
    private String stalledRule;
    private String lostRule = "WCH-01";
    /** Set on the loop thread by spawnAndRegister, read after the call returns. */
    private volatile boolean exitedBeforeRegistration;

    WatcherHarness(ChildWatcher watcher, EventLoop loop, boolean dropsOnAttach) {
        this.watcher = watcher;
        this.dropsOnAttach = dropsOnAttach;
        this.loop = LoopThread.fixture(loop, "conformance-watcher-loop");
        this.loop.run(() -> watcher.attachLoop(loop));
    }

    /**
     * From now on, a report that never comes breaks {@code rule}: the property has just provoked something
     * after which the watcher must go on delivering (a failing handler: WCH-22).
     */
    void missingReportsBreak(String rule) {
        stalledRule = rule;
    }

    /**
     * From now on, reports missing while others came break {@code rule} instead of WCH-01: the property has just
     * provoked the case of WCH-01 that {@code rule} states (exits that share one SIGCHLD: RACE-11).
     */
    void lostReportsBreak(String rule) {
        lostRule = rule;
    }

    /** Spawns and registers {@code count} sleepers in one task on the loop thread (a storm's worth at once). */
    List<Kid> spawnSleepers(int count) {
        List<Long> pids = loop.call(() -> {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                try (SpawnScope scope = watcher.spawning()) {
                    long p = children.spawnSleeper();
                    watcher.addChildHandler(p, handler(0));
                    out.add(p);
                }
            }
            return out;
        });
        List<Kid> out = new ArrayList<>();
        for (long pid : pids) {
            Kid kid = new Kid(pid);
            kids.add(kid);
            out.add(kid);
        }
        return out;
    }

    ChildHandler handler(int generation) {
        return (pid, rc) -> deliveries.computeIfAbsent(pid, p -> new CopyOnWriteArrayList<>()).add(new Delivery(rc, generation));
    }

    List<Delivery> deliveriesOf(long pid) {
        return deliveries.getOrDefault(pid, List.of());
    }

    // ----- actions -------------------------------------------------------------------------------

    Kid spawnSleeper() {
        return spawnAndRegister(children::spawnSleeper, Expect.RUNNING, 0);
    }

    Kid spawnExiting(int code) {
        return spawnAndRegister(() -> children.spawnExiting(code), Expect.EXIT, code);
    }

    private Kid spawnAndRegister(LongSupplier spawn, Expect expect, int code) {
        long pid = loop.call(() -> {
            try (SpawnScope scope = watcher.spawning()) {
                long p = spawn.getAsLong();
                exitedBeforeRegistration = children.isZombie(p);
                watcher.addChildHandler(p, handler(0));
                return p;
            }
        });
        Kid kid = new Kid(pid);
        kid.expect = expect;
        kid.returnCode = code;
        kid.early = exitedBeforeRegistration;
        kids.add(kid);
        return kid;
    }

    /** RACE-01: the child has exited (a zombie, or collected by a reaping watcher) before it is registered. */
    Kid spawnExitingBeforeRegistration(int code) {
        long pid = loop.call(() -> {
            try (SpawnScope scope = watcher.spawning()) {
                long p = children.spawnExiting(code);
                children.awaitExit(p);
                watcher.addChildHandler(p, handler(0));
                return p;
            }
        });
        Kid kid = new Kid(pid);
        kid.expect = Expect.EXIT;
        kid.returnCode = code;
        kid.early = true;
        kids.add(kid);
        return kid;
    }

    List<Kid> running() {
        List<Kid> out = new ArrayList<>();
        for (Kid k : kids) {
            if (k.expect == Expect.RUNNING) {
                out.add(k);
            }
        }
        return out;
    }

    void kill(Kid kid, int signum) {
        children.kill(kid.pid, signum);
        kid.expect = Expect.EXIT;
        kid.returnCode = -signum;
    }

    /** removeChildHandler answers true, then false; the child is then killed and must not be reported (WCH-03). */
    void remove(Kid kid) {
        // A registration lost across an attach shows first as a removal that finds nothing: WCH-16's failure.
        Check.equal(kid.crossedAttach ? "WCH-16" : "WCH-03", true, loop.call(() -> watcher.removeChildHandler(kid.pid)),
                "removeChildHandler of a registered child" + (kid.crossedAttach ? " (registered before an attachLoop)" : ""));
        Check.equal("WCH-03", false, loop.call(() -> watcher.removeChildHandler(kid.pid)), "a second removeChildHandler");
        children.kill(kid.pid, Children.SIGKILL);
        kid.expect = Expect.NOTHING;
        kid.silenceRule = "WCH-03";
    }

    /** A second addChildHandler for the pid replaces the first (WCH-02). */
    void replace(Kid kid) {
        int generation = kid.generation + 1;
        loop.run(() -> {
            try (SpawnScope scope = watcher.spawning()) {
                watcher.addChildHandler(kid.pid, handler(generation));
            }
        });
        kid.generation = generation;
    }

    /** attachLoop to the same loop again: registrations survive (WCH-16), or are all dropped (PFD-06). */
    void reattach() {
        if (dropsOnAttach) {
            settle(); // exits not yet reported would be dropped too: the model expects only running children dropped
        }
        loop.run(() -> watcher.attachLoop(loop.loop()));
        for (Kid k : kids) {
            if (dropsOnAttach && k.expect == Expect.RUNNING) {
                k.expect = Expect.NOTHING;
                k.silenceRule = "PFD-06";
            } else if (!dropsOnAttach && !k.settled && k.expect != Expect.NOTHING && deliveriesOf(k.pid).isEmpty()) {
                k.crossedAttach = true;
            }
        }
    }

    /** Closes the watcher; no registration is reported afterwards (WCH-05). */
    void closeWatcher() {
        loop.run(watcher::close);
        closed = true;
        for (Kid k : kids) {
            if (!k.settled && k.expect != Expect.NOTHING) {
                k.expect = Expect.NOTHING;
                k.silenceRule = "WCH-05";
            }
        }
    }

    /** Kills every child still running, so that every registration is put to the test, then settles. */
    void finish() {
        for (Kid k : running()) {
            kill(k, Children.SIGKILL);
        }
        settle();
    }

    // ----- checks --------------------------------------------------------------------------------

    /**
     * Checks what the watcher reported against the model, after a settle point that comes after every
     * delivery in flight: every child expected to exit has exited; a sentinel child registered after them
     * has been reported (or the safety net ran out; see {@link #sentinel()}); two round trips through the loop have passed; and the
     * children exited before the sentinel had as long again as the sentinel took (a watcher that reports on
     * a thread per child gives no stronger order). Then: exactly one report per child, settled or not (a late
     * duplicate is caught), the right return code from the latest handler, no report for a removed or dropped
     * child, and no zombie left by the watcher. Absence costs the sentinel's latency, never a fixed wait.
     */
    void settle() {
        for (Kid k : kids) {
            if (k.expect == Expect.NOTHING && !k.settled) {
                children.kill(k.pid, Children.SIGKILL);
                children.awaitExit(k.pid);
            }
        }
        for (Kid k : kids) {
            if (k.expect == Expect.EXIT && !k.settled) {
                children.awaitExit(k.pid);
            }
        }
        long floorNanos = (long) (100_000_000L * Settings.timeScale());
        long graceNanos = closed ? floorNanos : Math.min(Math.max(floorNanos, 4 * sentinel()), DELIVERY_SAFETY_MILLIS * 1_000_000L);
        loop.barrier(2);
        long deadline = System.nanoTime() + graceNanos;
        while (System.nanoTime() < deadline && kids.stream().anyMatch(k -> k.expect == Expect.EXIT && deliveriesOf(k.pid).isEmpty())) {
            sleep();
        }
        loop.barrier(2);
        List<Kid> missing = new ArrayList<>();
        for (Kid k : kids) {
            if (k.expect == Expect.EXIT && deliveriesOf(k.pid).isEmpty()) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw new RuleViolation(missingRule(missing), "the watcher never reported " + missing);
        }
        long reapGraceMillis = Math.max(50, graceNanos / 1_000_000L);
        for (Kid k : kids) {
            List<Delivery> got = deliveriesOf(k.pid);
            switch (k.expect) {
                case RUNNING -> Check.that("WCH-01", got.isEmpty(), () -> "a running " + k + " was reported as exited: " + got);
                case NOTHING -> {
                    Check.that(k.silenceRule, got.isEmpty(), () -> k + " was reported although it must not be: " + got);
                    k.settled = true;
                }
                default -> {
                    Check.equal("WCH-01", 1, got.size(), "reports of " + k + (k.settled ? ", checked at an earlier settle point" : "") + " " + got);
                    if (!k.settled) {
                        Delivery d = got.get(0);
                        Check.equal("WCH-08", k.returnCode, d.returnCode, "return code reported for " + k);
                        Check.equal("WCH-02", k.generation, d.generation, "the handler called for " + k + " (the latest one registered)");
                        Check.that("WCH-10", children.awaitReaped(k.pid, reapGraceMillis),
                                () -> k + " was reported but left a zombie: the watcher never collected its status");
                        k.settled = true;
                    }
                }
            }
        }
    }

    /**
     * The rule that missing reports break: WCH-01 (or the rule of a stall the property provoked) if a child
     * registered while running, in plain circumstances, went unreported; else WCH-16 if one registered across an attach did; else RACE-01
     * (only children that had exited before their registration were lost).
     */
    private String missingRule(List<Kid> missing) {
        if (missing.stream().anyMatch(k -> !k.early && !k.crossedAttach)) {
            // a stall reports none of them; a watcher that reported some has lost the others, a plain WCH-01
            boolean stalled = kids.stream().filter(k -> k.expect == Expect.EXIT).allMatch(missing::contains);
            return stalled ? (stalledRule != null ? stalledRule : "WCH-01") : lostRule;
        }
        return missing.stream().anyMatch(k -> k.crossedAttach) ? "WCH-16" : "RACE-01";
    }

    /**
     * Two children registered last, while they still run, then killed: what the watcher delivers before one
     * of them has had its chance. Returns how long the first report took, in nanoseconds (0 if none came
     * within the safety net: there is then no delivery in flight worth waiting for). Two, so that a watcher that loses the odd exit does not make every settle point
     * wait out the safety net; the other sentinel is checked like any child.
     */
    private long sentinel() {
        long start = System.nanoTime();
        List<Kid> sentinels = spawnSleepers(2);
        for (Kid s : sentinels) {
            kill(s, Children.SIGKILL);
        }
        long deadline = start + DELIVERY_SAFETY_MILLIS * 1_000_000L;
        while (sentinels.stream().allMatch(s -> deliveriesOf(s.pid).isEmpty()) && System.nanoTime() < deadline) {
            sleep();
        }
        if (sentinels.stream().allMatch(s -> deliveriesOf(s.pid).isEmpty())) {
            return 0; // nothing came: the safety net is spent already, and the settle check names what is missing
        }
        return System.nanoTime() - start;
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            if (!closed) {
                loop.run(watcher::close);
                closed = true;
            }
        } finally {
            try {
                children.close();
            } finally {
                loop.close();
            }
        }
    }

    @Override
    public String toString() {
        return "WatcherHarness[" + watcher + ", children=" + kids.size() + "]";
    }
}
