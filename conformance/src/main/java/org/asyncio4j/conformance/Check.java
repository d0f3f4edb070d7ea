package org.asyncio4j.conformance;

import java.util.Objects;
import java.util.function.Supplier;

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

    /** An action that is expected to throw. */
    @FunctionalInterface
    public interface Action {
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
