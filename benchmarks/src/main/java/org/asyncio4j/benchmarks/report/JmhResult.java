package org.asyncio4j.benchmarks.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a JMH JSON result file: a benchmark method at one combination of parameters.
 *
 * @param benchmark   full name, "org.asyncio4j.benchmarks.SigchldBenchmark.sigchld"
 * @param mode        JMH mode: "avgt", "sample", "ss", "thrpt"
 * @param params      parameter values by name (empty when none)
 * @param primary     the primary metric
 * @param percentiles scorePercentiles by percentile ("50.0" -> value), in the primary unit
 * @param secondary   secondary metrics (e.g. @AuxCounters) by name
 * @param jdkVersion  the forked JVM's version
 * @param vmName      the forked JVM's name
 * @param iterations  for a sample-time row, one histogram per measurement iteration (all forks, in order), in
 *                    the primary unit; empty when the file has no {@code rawDataHistogram}
 */
public record JmhResult(String benchmark, String mode, Map<String, String> params, Metric primary,
                        Map<String, Double> percentiles, Map<String, Metric> secondary,
                        String jdkVersion, String vmName, List<Histogram> iterations) {

    /** Copies the iteration list. */
    public JmhResult {
        iterations = List.copyOf(iterations);
    }

    /** A row without per-iteration histograms. */
    public JmhResult(String benchmark, String mode, Map<String, String> params, Metric primary,
                     Map<String, Double> percentiles, Map<String, Metric> secondary, String jdkVersion,
                     String vmName) {
        this(benchmark, mode, params, primary, percentiles, secondary, jdkVersion, vmName, List.of());
    }

    /** A parameter's value, or null. */
    public String param(String name) {
        return params.get(name);
    }

    /** The integer "children" parameter, or -1 when absent or not a number. */
    public int children() {
        try {
            return Integer.parseInt(params.getOrDefault(BenchmarkNames.PARAM_CHILDREN, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The "watcher" parameter, or null. */
    public String watcher() {
        return params.get(BenchmarkNames.PARAM_WATCHER);
    }

    /** A percentile of the primary metric in microseconds, NaN when absent. */
    public double percentileMicros(double percentile) {
        Double value = percentiles.get(percentileKey(percentile));
        return value == null ? Double.NaN : Units.toMicros(value, primary.unit());
    }

    /**
     * The lowest and highest value of one percentile across the measurement iterations, in microseconds (each
     * iteration's percentile computed from its own histogram the way JMH computes the row's); null when there
     * are fewer than two iterations, so that there is no range to show.
     */
    public Series.ErrorBar percentileRangeMicros(double percentile) {
        if (iterations.size() < 2) {
            return null;
        }
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Histogram h : iterations) {
            double v = Units.toMicros(h.percentile(percentile), primary.unit());
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        return Double.isFinite(low) && Double.isFinite(high) ? new Series.ErrorBar(low, high) : null;
    }

    /** A stable identifier: "SigchldBenchmark.sigchld:children=100,watcher=safe". */
    public String key() {
        StringBuilder sb = new StringBuilder(BenchmarkNames.shortName(benchmark));
        String sep = ":";
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return sb.toString();
    }

    static String percentileKey(double percentile) {
        return Double.toString(percentile);
    }
}
