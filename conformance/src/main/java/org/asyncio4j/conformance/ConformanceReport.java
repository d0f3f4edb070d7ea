package org.asyncio4j.conformance;

import java.util.List;
import java.util.Map;

/** The Markdown report of a kit run: per rule pass/fail/skip, then per property. */
final class ConformanceReport {
    private ConformanceReport() {}

    static String markdown(String subject, List<PropertyOutcome> outcomes, int tries) {
        Map<String, RuleCatalogue.Entry> catalogue = RuleCatalogue.rules();
        StringBuilder md = new StringBuilder();
        md.append("# Conformance report: ").append(subject).append("\n\n")
                .append(summary(outcomes)).append(" (properties; tries per model property: ").append(tries).append(")\n\n")
                .append("## Rules\n\n| Rule | Result | Behaviour |\n| --- | --- | --- |\n");
        for (Map.Entry<String, PropertyOutcome.Status> e : KitRun.ruleStatus(outcomes).entrySet()) {
            RuleCatalogue.Entry rule = catalogue.get(e.getKey());
            md.append("| ").append(e.getKey()).append(" | ").append(word(e.getValue())).append(" | ")
                    .append(rule == null ? "" : rule.sentence).append(" |\n");
        }
        md.append("\n## Properties\n\n| Property | Rules | Result | Detail |\n| --- | --- | --- | --- |\n");
        for (PropertyOutcome o : outcomes) {
            String detail = o.message() == null ? "" : o.message().replace('\n', ' ').replace("|", "\\|");
            if (detail.length() > 300) {
                detail = detail.substring(0, 300) + "...";
            }
            if (o.seed() != null) {
                detail = "seed " + o.seed() + ": " + detail;
            }
            md.append("| ").append(o.kit()).append("#").append(o.property()).append(" | ")
                    .append(String.join(", ", o.rules())).append(" | ")
                    .append(word(o.status())).append(o.violatedRule() == null ? "" : " (" + o.violatedRule() + ")")
                    .append(" | ").append(detail).append(" |\n");
        }
        return md.toString();
    }

    /** "N passed, N failed, N skipped". */
    static String summary(List<PropertyOutcome> outcomes) {
        long passed = outcomes.stream().filter(o -> o.status() == PropertyOutcome.Status.PASSED).count();
        long failed = outcomes.stream().filter(o -> o.status() == PropertyOutcome.Status.FAILED).count();
        long skipped = outcomes.stream().filter(o -> o.status() == PropertyOutcome.Status.SKIPPED).count();
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }

    private static String word(PropertyOutcome.Status s) {
        switch (s) {
            case PASSED:
                return "pass";
            case FAILED:
                return "**FAIL**";
            default:
                return "skip";
        }
    }
}
