package org.asyncio4j.conformance;

/**
 * A failed check of one rule of the catalogue (RULES.md). Its message starts with {@code [RULE-ID]}, so the rule is
 * visible in any report, and {@link #ruleId()} lets the kit's runner attribute the failure exactly.
 */
public final class RuleViolation extends AssertionError {
    private final String ruleId;

    public RuleViolation(String ruleId, String message) {
        super("[" + ruleId + "] " + message);
        this.ruleId = ruleId;
    }

    /** The rule that was broken, such as {@code "LOOP-23"}. */
    public String ruleId() {
        return ruleId;
    }
}
