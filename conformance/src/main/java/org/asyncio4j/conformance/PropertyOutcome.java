package org.asyncio4j.conformance;

import java.util.List;

/**
 * How one property of a kit run ended: the rules it checks and, for a failure, the one rule whose check
 * failed. A failure that is not a {@link RuleViolation} (the kit's model crashed, or the implementation threw
 * where no check expected it) is an {@link Status#ERROR}: it fails the run but is never counted against a rule.
 */
public final class PropertyOutcome {
    /** Passed; failed a rule's check; errored without a rule verdict; or skipped (aborted counts as skipped). */
    public enum Status { PASSED, FAILED, ERROR, SKIPPED }

    private final String kit;
    private final String property;
    private final List<String> rules;
    private final Status status;
    private final String violatedRule;
    private final String message;
    private final String seed;
    private final String report;

    PropertyOutcome(String kit, String property, List<String> rules, Status status, String violatedRule, String message,
                    String seed, String report) {
        this.kit = kit;
        this.property = property;
        this.rules = List.copyOf(rules);
        this.status = status;
        this.violatedRule = violatedRule;
        this.message = message;
        this.seed = seed;
        this.report = report;
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

    /** How the property ended. */
    public Status status() {
        return status;
    }

    /** True for a failure or an error: the run does not pass. */
    public boolean broken() {
        return status == Status.FAILED || status == Status.ERROR;
    }

    /** The rule a failure was attributed to; null unless the status is FAILED. */
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

    /** What jqwik reported for a broken property (shrunk and original samples, seed), or an empty string. */
    public String report() {
        return report == null ? "" : report;
    }

    /** The rules this outcome counts as failed: the violated one, or none. */
    public List<String> failedRules() {
        return status == Status.FAILED ? List.of(violatedRule) : List.of();
    }

    @Override
    public String toString() {
        return kit + "#" + property + " " + status + (violatedRule == null ? "" : " [" + violatedRule + "]");
    }
}
