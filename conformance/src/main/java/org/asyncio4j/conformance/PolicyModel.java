package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoopPolicy;

/**
 * The state of a policy property: the policy under test, worker-thread contexts, the loops it handed out,
 * and the model of each context's current loop (used by the default-policy profile).
 */
final class PolicyModel implements AutoCloseable {
    static final int CONTEXTS = 3;

    final EventLoopPolicy policy;
    final boolean perThreadProfile;
    final Contexts contexts = new Contexts(CONTEXTS);
    final List<EventLoop> loops = new ArrayList<>();
    /** Per context: absent = setEventLoop never called there; a null value = set to null. */
    private final Map<Integer, EventLoop> current = new HashMap<>();
    /** Per context: when setEventLoop was last called there (a counter over all contexts). */
    private final Map<Integer, Long> lastSet = new HashMap<>();
    private long sets;
    /** Per context: every loop ever set there. */
    private final Map<Integer, Set<EventLoop>> everSet = new HashMap<>();

    PolicyModel(EventLoopPolicy policy, boolean perThreadProfile) {
        this.policy = policy;
        this.perThreadProfile = perThreadProfile;
    }

    void newLoop(int context) {
        Contexts.Outcome<EventLoop> before = contexts.attempt(context, policy::getEventLoop);
        EventLoop loop = contexts.call(context, policy::newEventLoop);
        Check.that("POL-07", loop != null, () -> "newEventLoop() returned null");
        loops.add(loop);
        Check.that("POL-08", !loop.isRunning() && !loop.isClosed(),
                () -> "newEventLoop() returned a loop that is running or closed: " + loop);
        for (int i = 0; i < loops.size() - 1; i++) {
            int index = i;
            Check.that("POL-08", loops.get(i) != loop, () -> "newEventLoop() returned loop #" + index + " again");
        }
        Contexts.Outcome<EventLoop> after = contexts.attempt(context, policy::getEventLoop);
        boolean closedCurrent = before.value != null && before.value.isClosed();
        Check.that(closedCurrent ? "POL-15" : "POL-08", sameOutcome(before, after),
                () -> "newEventLoop() changed the current loop: getEventLoop() " + before + " before, " + after + " after");
    }

    void set(int context, int loopIndex) {
        Actions.refersTo(loopIndex, loops.size());
        EventLoop loop = loopIndex < 0 ? null : loops.get(loopIndex);
        contexts.call(context, () -> {
            policy.setEventLoop(loop);
            return null;
        });
        current.put(context, loop);
        lastSet.put(context, ++sets);
        everSet.computeIfAbsent(context, c -> new HashSet<>()).add(loop);
    }

    void setThenGet(int context, int loopIndex) {
        Actions.refersTo(loopIndex, loops.size());
        EventLoop loop = loopIndex < 0 ? null : loops.get(loopIndex);
        Contexts.Outcome<EventLoop> got = contexts.attempt(context, () -> {
            policy.setEventLoop(loop);
            return policy.getEventLoop();
        });
        Map<Integer, EventLoop> others = new HashMap<>(current);
        others.remove(context);
        boolean previousOfThisThread = got.value != null && got.value == current.get(context);
        current.put(context, loop);
        lastSet.put(context, ++sets);
        everSet.computeIfAbsent(context, c -> new HashSet<>()).add(loop);
        // this thread's own previous loop is a set that did not take (POL-10), even if another thread holds it too
        if (loop != null && got.thrown == null && got.value != loop && got.value != null && others.containsValue(got.value)
                && !previousOfThisThread) {
            throw new RuleViolation("POL-09", "setEventLoop(L) then getEventLoop() in " + contexts.name(context)
                    + " returned another thread's current loop " + got.value + ", not L = " + loop);
        }
        if (loop != null) {
            Check.that(loop.isClosed() && isFresh(got) ? "POL-15" : "POL-10", got.thrown == null && got.value == loop,
                    () -> "setEventLoop(L) then getEventLoop() in the same thread " + got + ", not L = " + loop);
        } else {
            Check.that("POL-07", got.thrown != null || got.value != null, () -> "getEventLoop() returned null");
        }
    }

    /**
     * Whether {@code got} is a loop that no thread ever set: what a policy that replaces a closed current loop
     * hands out (POL-15). A loop set earlier, or an exception, is a set that did not take (POL-10) instead.
     */
    private boolean isFresh(Contexts.Outcome<EventLoop> got) {
        return got.thrown == null && got.value != null
                && everSet.values().stream().noneMatch(loops -> loops.contains(got.value));
    }

    void get(int context) {
        Contexts.Outcome<EventLoop> got = contexts.attempt(context, policy::getEventLoop);
        Check.that("POL-07", got.thrown != null || got.value != null, () -> "getEventLoop() returned null");
        if (!perThreadProfile) {
            return;
        }
        String thread = contexts.name(context);
        EventLoop expected = current.get(context);
        if (expected != null) {
            boolean anothersCurrent = current.entrySet().stream()
                    .anyMatch(e -> e.getKey() != context && e.getValue() != null && e.getValue() == got.value);
            if (got.thrown == null && got.value != expected && anothersCurrent) {
                throw new RuleViolation("POL-09", "getEventLoop() in " + thread + " returned another thread's current loop " + got.value
                        + " instead of its own " + expected);
            }
            long mine = lastSet.getOrDefault(context, 0L);
            boolean anotherSetNullSince = current.entrySet().stream().anyMatch(e -> e.getKey() != context && e.getValue() == null
                    && lastSet.getOrDefault(e.getKey(), 0L) > mine);
            if (got.thrown != null && anotherSetNullSince) {
                throw new RuleViolation("POL-09", "getEventLoop() in " + thread + " " + got + " although it set " + expected
                        + ": another thread's setEventLoop(null) reached it");
            }
            if (expected.isClosed() && got.value != expected && isFresh(got)) {
                throw new RuleViolation("POL-15", "getEventLoop() in " + thread + " " + got
                        + " instead of its current loop, which is closed: " + expected);
            }
            Check.that("POL-10", got.thrown == null && got.value == expected,
                    () -> "getEventLoop() in " + thread + " " + got + ", expected its current loop " + expected);
            return;
        }
        String rule = current.containsKey(context) ? "POL-13" : "POL-12";
        if (got.thrown == null && current.containsValue(got.value)
                && !everSet.getOrDefault(context, Set.of()).contains(got.value)) {
            throw new RuleViolation("POL-09", "getEventLoop() in " + thread + ", which has no loop, returned another thread's loop " + got.value);
        }
        String message = "There is no current event loop in thread '" + thread + "'.";
        Check.that(rule, got.thrown instanceof IllegalStateException && message.equals(got.thrown.getMessage()),
                () -> "getEventLoop() in " + thread + (current.containsKey(context) ? " after setEventLoop(null) " : " (never set) ")
                        + got + ", expected IllegalStateException \"" + message + "\"");
    }

    void closeLoop(int loopIndex) {
        Actions.refersTo(loopIndex, loops.size());
        EventLoop loop = loops.get(loopIndex);
        if (!loop.isRunning()) {
            loop.close();
        }
    }

    private static boolean sameOutcome(Contexts.Outcome<EventLoop> a, Contexts.Outcome<EventLoop> b) {
        if (a.thrown != null || b.thrown != null) {
            return a.thrown != null && b.thrown != null && a.thrown.getClass() == b.thrown.getClass();
        }
        return a.value == b.value;
    }

    @Override
    public void close() {
        try {
            for (int c = 0; c < CONTEXTS; c++) {
                int context = c;
                contexts.attempt(context, () -> {
                    policy.setEventLoop(null);
                    return null;
                });
            }
            for (EventLoop loop : loops) {
                if (!loop.isRunning()) {
                    loop.close();
                }
            }
        } finally {
            contexts.close();
        }
    }

    @Override
    public String toString() {
        return "PolicyModel[" + policy + ", loops=" + loops.size() + "]";
    }
}
