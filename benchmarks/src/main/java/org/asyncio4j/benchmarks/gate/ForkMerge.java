package org.asyncio4j.benchmarks.gate;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Merges the rows of one figure measured in separate single-fork JMH runs into one row, as JMH itself would
 * have written it with {@code -f N}: {@code forks} is N, {@code rawData} holds one array per fork, and score,
 * error (99.9% Student t, JMH's convention), confidence and percentiles are recomputed over all iterations.
 * The result opens in jmh-visualizer and is read by github-action-benchmark ({@code tool: jmh}) and Bencher's
 * {@code java_jmh} adapter.
 */
final class ForkMerge {
    private static final double[] PERCENTILES = {0.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999, 100.0};

    private ForkMerge() {
    }

    /** One JMH result array holding every figure of {@code side}, its forks merged. */
    static JsonArray merge(ForkScores side) {
        JsonArray out = new JsonArray();
        for (ForkScores.Figure figure : side.figures().values()) {
            out.add(mergeRows(figure.rows()));
        }
        return out;
    }

    static JsonObject mergeRows(List<JsonObject> rows) {
        JsonObject merged = rows.get(0).deepCopy();
        int forks = 0;
        for (JsonObject row : rows) {
            forks += row.has("forks") ? row.get("forks").getAsInt() : 1;
        }
        merged.addProperty("forks", forks);
        merged.add("primaryMetric", mergeMetric(rows.stream().map(r -> r.getAsJsonObject("primaryMetric")).toList()));
        if (merged.has("secondaryMetrics")) {
            JsonObject secondary = new JsonObject();
            for (Map.Entry<String, JsonElement> e : merged.getAsJsonObject("secondaryMetrics").entrySet()) {
                List<JsonObject> metrics = new ArrayList<>();
                for (JsonObject row : rows) {
                    JsonObject s = row.getAsJsonObject("secondaryMetrics");
                    if (s != null && s.has(e.getKey())) {
                        metrics.add(s.getAsJsonObject(e.getKey()));
                    }
                }
                secondary.add(e.getKey(), mergeMetric(metrics));
            }
            merged.add("secondaryMetrics", secondary);
        }
        return merged;
    }

    /** A metric whose raw data is the concatenation of {@code metrics}' raw data, its statistics recomputed. */
    static JsonObject mergeMetric(List<JsonObject> metrics) {
        JsonObject merged = metrics.get(0).deepCopy();
        String rawKey = merged.has("rawData") ? "rawData" : merged.has("rawDataHistogram") ? "rawDataHistogram" : null;
        if (rawKey == null || metrics.size() == 1) {
            return merged;
        }
        JsonArray raw = new JsonArray();
        DescriptiveStatistics values = new DescriptiveStatistics();
        double n = 0;
        double sum = 0;
        double sumSquares = 0;
        for (JsonObject m : metrics) {
            for (JsonElement fork : m.getAsJsonArray(rawKey)) {
                raw.add(fork);
                for (JsonElement v : fork.getAsJsonArray()) {
                    if (v.isJsonArray()) {   // a histogram iteration: [[value, count], ...]
                        for (JsonElement bin : v.getAsJsonArray()) {
                            JsonArray pair = bin.getAsJsonArray();
                            double value = pair.get(0).getAsDouble();
                            double count = pair.get(1).getAsDouble();
                            n += count;
                            sum += value * count;
                            sumSquares += value * value * count;
                        }
                    } else {
                        values.addValue(v.getAsDouble());
                        n++;
                        sum += v.getAsDouble();
                        sumSquares += v.getAsDouble() * v.getAsDouble();
                    }
                }
            }
        }
        merged.add(rawKey, raw);
        double score = sum / n;
        double error = Double.NaN;
        if (n > 1) {
            double sd = Math.sqrt(Math.max(0, (sumSquares - n * score * score) / (n - 1)));
            error = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - 0.001 / 2) * sd / Math.sqrt(n);
        }
        merged.addProperty("score", score);
        merged.addProperty("scoreError", error);
        JsonArray confidence = new JsonArray();
        confidence.add(score - error);
        confidence.add(score + error);
        merged.add("scoreConfidence", confidence);
        if (values.getN() > 0) {   // histograms keep the first fork's percentiles: only raw values are sorted here
            JsonObject percentiles = new JsonObject();
            double[] sorted = values.getSortedValues();
            for (double p : PERCENTILES) {
                percentiles.addProperty(Double.toString(p), p == 0 ? sorted[0] : values.getPercentile(p));
            }
            merged.add("scorePercentiles", percentiles);
        }
        return merged;
    }
}
