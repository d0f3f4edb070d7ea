package org.asyncio4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The rows of a JMH {@code -rf json} result file, with look-ups by benchmark and parameters. */
public final class JmhResults {

    private final List<JmhResult> rows;

    /** Wraps already parsed rows. */
    public JmhResults(List<JmhResult> rows) {
        this.rows = List.copyOf(rows);
    }

    /** Reads a JMH JSON result file. */
    public static JmhResults read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses the text of a JMH JSON result file (a JSON array of benchmark rows). */
    public static JmhResults parse(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof List<?> array)) {
            throw new IllegalArgumentException("a JMH result file is a JSON array");
        }
        List<JmhResult> rows = new ArrayList<>();
        for (Object row : array) {
            rows.add(row(row));
        }
        return new JmhResults(rows);
    }

    private static JmhResult row(Object row) {
        Map<String, String> params = new LinkedHashMap<>();
        Json.object(row, "params").forEach((k, v) -> params.put(k, Json.string(v)));
        Map<String, Double> percentiles = new TreeMap<>();
        Json.object(row, "primaryMetric", "scorePercentiles").forEach((k, v) -> {
            try {
                percentiles.put(JmhResult.percentileKey(Double.parseDouble(k)), Json.number(v));
            } catch (NumberFormatException ignored) {
                // not a percentile key
            }
        });
        Map<String, Metric> secondary = new LinkedHashMap<>();
        Json.object(row, "secondaryMetrics").forEach((k, v) -> secondary.put(k, metric(v)));
        return new JmhResult(Json.string(row, "benchmark"), Json.string(row, "mode"), params,
                metric(Json.get(row, "primaryMetric")), percentiles, secondary,
                Json.string(row, "jdkVersion"), Json.string(row, "vmName"),
                iterations(Json.get(Json.get(row, "primaryMetric"), "rawDataHistogram")));
    }

    /** JMH's rawDataHistogram, [fork][iteration][[value, count], ...], as one histogram per iteration. */
    private static List<Histogram> iterations(Object raw) {
        List<Histogram> list = new ArrayList<>();
        if (raw instanceof List<?> forks) {
            for (Object fork : forks) {
                if (fork instanceof List<?> iterations) {
                    for (Object iteration : iterations) {
                        if (iteration instanceof List<?> pairs) {
                            List<double[]> bins = new ArrayList<>();
                            for (Object pair : pairs) {
                                if (pair instanceof List<?> vc && vc.size() == 2 && vc.get(0) instanceof Double v
                                        && vc.get(1) instanceof Double c) {
                                    bins.add(new double[] {v, c});
                                }
                            }
                            if (!bins.isEmpty()) {
                                list.add(new Histogram(bins));
                            }
                        }
                    }
                }
            }
        }
        return list;
    }

    private static Metric metric(Object m) {
        return new Metric(Json.number(m, "score"), Json.number(m, "scoreError"), Json.string(m, "scoreUnit"));
    }

    /** Every row. */
    public List<JmhResult> all() {
        return rows;
    }

    /** Whether there are no rows. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Rows of one benchmark (full name), in file order. */
    public List<JmhResult> of(String benchmark) {
        return filter(r -> benchmark.equals(r.benchmark()));
    }

    /** Rows of one benchmark and watcher, sorted by children. */
    public List<JmhResult> of(String benchmark, String watcher) {
        List<JmhResult> list = filter(r -> benchmark.equals(r.benchmark()) && watcher.equals(r.watcher()));
        list.sort((a, b) -> Integer.compare(a.children(), b.children()));
        return list;
    }

    /** The row of a benchmark with this watcher and children count. */
    public Optional<JmhResult> find(String benchmark, String watcher, int children) {
        return of(benchmark, watcher).stream().filter(r -> r.children() == children).findFirst();
    }

    /** The first row of a benchmark without regard to parameters. */
    public Optional<JmhResult> first(String benchmark) {
        return of(benchmark).stream().findFirst();
    }

    /** The JDK that ran the benchmarks ("17.0.15, OpenJDK 64-Bit Server VM"), or null. */
    public String jdk() {
        return rows.stream().filter(r -> r.jdkVersion() != null).findFirst()
                .map(r -> r.jdkVersion() + (r.vmName() == null ? "" : ", " + r.vmName())).orElse(null);
    }

    private List<JmhResult> filter(Predicate<JmhResult> p) {
        List<JmhResult> list = new ArrayList<>();
        for (JmhResult r : rows) {
            if (p.test(r)) {
                list.add(r);
            }
        }
        return list;
    }
}
