package org.asyncio4j.conformance;

import java.util.Objects;
import java.util.function.Supplier;
import org.asyncio4j.EventLoop;

/** Assertions that name the rule they check: each failure is a {@link RuleViolation}. */
public final class Check {
    private Check() {}

    /** Fails with {@code message} under {@code ruleId} unless {@code condition} holds. */
    public static void that(String ruleId, boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new RuleViolation(ruleId, message.get());
        }
    }

    /** Fails unless {@code actual} equals {@code expected}. */
    public static void equal(String ruleId, Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new RuleViolation(ruleId, what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    /** Fails unless {@code actual} is the very object {@code expected}. */
    public static void same(String ruleId, Object expected, Object actual, String what) {
        if (expected != actual) {
            throw new RuleViolation(ruleId, what + ": expected the same object <" + expected + "> but was <" + actual + ">");
        }
    }

    /**
     * Runs {@code loop} until it stops. A {@link RuntimeException} from a callback must go to the exception
     * handler, never out of {@code runForever} (LOOP-47): one that escapes fails as LOOP-47.
     */
    public static void runForever(EventLoop loop) {
        try {
            loop.runForever();
        } catch (RuntimeException e) {
            RuleViolation v = new RuleViolation("LOOP-47", "runForever() let a callback's exception escape instead of "
                    + "passing it to the exception handler: " + e);
            v.initCause(e);
            throw v;
        }
    }

    /**
     * {@code stop(); runForever()}: one iteration of {@code loop}. A guard callback, scheduled behind
     * everything already ready, would run only in a second iteration: if it does, the loop ignored the
     * stop() that came before runForever (LOOP-04), and the guard stops it so that the kit does not hang.
     */
    public static void runOneIteration(EventLoop loop) {
        boolean[] inThisRun = {true};
        boolean[] secondIteration = {false};
        boolean[] scheduling = {false};
        loop.callSoon(() -> {
            scheduling[0] = true; // a guard run inside callSoon is LOOP-32's failure, not a second iteration
            try {
                loop.callSoon(() -> {
                    if (inThisRun[0] && !scheduling[0]) {
                        secondIteration[0] = true;
                        loop.stop();
                    }
                });
            } finally {
                scheduling[0] = false;
            }
        });
        loop.stop();
        try {
            runForever(loop);
        } finally {
            inThisRun[0] = false;
        }
        that("LOOP-04", !secondIteration[0], () -> "runForever() after stop() went on to a second iteration: "
                + "a stop() before runForever must end it after one iteration");
    }

    /** An action that is expected to throw. */
    @FunctionalInterface
    public interface Action {
        /** Runs the action. */
        void run() throws Exception;
    }

    /**
     * Fails unless {@code action} throws an instance of {@code type} whose message is {@code message}
     * (null: any message). Returns the exception.
     */
    public static <X extends Throwable> X throwsWith(String ruleId, Class<X> type, String message, Action action, String what) {
        try {
            action.run();
        } catch (Throwable t) {
            if (t instanceof RuleViolation) {
                throw (RuleViolation) t;
            }
            if (!type.isInstance(t)) {
                throw new RuleViolation(ruleId, what + ": expected " + type.getSimpleName() + " but got " + t);
            }
            if (message != null && !message.equals(t.getMessage())) {
                throw new RuleViolation(ruleId, what + ": expected message \"" + message + "\" but was \"" + t.getMessage() + "\"");
            }
            return type.cast(t);
        }
        throw new RuleViolation(ruleId, what + ": expected " + type.getSimpleName()
                + (message == null ? "" : " \"" + message + "\"") + " but nothing was thrown");
    }
}
