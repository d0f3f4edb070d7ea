package org.asyncio4j.benchmarks.gate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The gate's outputs, all in one directory: {@code gate.md} for people, {@code gate-junit.xml} for any CI's
 * test view (a regression is a failure, an inconclusive figure is skipped with its reason),
 * {@code gate.json} (every figure's ratio, interval and verdict), {@code benchmark-action.json} in
 * github-action-benchmark's {@code customSmallerIsBetter} format, and each side's forks merged into one raw
 * JMH file ({@code base-jmh.json}, {@code candidate-jmh.json}) for {@code tool: jmh}, Bencher's
 * {@code java_jmh} adapter and jmh-visualizer's compare view.
 */
final class GateReport {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().setStrictness(Strictness.LENIENT)
            .serializeSpecialFloatingPointValues().create();

    private final List<Comparison> comparisons;
    private final List<String> unmatched;
    private final Comparison.Verdict overall;
    private final double threshold;
    private final double confidence;
    private final String title;

    GateReport(List<Comparison> comparisons, List<String> unmatched, double threshold, double confidence, String title) {
        this.comparisons = List.copyOf(comparisons);
        this.unmatched = List.copyOf(unmatched);
        this.overall = Comparison.Verdict.overall(comparisons);
        this.threshold = threshold;
        this.confidence = confidence;
        this.title = title;
    }

    Comparison.Verdict overall() {
        return overall;
    }

    void write(Path dir, ForkScores base, ForkScores candidate) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("gate.md"), markdown());
        Files.writeString(dir.resolve("gate-junit.xml"), junit());
        Files.writeString(dir.resolve("gate.json"), GSON.toJson(json()));
        Files.writeString(dir.resolve("benchmark-action.json"), GSON.toJson(benchmarkAction(candidate)));
        Files.writeString(dir.resolve("base-jmh.json"), GSON.toJson(ForkMerge.merge(base)));
        Files.writeString(dir.resolve("candidate-jmh.json"), GSON.toJson(ForkMerge.merge(candidate)));
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Performance gate: ").append(overall.name().toLowerCase(Locale.ROOT)).append("\n\n");
        sb.append(title).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Ratio = candidate cost / base cost per figure (above 1 is slower): the "
                + "Hodges-Lehmann estimate over the forks' best iterations, with its distribution-free interval "
                + "(exact Mann-Whitney, at least %.0f%% where the forks allow; from %d forks a side each side's "
                + "slowest fork is set aside). Regression: the whole interval above %.2f. Pass: the whole interval "
                + "at or below it. Otherwise inconclusive.%n%n", confidence * 100, Comparison.TRIM_FROM, 1 + threshold));
        sb.append("| figure | forks base/cand | base | candidate | ratio | interval | verdict |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Comparison c : comparisons) {
            sb.append(String.format(Locale.ROOT, "| %s | %d/%d | %s %s | %s %s | %.3f | [%.3f, %.3f] | **%s** |%n",
                    c.key(), c.baseForks(), c.candForks(), num(c.baseMean()), c.unit(), num(c.candMean()), c.unit(),
                    c.ratio(), c.low(), c.high(), c.verdict().name().toLowerCase(Locale.ROOT)));
        }
        sb.append('\n');
        for (Comparison c : comparisons) {
            if (c.verdict() != Comparison.Verdict.PASS) {
                sb.append("- ").append(c.verdict().name().toLowerCase(Locale.ROOT)).append(" `").append(c.key())
                        .append("`: ").append(c.reason()).append('\n');
            }
        }
        for (String key : unmatched) {
            sb.append("- not compared `").append(key).append("`: measured on one side only\n");
        }
        return sb.toString();
    }

    String junit() {
        long failures = comparisons.stream().filter(c -> c.verdict() == Comparison.Verdict.REGRESSION).count();
        long skipped = comparisons.stream().filter(c -> c.verdict() == Comparison.Verdict.INCONCLUSIVE).count();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<testsuite name=\"asyncio4j.performance-gate\" tests=\"%d\" failures=\"%d\" "
                + "errors=\"0\" skipped=\"%d\">%n", comparisons.size(), failures, skipped));
        for (Comparison c : comparisons) {
            sb.append("  <testcase classname=\"asyncio4j.performance-gate\" name=\"").append(xml(c.key())).append("\"");
            switch (c.verdict()) {
                case PASS -> sb.append("/>\n");
                case REGRESSION -> sb.append(">\n    <failure message=\"").append(xml(c.reason())).append("\"/>\n  </testcase>\n");
                case INCONCLUSIVE -> sb.append(">\n    <skipped message=\"").append(xml(c.reason())).append("\"/>\n  </testcase>\n");
            }
        }
        return sb.append("</testsuite>\n").toString();
    }

    JsonObject json() {
        JsonObject root = new JsonObject();
        root.addProperty("verdict", overall.name().toLowerCase(Locale.ROOT));
        root.addProperty("exitStatus", overall.exitStatus());
        root.addProperty("threshold", threshold);
        root.addProperty("confidence", confidence);
        root.addProperty("title", title);
        JsonArray figures = new JsonArray();
        for (Comparison c : comparisons) {
            JsonObject f = new JsonObject();
            f.addProperty("name", c.key());
            f.addProperty("verdict", c.verdict().name().toLowerCase(Locale.ROOT));
            f.addProperty("ratio", c.ratio());
            f.addProperty("low", c.low());
            f.addProperty("high", c.high());
            f.addProperty("baseForks", c.baseForks());
            f.addProperty("candidateForks", c.candForks());
            f.addProperty("baseScore", c.baseMean());
            f.addProperty("candidateScore", c.candMean());
            f.addProperty("unit", c.unit());
            f.addProperty("reason", c.reason());
            figures.add(f);
        }
        root.add("figures", figures);
        JsonArray notCompared = new JsonArray();
        unmatched.forEach(notCompared::add);
        root.add("notCompared", notCompared);
        return root;
    }

    /** github-action-benchmark's customSmallerIsBetter entries: the candidate's cost per figure. */
    JsonArray benchmarkAction(ForkScores candidate) {
        JsonArray out = new JsonArray();
        for (Comparison c : comparisons) {
            ForkScores.Figure f = candidate.figures().get(c.key());
            boolean rate = f.higherIsBetter();
            JsonObject e = new JsonObject();
            e.addProperty("name", c.key());
            e.addProperty("unit", rate ? "1/(" + c.unit() + ")" : c.unit());
            e.addProperty("value", rate ? 1 / c.candMean() : c.candMean());
            e.addProperty("extra", String.format(Locale.ROOT, "ratio to base %.3f [%.3f, %.3f], %s", c.ratio(),
                    c.low(), c.high(), c.verdict().name().toLowerCase(Locale.ROOT)));
            out.add(e);
        }
        return out;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.3g", v);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
