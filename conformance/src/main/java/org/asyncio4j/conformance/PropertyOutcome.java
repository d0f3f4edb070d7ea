package org.asyncio4j.conformance;

import java.util.List;

/** How one property of a kit run ended, with the rules it checks and, for a failure, the rule it caught. */
public final class PropertyOutcome {
    /** Passed, failed, or skipped (aborted counts as skipped). */
    public enum Status { PASSED, FAILED, SKIPPED }

    private final String kit;
    private final String property;
    private final List<String> rules;
    private final Status status;
    private final String violatedRule;
    private final String message;
    private final String seed;

    PropertyOutcome(String kit, String property, List<String> rules, Status status, String violatedRule, String message, String seed) {
        this.kit = kit;
        this.property = property;
        this.rules = List.copyOf(rules);
        this.status = status;
        this.violatedRule = violatedRule;
        this.message = message;
        this.seed = seed;
    }

    /** The abstract conformance class the property belongs to. */
    public String kit() {
        return kit;
    }

    /** The property method's name. */
    public String property() {
        return property;
    }

    /** The rule IDs the property checks. */
    public List<String> rules() {
        return rules;
    }

    public Status status() {
        return status;
    }

    /** The rule a failure was attributed to, or null (a failure that is not a RuleViolation counts against all its rules). */
    public String violatedRule() {
        return violatedRule;
    }

    /** The failure message or the skip reason, or null. */
    public String message() {
        return message;
    }

    /** The jqwik seed of a failed property, for replay, or null. */
    public String seed() {
        return seed;
    }

    /** The rules this outcome counts as failed. */
    public List<String> failedRules() {
        if (status != Status.FAILED) {
            return List.of();
        }
        return violatedRule != null ? List.of(violatedRule) : rules;
    }

    @Override
    public String toString() {
        return kit + "#" + property + " " + status + (violatedRule == null ? "" : " [" + violatedRule + "]");
    }
}
