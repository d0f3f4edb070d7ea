package org.asyncio4j.conformance;

import java.util.List;
import java.util.Map;

/** The Markdown report of a kit run: per rule pass/fail/skip, then per property. */
final class ConformanceReport {
    private ConformanceReport() {}

    static String markdown(CertificationFacts facts, List<PropertyOutcome> outcomes) {
        Map<String, RuleCatalogue.Entry> catalogue = RuleCatalogue.rules();
        StringBuilder md = new StringBuilder();
        md.append("# Conformance report: ").append(facts.facts().get("policy")).append("\n\n")
                .append(facts.markdown(outcomes)).append('\n')
                .append(summary(outcomes)).append(" (properties)\n\n")
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

    /** "N passed, N failed, N errors, N skipped". */
    static String summary(List<PropertyOutcome> outcomes) {
        return count(outcomes, PropertyOutcome.Status.PASSED) + " passed, " + count(outcomes, PropertyOutcome.Status.FAILED) + " failed, "
                + count(outcomes, PropertyOutcome.Status.ERROR) + " errors, " + count(outcomes, PropertyOutcome.Status.SKIPPED) + " skipped";
    }

    private static long count(List<PropertyOutcome> outcomes, PropertyOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    private static String word(PropertyOutcome.Status s) {
        return switch (s) {
            case PASSED -> "pass";
            case FAILED -> "**FAIL**";
            case ERROR -> "**ERROR** (no rule verdict)";
            default -> "skip";
        };
    }
}
