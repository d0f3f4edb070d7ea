package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoopPolicy;

/**
 * Conformance properties for an {@link EventLoopPolicy}: the universal AbstractEventLoopPolicy contract,
 * and the default policy's per-thread profile for policies that claim it.
 *
 * <p>Extend it in a test class, return a new policy from {@link #createPolicy()} on every call, and
 * override the capability methods to declare what the policy lacks or claims:
 * <pre>{@code
 * class MyPolicyConformanceTest extends EventLoopPolicyConformance {
 *     protected EventLoopPolicy createPolicy() { return new MyPolicy(); }
 *     protected boolean claimsDefaultPolicyProfile() { return true; }
 * }
 * }</pre>
 * Properties drive the policy from several worker threads with random sequences of
 * {@code newEventLoop}/{@code setEventLoop}/{@code getEventLoop} calls and compare it to a model.
 */
public abstract class EventLoopPolicyConformance extends ConformanceBase {
    private static final int MAX_ACTIONS = 25;

    /** For subclasses. */
    protected EventLoopPolicyConformance() {}

    /** A new policy instance; called once per try. */
    protected abstract EventLoopPolicy createPolicy();

    /**
     * True if the policy keeps the default policy's context model: one current loop per thread, and
     * {@code IllegalStateException("There is no current event loop in thread 'NAME'.")} in a (non-main)
     * thread without one (POL-09, POL-12, POL-13, POL-15, POL-28). Default false.
     */
    protected boolean claimsDefaultPolicyProfile() {
        return false;
    }

    /** False if {@code getChildWatcher} throws UnsupportedOperationException (no child watchers). Default true. */
    protected boolean supportsChildWatchers() {
        return true;
    }

    /**
     * The thread the policy treats as the main thread (where {@code getEventLoop()} auto-creates a loop and
     * {@code setEventLoop} attaches the child watcher), or null (the default) to leave the main-thread rules
     * unchecked. {@link #jvmMainThread()} is the JVM's initial thread, asyncio4j's choice. Those properties run
     * only when the test engine runs them on that thread (surefire and {@code Certify} run on "main"), and are
     * reported skipped otherwise.
     */
    @Override
    protected Thread mainThread() {
        return null;
    }

    /** The JVM's initial thread: named "main", in the "main" thread group, not a daemon; null if it has ended. */
    protected static Thread jvmMainThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ThreadGroup group = t.getThreadGroup();
            if ("main".equals(t.getName()) && group != null && "main".equals(group.getName()) && !t.isDaemon()) {
                return t;
            }
        }
        return null;
    }

    /** Answers from the capability methods above (or override it to answer for all at once); false for other kits' capabilities. */
    @Override
    protected boolean declares(Capability capability) {
        return switch (capability) {
            case MAIN_THREAD -> mainThread() != null;
            case DEFAULT_POLICY_PROFILE -> claimsDefaultPolicyProfile();
            case CHILD_WATCHERS -> supportsChildWatchers();
            default -> false;
        };
    }

    // ----- the universal contract -----------------------------------------------------------------

    @Property
    @Rule({"POL-07", "POL-08", "POL-10"})
    void newSetAndGetFromSeveralThreadsKeepTheUniversalContract(@ForAll("universalChains") ActionChain<PolicyModel> chain) {
        chain.run();
    }

    @Provide
    Arbitrary<ActionChain<PolicyModel>> universalChains() {
        return chains(false);
    }

    // ----- the default policy's per-thread profile -----------------------------------------------

    @Property
    @Requires(Capability.DEFAULT_POLICY_PROFILE)
    @Rule({"POL-07", "POL-08", "POL-09", "POL-10", "POL-12", "POL-13", "POL-15"})
    void eachThreadHasItsOwnCurrentLoop(@ForAll("perThreadChains") ActionChain<PolicyModel> chain) {
        chain.run();
    }

    @Provide
    Arbitrary<ActionChain<PolicyModel>> perThreadChains() {
        return chains(true);
    }

    private Arbitrary<ActionChain<PolicyModel>> chains(boolean perThread) {
        Arbitrary<Integer> context = Arbitraries.integers().between(0, PolicyModel.CONTEXTS - 1);
        return ActionChain.<PolicyModel>startWith(() -> track(new PolicyModel(createPolicy(), perThread)))
                .withAction(2, Actions.independent(context.map(c ->
                        Actions.mutate("newEventLoop() in context " + c, m -> m.newLoop(c)))))
                .withAction(3, Actions.dependent(m -> true, m -> Arbitraries.integers().between(0, PolicyModel.CONTEXTS - 1)
                        .flatMap(c -> Arbitraries.integers().between(-1, m.loops.size() - 1).map(l ->
                                Actions.<PolicyModel>mutate("setEventLoop(" + loopName(l) + ") in context " + c, s -> s.set(c, l))))))
                .withAction(2, Actions.dependent(m -> true, m -> Arbitraries.integers().between(0, PolicyModel.CONTEXTS - 1)
                        .flatMap(c -> Arbitraries.integers().between(-1, m.loops.size() - 1).map(l ->
                                Actions.<PolicyModel>mutate("setEventLoop(" + loopName(l) + ") then getEventLoop() in context " + c,
                                        s -> s.setThenGet(c, l))))))
                .withAction(4, Actions.independent(context.map(c ->
                        Actions.mutate("getEventLoop() in context " + c, m -> m.get(c)))))
                .withAction(1, Actions.dependent(m -> !m.loops.isEmpty(), m -> Arbitraries.integers().between(0, m.loops.size() - 1)
                        .map(l -> Actions.<PolicyModel>mutate("close " + loopName(l), s -> s.closeLoop(l)))))
                .withMaxTransformations(MAX_ACTIONS);
    }

    private static String loopName(int index) {
        return index < 0 ? "null" : "loop#" + index;
    }

    // ----- child watchers ------------------------------------------------------------------------

    @Property
    @Requires(Capability.CHILD_WATCHERS)
    @Rule("POL-22")
    void getChildWatcherReturnsOneInstanceEvenUnderRaces(@ForAll @IntRange(min = 2, max = 6) int racers) throws Exception {
        EventLoopPolicy policy = createPolicy();
        {
            CyclicBarrier start = new CyclicBarrier(racers);
            List<Future<ChildWatcher>> got = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            try {
                for (int i = 0; i < racers; i++) {
                    got.add(pool.submit(() -> {
                        start.await();
                        return policy.getChildWatcher();
                    }));
                }
                ChildWatcher first = got.get(0).get(30, TimeUnit.SECONDS);
                Check.that("POL-22", first != null, () -> "getChildWatcher() returned null");
                for (Future<ChildWatcher> f : got) {
                    Check.same("POL-22", first, f.get(30, TimeUnit.SECONDS), "getChildWatcher() from racing threads");
                }
                Check.same("POL-22", first, policy.getChildWatcher(), "a later getChildWatcher()");
            } finally {
                pool.shutdownNow();
                policy.setChildWatcher(null);
            }
        }
    }

    @Example
    @Requires(Capability.CHILD_WATCHERS)
    @Rule({"POL-24", "POL-25"})
    void setChildWatcherClosesThePreviousWatcherAndNullMakesANewDefault() {
        EventLoopPolicy policy = createPolicy();
        RecordingWatcher first = new RecordingWatcher("first");
        RecordingWatcher second = new RecordingWatcher("second");
        try {
            policy.setChildWatcher(first);
            Check.same("POL-24", first, policy.getChildWatcher(), "getChildWatcher() after setChildWatcher(w)");
            policy.setChildWatcher(second);
            Check.equal("POL-24", 1, first.closes.get(), "close() calls on the replaced watcher");
            Check.equal("POL-24", 0, second.closes.get(), "close() calls on the new watcher");
            Check.that("POL-24", second.attached.isEmpty(), () -> "setChildWatcher attached the new watcher: " + second.attached);
            policy.setChildWatcher(null);
            Check.equal("POL-24", 1, second.closes.get(), "close() calls on the watcher replaced by null");
            ChildWatcher fresh = policy.getChildWatcher();
            Check.that("POL-25", fresh != null && fresh != first && fresh != second,
                    () -> "getChildWatcher() after setChildWatcher(null) returned " + fresh + ", not a new default watcher");
        } finally {
            policy.setChildWatcher(null);
        }
    }

    @Example
    @Requires({Capability.DEFAULT_POLICY_PROFILE, Capability.CHILD_WATCHERS})
    @Rule("POL-28")
    void setEventLoopOutsideTheMainThreadNeverAttachesTheWatcher() {
        EventLoopPolicy policy = createPolicy();
        RecordingWatcher watcher = new RecordingWatcher("held");
        try (PolicyModel model = new PolicyModel(policy, true)) {
            policy.setChildWatcher(watcher);
            model.newLoop(0);
            model.set(1, 0);
            model.set(1, -1);
            Check.that("POL-28", watcher.attached.isEmpty(),
                    () -> "setEventLoop in a worker thread called attachLoop: " + watcher.attached);
        } finally {
            policy.setChildWatcher(null);
        }
    }

    // ----- the main thread ---------------------------------------------------------------------------

    @Example
    @OnMainThread
    @Requires({Capability.DEFAULT_POLICY_PROFILE, Capability.MAIN_THREAD})
    @Rule({"POL-11", "POL-07"})
    void theMainThreadAutoCreatesOneLoopUntilSetEventLoopIsCalled() {
        EventLoopPolicy policy = createPolicy();
        EventLoop created = null;
        try {
            try {
                created = policy.getEventLoop();
            } catch (RuntimeException e) {
                throw new RuleViolation("POL-11", "getEventLoop() in the main thread of a new policy threw " + e);
            }
            EventLoop first = created;
            Check.that("POL-11", first != null && !first.isClosed(), () -> "getEventLoop() in the main thread of a new policy returned " + first);
            for (int i = 0; i < 3; i++) {
                Check.same("POL-11", first, policy.getEventLoop(), "getEventLoop() again in the main thread");
            }
            policy.setEventLoop(null);
            Check.throwsWith("POL-11", IllegalStateException.class, null, () -> Check.that("POL-07", policy.getEventLoop() != null,
                    () -> "getEventLoop() in the main thread after setEventLoop(null) returned null"),
                    "getEventLoop() in the main thread after setEventLoop(null) (no second auto-creation)");
        } finally {
            policy.setEventLoop(null);
            if (created != null) {
                created.close();
            }
        }
    }

    @Example
    @OnMainThread
    @Requires({Capability.DEFAULT_POLICY_PROFILE, Capability.MAIN_THREAD, Capability.CHILD_WATCHERS})
    @Rule({"POL-27", "POL-29", "RACE-23", "POL-11"})
    void setEventLoopInTheMainThreadAttachesTheHeldWatcherAfterSwitching() {
        EventLoopPolicy policy = createPolicy();
        RecordingWatcher watcher = new RecordingWatcher("held");
        List<EventLoop> currentWhenAttached = new CopyOnWriteArrayList<>();
        EventLoop auto = null;
        EventLoop replacement = null;
        try {
            policy.setChildWatcher(watcher);
            try {
                auto = policy.getEventLoop();
            } catch (RuntimeException e) {
                // no loop to attach: the auto-creation itself is broken, not the attaching
                throw new RuleViolation("POL-11", "getEventLoop() in the main thread of a new policy threw " + e);
            }
            EventLoop first = auto;
            Check.that("POL-29", !watcher.attached.isEmpty() && watcher.attached.stream().allMatch(l -> l == first),
                    () -> "attachLoop calls on the held watcher after the main thread's auto-creation of " + first + ": " + watcher.attached);
            watcher.attached.clear();
            watcher.onAttach = loop -> {
                try {
                    currentWhenAttached.add(policy.getEventLoop());
                } catch (RuntimeException noCurrentLoop) {
                    currentWhenAttached.add(null); // no current loop yet: attached before switching
                }
            };
            replacement = policy.newEventLoop();
            policy.setEventLoop(replacement);
            EventLoop second = replacement;
            Check.that("POL-27", !currentWhenAttached.isEmpty() && currentWhenAttached.stream().allMatch(l -> l == second),
                    () -> "the main thread's current loop seen by attachLoop during setEventLoop(" + second + "): " + currentWhenAttached
                            + " (the loop must be switched first)");
            Check.equal("RACE-23", List.of(second), watcher.attached, "attachLoop calls after setEventLoop(new) in the main thread");
            watcher.onAttach = loop -> { };
            policy.setEventLoop(null);
            Check.equal("RACE-23", Arrays.asList(second, null), watcher.attached,
                    "attachLoop calls after setEventLoop(null) in the main thread");
        } finally {
            policy.setEventLoop(null);
            policy.setChildWatcher(null);
            for (EventLoop l : Arrays.asList(auto, replacement)) {
                if (l != null) {
                    l.close();
                }
            }
        }
    }
}
