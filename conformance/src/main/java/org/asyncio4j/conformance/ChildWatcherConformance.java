package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogRecord;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.state.ActionChain;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.SpawnScope;

/**
 * Conformance properties for a {@link ChildWatcher}, with real child processes: random sequences of
 * spawn, kill, remove, replace and re-attach, and exit storms, checked against a model (exactly one
 * report per child, the right return code, nothing after remove or close, no zombie left).
 *
 * <p>Extend it in a test class and return a new watcher from {@link #createWatcher()} on every call;
 * override the capability methods to declare how the watcher is driven and what it does differently. The
 * kit drives every watcher the same way: a loop ({@link #createEventLoop()}) runs on a thread of its own
 * and is attached with {@code attachLoop}; children are spawned and registered on that loop thread inside
 * {@code spawning()}. Children are started with {@code posix_spawnp} by {@link Children}, and every child is
 * killed and reaped when a try ends.
 *
 * <p>Only one watcher that owns SIGCHLD should be active in a process (WCH-12): run these properties in a
 * JVM where nothing else reaps children.
 */
@Requires(Capability.CHILD_WATCHERS)
public abstract class ChildWatcherConformance extends ConformanceBase {
    /** For subclasses. */
    protected ChildWatcherConformance() {}

    /** A new, unattached watcher; called once per try. */
    protected abstract ChildWatcher createWatcher();

    /**
     * The loop the kit attaches the watcher to; a new, not running loop per call. Default: a new loop of the
     * installed policy ({@code EventLoops.getEventLoopPolicy().newEventLoop()}).
     */
    protected EventLoop createEventLoop() {
        return EventLoops.getEventLoopPolicy().newEventLoop();
    }

    /** True if addChildHandler needs a loop running in the calling thread (Threaded, MultiLoop). Default false. */
    protected boolean needsRunningLoopToRegister() {
        return false;
    }

    /** True if addChildHandler is refused while no loop is attached (Safe, Fast, Pidfd: WCH-26). Default false. */
    protected boolean needsAttachedLoop() {
        return false;
    }

    /** True if addChildHandler is refused outside spawning() (Fast: FAST-06). Default false. */
    protected boolean needsSpawningWindow() {
        return false;
    }

    /** True if the watcher reaps every child of the process, registered or not (Fast: FAST-12). Default false. */
    protected boolean reapsEveryChild() {
        return false;
    }

    /** True if attachLoop drops every registration (Pidfd: PFD-06). Default false. */
    protected boolean dropsRegistrationsOnAttach() {
        return false;
    }

    /** True if isActive() holds only while attached to a running loop (Safe, Fast, Pidfd: WCH-25). Default false. */
    protected boolean activeOnlyWhileLoopRuns() {
        return false;
    }

    /**
     * True if close() is attachLoop(null), pending registrations included, so it warns as a detach does (Pidfd:
     * PFD-07). Default false.
     */
    protected boolean closeIsDetach() {
        return false;
    }

    /**
     * True if an exception from a child handler called inside a SIGCHLD sweep reaches the loop's exception
     * handler as "Unknown exception in SIGCHLD handler" (Safe, Fast: WCH-22). False: the watcher delivers exits
     * through loop callbacks, and the exception arrives as "Exception in callback ...". Default false.
     */
    protected boolean reportsCallbackErrorsAsSweepErrors() {
        return false;
    }

    /** True if addChildHandler for a child that has already exited calls the handler before returning (Safe: WCH-23). Default false. */
    protected boolean deliversExitedChildOnRegistration() {
        return false;
    }

    /**
     * True if the watcher logs asyncio4j's reference texts on the {@code org.asyncio4j} logger and CPython's
     * warnings on {@code org.asyncio4j.warnings} (WCH-17, FAST-04, THR-04). Default false.
     */
    protected boolean logsReferenceTexts() {
        return false;
    }

    /** Answers from the capability methods above (or override it to answer for all at once); false for other kits' capabilities. */
    @Override
    protected boolean declares(Capability capability) {
        return switch (capability) {
            case CHILD_WATCHERS -> true;
            case NEEDS_RUNNING_LOOP_TO_REGISTER -> needsRunningLoopToRegister();
            case NEEDS_ATTACHED_LOOP -> needsAttachedLoop();
            case NEEDS_SPAWNING_WINDOW -> needsSpawningWindow();
            case REAPS_EVERY_CHILD -> reapsEveryChild();
            case DROPS_REGISTRATIONS_ON_ATTACH -> dropsRegistrationsOnAttach();
            case ACTIVE_ONLY_WHILE_LOOP_RUNS -> activeOnlyWhileLoopRuns();
            case CLOSE_IS_DETACH -> closeIsDetach();
            case CALLBACK_ERRORS_AS_SWEEP_ERRORS -> reportsCallbackErrorsAsSweepErrors();
            case DELIVERS_EXITED_CHILD_ON_REGISTRATION -> deliversExitedChildOnRegistration();
            case REFERENCE_LOG_TEXTS -> logsReferenceTexts();
            default -> false;
        };
    }

    private WatcherHarness harness() {
        return track(new WatcherHarness(createWatcher(), createEventLoop(), has(Capability.DROPS_REGISTRATIONS_ON_ATTACH)));
    }

    // ----- random sequences ----------------------------------------------------------------------

    @Property
    @RealChildren
    @Rule({"WCH-01", "WCH-02", "WCH-03", "WCH-08", "WCH-10", "WCH-16", "PFD-06", "RACE-01"})
    void everyChildIsReportedOnceWithItsReturnCode(@ForAll("watcherChains") ActionChain<WatcherHarness> chain) {
        WatcherHarness h = chain.run();
        h.finish();
    }

    @Provide
    Arbitrary<ActionChain<WatcherHarness>> watcherChains() {
        Arbitrary<Integer> codes = Arbitraries.of(0, 1, 2, 42, 127, 255);
        return ActionChain.<WatcherHarness>startWith(this::harness)
                .withAction(3, Actions.just("spawn a sleeper", WatcherHarness::spawnSleeper))
                .withAction(3, Actions.independent(codes.map(c ->
                        Actions.<WatcherHarness>mutate("spawn a child exiting with " + c, h -> h.spawnExiting(c)))))
                .withAction(1, Actions.independent(codes.map(c ->
                        Actions.<WatcherHarness>mutate("a child exiting with " + c + " before its registration", h -> h.spawnExitingBeforeRegistration(c)))))
                .withAction(3, Actions.dependent(h -> !h.running().isEmpty(), h -> Arbitraries.of(h.running())
                        .flatMap(k -> Arbitraries.of(toList(Children.FATAL_SIGNALS)).map(sig ->
                                Actions.<WatcherHarness>mutate("kill " + k.pid + " with signal " + sig, s -> s.kill(k, sig))))))
                .withAction(1, Actions.dependent(h -> !h.running().isEmpty(), h -> Arbitraries.of(h.running())
                        .map(k -> Actions.<WatcherHarness>mutate("removeChildHandler(" + k.pid + ")", s -> s.remove(k)))))
                .withAction(1, Actions.dependent(h -> !h.running().isEmpty(), h -> Arbitraries.of(h.running())
                        .map(k -> Actions.<WatcherHarness>mutate("addChildHandler(" + k.pid + ") again", s -> s.replace(k)))))
                .withAction(1, Actions.just("attachLoop(the same loop) again", WatcherHarness::reattach))
                .withAction(1, Actions.just("settle and check", WatcherHarness::settle))
                .withMaxTransformations(14);
    }

    private static List<Integer> toList(int[] values) {
        List<Integer> out = new ArrayList<>();
        for (int v : values) {
            out.add(v);
        }
        return out;
    }

    @Property
    @RealChildren(minTries = 2)
    @Rule({"WCH-01", "WCH-08"})
    void aStormOfExitsIsReportedInFull(@ForAll @IntRange(min = 100, max = 300) int count, @ForAll("signalSeed") int seed) {
        WatcherHarness h = harness();
        List<WatcherHarness.Kid> all = h.spawnSleepers(count);
        for (int i = 0; i < all.size(); i++) {
            h.kill(all.get(i), Children.FATAL_SIGNALS[Math.floorMod(seed + i, Children.FATAL_SIGNALS.length)]);
        }
        h.settle();
    }

    /**
     * RACE-11: the children exit while the loop thread is busy, so their SIGCHLDs coalesce and a SIGCHLD-driven
     * watcher finds every exit in its next sweep; each must be reported.
     */
    @Property
    @RealChildren(minTries = 2)
    @Rule("RACE-11")
    void exitsThatShareOneSigchldAreAllReported(@ForAll @IntRange(min = 2, max = 4) int count) {
        WatcherHarness h = harness();
        List<WatcherHarness.Kid> kids = h.spawnSleepers(count);
        h.loop.run(() -> {
            for (int i = 0; i < kids.size(); i++) {
                h.kill(kids.get(i), Children.FATAL_SIGNALS[i % Children.FATAL_SIGNALS.length]);
            }
            for (WatcherHarness.Kid k : kids) {
                h.children.awaitExit(k.pid);
            }
        });
        h.lostReportsBreak("RACE-11");
        h.settle();
    }

    @Property
    @RealChildren(minTries = 3)
    @Rule("RACE-01")
    void childrenThatExitBeforeTheirRegistrationAreReported(@ForAll @IntRange(min = 1, max = 4) int early,
                                                           @ForAll @IntRange(min = 0, max = 3) int plain) {
        WatcherHarness h = harness();
        for (int i = 0; i < early; i++) {
            h.spawnExitingBeforeRegistration(i + 1);
        }
        for (int i = 0; i < plain; i++) {
            h.spawnExiting(0);
        }
        h.finish();
    }

    @Provide
    Arbitrary<Integer> signalSeed() {
        return Arbitraries.integers().between(0, Children.FATAL_SIGNALS.length - 1);
    }

    @Property
    @RealChildren(minTries = 2)
    @Rule("WCH-02")
    void onlyTheLatestHandlerIsCalled(@ForAll @IntRange(min = 1, max = 4) int children, @ForAll @IntRange(min = 1, max = 3) int replacements) {
        WatcherHarness h = harness();
        for (int i = 0; i < children; i++) {
            WatcherHarness.Kid kid = h.spawnSleeper();
            for (int r = 0; r < replacements; r++) {
                h.replace(kid);
            }
        }
        h.finish();
    }

    @Property
    @RealChildren(minTries = 2)
    @Rule("WCH-03")
    void aRemovedHandlerIsNeverCalled(@ForAll @IntRange(min = 1, max = 4) int removed, @ForAll @IntRange(min = 0, max = 3) int kept) {
        WatcherHarness h = harness();
        for (int i = 0; i < removed; i++) {
            h.remove(h.spawnSleeper());
        }
        for (int i = 0; i < kept; i++) {
            h.spawnSleeper();
        }
        Check.equal("WCH-03", false, h.loop.call(() -> h.watcher.removeChildHandler(Integer.MAX_VALUE - 1)),
                "removeChildHandler of a pid that was never registered");
        h.finish();
    }

    @Property
    @RealChildren(minTries = 2)
    @Requires(Capability.KEEPS_REGISTRATIONS_ON_ATTACH)
    @Rule("WCH-16")
    void registrationsSurviveAttachLoop(@ForAll @IntRange(min = 1, max = 4) int children, @ForAll @IntRange(min = 1, max = 2) int attaches) {
        WatcherHarness h = harness();
        for (int i = 0; i < children; i++) {
            h.spawnSleeper();
        }
        for (int i = 0; i < attaches; i++) {
            h.reattach();
        }
        h.finish();
    }

    @Property
    @RealChildren(minTries = 2)
    @Requires(Capability.DROPS_REGISTRATIONS_ON_ATTACH)
    @Rule("PFD-06")
    void attachLoopDropsEveryRegistration(@ForAll @IntRange(min = 1, max = 4) int children) {
        WatcherHarness h = harness();
        for (int i = 0; i < children; i++) {
            h.spawnSleeper();
        }
        h.reattach();
        h.finish();
    }

    @Property
    @RealChildren(minTries = 2)
    @Rule("WCH-05")
    void nothingIsReportedAfterClose(@ForAll @IntRange(min = 1, max = 6) int pending) {
        WatcherHarness h = harness();
        for (int i = 0; i < pending; i++) {
            h.spawnSleeper();
        }
        h.closeWatcher();
        h.settle();
    }

    @Example
    @Rule("WCH-06")
    void aWatcherAttachedToARunningLoopIsActive() {
        WatcherHarness h = harness();
        Check.equal("WCH-06", true, h.loop.call(h.watcher::isActive), "isActive() once attached to a running loop");
    }

    @Example
    @Requires(Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS)
    @Rule({"WCH-25", "PFD-02"})
    void aWatcherIsActiveOnlyWhileItsLoopRuns() {
        ChildWatcher watcher = track(createWatcher());
        EventLoop loop = track(createEventLoop());
        Check.equal("WCH-25", false, watcher.isActive(), "isActive() of a new watcher");
        watcher.attachLoop(loop);
        Check.equal("WCH-25", false, watcher.isActive(), "isActive() when attached to a loop that is not running");
        boolean[] whileRunning = new boolean[1];
        loop.callSoon(() -> {
            whileRunning[0] = watcher.isActive();
            loop.stop();
        });
        loop.runForever();
        Check.equal("WCH-25", true, whileRunning[0], "isActive() while the attached loop runs");
        Check.equal("WCH-25", false, watcher.isActive(), "isActive() after the loop stopped");
        watcher.close();
    }

    @Example
    @Requires(Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    @Rule({"THR-01", "MLW-05"})
    void registeringWithoutARunningLoopIsRefused() {
        WatcherHarness h = harness();
        long pid = h.children.spawnSleeper();
        Check.throwsWith("THR-01", IllegalStateException.class, "no running event loop",
                () -> h.watcher.addChildHandler(pid, h.handler(0)), "addChildHandler from a thread with no running loop");
        Check.equal("THR-01", false, h.loop.call(() -> h.watcher.removeChildHandler(pid)), "removeChildHandler after the refused registration");
    }

    @Example
    @Requires(Capability.NEEDS_ATTACHED_LOOP)
    @Rule({"WCH-26", "PFD-03"})
    void registeringWithoutAnAttachedLoopIsRefused() {
        ChildWatcher watcher = track(createWatcher());
        Children children = track(new Children());
        try (LoopThread loop = LoopThread.fixture(createEventLoop(), "conformance-unattached-loop")) {
            long pid = children.spawnSleeper();
            Check.throwsWith("WCH-26", IllegalStateException.class,
                    "Cannot add child handler, the child watcher does not have a loop attached",
                    () -> loop.run(() -> {
                        try (SpawnScope scope = watcher.spawning()) {
                            watcher.addChildHandler(pid, (p, rc) -> { });
                        }
                    }), "addChildHandler on a watcher with no loop attached");
        }
    }

    @Example
    @Requires(Capability.NEEDS_SPAWNING_WINDOW)
    @Rule("FAST-06")
    void registeringOutsideSpawningIsRefused() {
        WatcherHarness h = harness();
        long pid = h.children.spawnSleeper();
        Check.throwsWith("FAST-06", IllegalStateException.class, null,
                () -> h.loop.run(() -> h.watcher.addChildHandler(pid, h.handler(0))), "addChildHandler outside spawning()");
    }

    @Property
    @RealChildren(minTries = 2)
    @Requires(Capability.LEAVES_OTHER_CHILDREN_ALONE)
    @Rule({"SAFE-06", "THR-02", "MLW-06", "PFD-08"})
    void childrenNobodyRegisteredAreLeftToTheirOwner(@ForAll @IntRange(min = 1, max = 4) int others) {
        WatcherHarness h = harness();
        long[] foreign = new long[others];
        for (int i = 0; i < others; i++) {
            foreign[i] = h.children.spawnExiting(i);
        }
        for (long pid : foreign) {
            h.children.awaitExit(pid);
        }
        h.spawnExiting(3);
        h.settle();
        for (long pid : foreign) {
            Check.that("SAFE-06", h.children.isZombie(pid), () -> "the watcher collected the status of child " + pid + ", which nobody registered");
        }
    }

    @Example
    @Requires(Capability.REAPS_EVERY_CHILD)
    @Rule({"FAST-12", "FAST-04"})
    void aReapingWatcherAlsoCollectsChildrenNobodyRegistered() {
        WatcherHarness h = harness();
        long foreign = h.children.spawnExiting(5);
        h.children.awaitExit(foreign);
        h.spawnExiting(3);
        h.settle();
        // the sweep that reported the registered child, which was spawned after the foreign one had exited, drained
        // every zombie (FAST-01); the loop barrier lets that sweep finish: the foreign child must be gone by now
        h.loop.barrier(2);
        Check.that("FAST-12", h.children.isReaped(foreign), () -> "the reaping watcher left child " + foreign
                + " a zombie after a sweep that reported a child which exited later");
    }

    // ----- failing handlers, closed loops and what is logged ------------------------------------------

    @Property
    @RealChildren(minTries = 2)
    @Rule({"WCH-22", "RACE-08"})
    void aFailingHandlerGoesToTheLoopsExceptionHandlerAndTheOthersAreStillReported(@ForAll @IntRange(min = 0, max = 3) int others) {
        WatcherHarness h = harness();
        List<Map<String, Object>> contexts = new CopyOnWriteArrayList<>();
        CountDownLatch handled = new CountDownLatch(1);
        h.loop.run(() -> h.loop.loop().setExceptionHandler((l, c) -> {
            contexts.add(c);
            handled.countDown();
        }));
        RuntimeException failure = new IllegalStateException("conformance: a failing child handler");
        long failing = h.loop.call(() -> {
            try (SpawnScope scope = h.watcher.spawning()) {
                long p = h.children.spawnSleeper();
                h.watcher.addChildHandler(p, (pid, rc) -> {
                    throw failure;
                });
                return p;
            }
        });
        for (int i = 0; i < others; i++) {
            h.spawnSleeper();
        }
        h.children.kill(failing, Children.FATAL_SIGNALS[0]);
        h.missingReportsBreak("WCH-22");
        try {
            LoopThread.await(handled, "the failing child handler's exception to reach the loop's exception handler");
        } catch (IllegalStateException timedOut) {
            throw new RuleViolation("WCH-22", "the exception of the failing child handler never reached the loop's exception handler");
        }
        h.finish();
        Map<String, Object> context = contexts.get(0);
        Check.same("WCH-22", failure, context.get("exception"), "the 'exception' of the context the loop's exception handler got");
        Object message = context.get("message");
        if (has(Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS)) {
            Check.equal("WCH-22", "Unknown exception in SIGCHLD handler", message, "the context's message");
        } else {
            Check.that("WCH-22", message instanceof String && ((String) message).startsWith("Exception in callback"),
                    () -> "the context's message is " + message + ", expected \"Exception in callback ...\" of the delivering loop callback");
        }
        Check.equal("WCH-22", 1, contexts.size(), "exception handler calls: " + contexts);
    }

    @Example
    @Requires(Capability.DELIVERS_EXITED_CHILD_ON_REGISTRATION)
    @Rule("WCH-23")
    void aFailingHandlerCalledDuringRegistrationThrowsToTheCaller() {
        WatcherHarness h = harness();
        RuntimeException failure = new IllegalStateException("conformance: a failing child handler");
        long pid = h.children.spawnExiting(4);
        h.children.awaitExit(pid);
        Throwable thrown = h.loop.call(() -> {
            try (SpawnScope scope = h.watcher.spawning()) {
                h.watcher.addChildHandler(pid, (p, rc) -> {
                    throw failure;
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Check.same("WCH-23", failure, thrown, "what addChildHandler threw when the handler it called for an exited child failed");
        Check.that("WCH-23", h.children.awaitReaped(pid, 10_000), () -> "the exited child " + pid + " was left a zombie");
    }

    @Property
    @RealChildren(minTries = 2)
    @Requires(Capability.NEEDS_RUNNING_LOOP_TO_REGISTER)
    @Rule({"THR-04", "MLW-07", "RACE-19", "WCH-10"})
    void anExitForAClosedRegisteringLoopIsDroppedAndTheWatcherGoesOn(@ForAll @IntRange(min = 1, max = 3) int children) {
        WatcherHarness h = harness();
        List<Long> called = new CopyOnWriteArrayList<>();
        List<Long> pids = new ArrayList<>();
        try (LogSink sink = new LogSink()) {
            LoopThread registering = LoopThread.fixture(createEventLoop(), "conformance-closed-loop");
            try {
                for (int i = 0; i < children; i++) {
                    pids.add(registering.call(() -> {
                        try (SpawnScope scope = h.watcher.spawning()) {
                            long p = h.children.spawnSleeper();
                            h.watcher.addChildHandler(p, (x, rc) -> called.add(x));
                            return p;
                        }
                    }));
                }
            } finally {
                registering.close();
            }
            for (long pid : pids) {
                h.children.kill(pid, Children.FATAL_SIGNALS[0]);
            }
            for (long pid : pids) {
                h.children.awaitExit(pid);
            }
            h.spawnExiting(3);
            h.settle(); // the closed loop's children were reaped, and the warnings logged, by this settle point
            for (long pid : pids) {
                Check.that("WCH-10", h.children.awaitReaped(pid, 500), () -> "child " + pid + " of a closed loop was never reaped");
            }
            if (has(Capability.REFERENCE_LOG_TEXTS) && LogSink.unroutedReason() == null) {
                for (long pid : pids) {
                    String text = " that handles pid " + pid + " is closed";
                    Check.that("THR-04", !sink.matching(t -> t.startsWith("Loop ") && t.endsWith(text)).isEmpty(),
                            () -> "no WARNING \"Loop <repr>" + text + "\" was logged: " + sink);
                }
            }
        }
        Check.that("THR-04", called.isEmpty(), () -> "handlers registered on a loop closed before the exit were called for " + called);
    }

    @Example
    @Requires({Capability.REFERENCE_LOG_TEXTS, Capability.NEEDS_ATTACHED_LOOP})
    @Rule("WCH-17")
    void detachingWithPendingHandlersWarns() {
        WatcherHarness h = harness();
        String warning = "RuntimeWarning: A loop is being detached from a child watcher with pending handlers";
        try (LogSink sink = new LogSink()) {
            h.loop.run(() -> h.watcher.attachLoop(null));
            Check.that("WCH-17", sink.matching(warning::equals).isEmpty(), () -> "attachLoop(null) without registrations warned: " + sink);
            h.loop.run(() -> h.watcher.attachLoop(h.loop.loop()));
            h.loop.call(() -> {
                try (SpawnScope scope = h.watcher.spawning()) {
                    h.watcher.addChildHandler(h.children.spawnSleeper(), (p, rc) -> { });
                    return null;
                }
            });
            h.loop.run(() -> h.watcher.attachLoop(null));
            List<LogRecord> warned = sink.matching(warning::equals);
            Check.equal("WCH-17", 1, warned.size(), "\"" + warning + "\" records after attachLoop(null) with a pending handler: " + sink);
            Check.equal("WCH-17", "org.asyncio4j.warnings", warned.get(0).getLoggerName(), "the logger of the RuntimeWarning");
        }
    }

    @Example
    @Requires({Capability.REFERENCE_LOG_TEXTS, Capability.NEEDS_ATTACHED_LOOP, Capability.CLOSE_IS_DETACH})
    @Rule("PFD-07")
    void closingWithPendingHandlersWarnsAsADetachDoes() {
        WatcherHarness h = harness();
        String warning = "RuntimeWarning: A loop is being detached from a child watcher with pending handlers";
        try (LogSink sink = new LogSink()) {
            h.loop.call(() -> {
                try (SpawnScope scope = h.watcher.spawning()) {
                    h.watcher.addChildHandler(h.children.spawnSleeper(), (p, rc) -> { });
                    return null;
                }
            });
            h.loop.run(h.watcher::close);
            List<LogRecord> warned = sink.matching(warning::equals);
            Check.equal("PFD-07", 1, warned.size(), "\"" + warning + "\" records after close() with a pending handler: " + sink);
            Check.equal("PFD-07", "org.asyncio4j.warnings", warned.get(0).getLoggerName(), "the logger of the RuntimeWarning");
        }
    }

    @Example
    @Requires({Capability.REFERENCE_LOG_TEXTS, Capability.REAPS_EVERY_CHILD})
    @Rule("FAST-04")
    void aReapingWatcherLogsChildrenNobodyRegistered() {
        WatcherHarness h = harness();
        try (LogSink sink = new LogSink()) {
            long foreign = h.children.spawnExiting(5);
            h.children.awaitExit(foreign);
            h.spawnExiting(3);
            h.settle();
            String text = "Caught subprocess termination from unknown pid: " + foreign + " -> 5";
            Check.that("FAST-04", !sink.matching(text::equals).isEmpty(), () -> "no WARNING \"" + text + "\" was logged by the settle point: " + sink);
        }
    }

    /**
     * WCH-27 belongs to the SIGCHLD-driven Safe/Fast base: the capability pair that only such a watcher
     * declares (reference texts, and callback errors reported as sweep errors) selects it.
     */
    @Example
    @Requires({Capability.REFERENCE_LOG_TEXTS, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS})
    @Rule("WCH-27")
    void debugModeLogsEachReapedChild() {
        WatcherHarness h = harness();
        try (LogSink sink = new LogSink()) {
            h.loop.run(() -> h.loop.loop().setDebug(true));
            WatcherHarness.Kid kid = h.spawnExiting(7);
            h.settle();
            String text = "process " + kid.pid + " exited with returncode 7";
            Check.that("WCH-27", !sink.matching(text::equals).isEmpty(), () -> "no DEBUG \"" + text + "\" was logged in debug mode by the settle point: " + sink);
        } finally {
            h.loop.run(() -> h.loop.loop().setDebug(false));
        }
    }
}
