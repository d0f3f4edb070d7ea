package org.asyncio4j.benchmarks.gate;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The per-fork scores of every figure in one side of a gate run, read from raw JMH JSON files: one file per
 * fork as the gate writes them, or one merged file whose rows carry several forks (a stored baseline). A
 * fork's score is its best measurement iteration ({@link #forkScores}); for sample-time benchmarks an
 * iteration's value is the mean of its histogram.
 */
public final class ForkScores {

    /**
     * One figure of one side: a benchmark method at one combination of parameters.
     *
     * @param key    "SigchldBenchmark.sigchld:children=100,watcher=safe"
     * @param mode   JMH mode ("avgt", "thrpt", "sample", "ss")
     * @param unit   the score's unit
     * @param scores one score per fork
     * @param rows   the raw JMH rows the scores came from (for merging into one JMH file)
     */
    public record Figure(String key, String mode, String unit, List<Double> scores, List<JsonObject> rows) {
        /** Whether a larger score is better (throughput). */
        public boolean higherIsBetter() {
            return "thrpt".equals(mode);
        }
    }

    private final Map<String, Figure> figures;

    private ForkScores(Map<String, Figure> figures) {
        this.figures = figures;
    }

    /** Reads the given JMH JSON files, judging every row by its primary metric. */
    public static ForkScores read(List<Path> files) throws IOException {
        return read(files, null);
    }

    /**
     * Reads the given JMH JSON files; a figure's forks are gathered across all of them. A row that has the
     * secondary metric {@code metric} is judged by it instead of its primary metric, and its key says so
     * ("SigchldBenchmark.sigchld:children=100,watcher=safe [cpuMicros]").
     */
    public static ForkScores read(List<Path> files, String metric) throws IOException {
        Map<String, Figure> figures = new TreeMap<>();
        for (Path file : files) {
            for (JsonElement element : parse(file)) {
                JsonObject row = element.getAsJsonObject();
                JsonObject secondary = row.getAsJsonObject("secondaryMetrics");
                boolean bySecondary = metric != null && secondary != null && secondary.has(metric);
                String key = key(row) + (bySecondary ? " [" + metric + "]" : "");
                JsonObject primary = bySecondary ? secondary.getAsJsonObject(metric) : row.getAsJsonObject("primaryMetric");
                String mode = row.get("mode").getAsString();
                String unit = primary.get("scoreUnit").getAsString();
                Figure f = figures.computeIfAbsent(key, k -> new Figure(k, mode, unit, new ArrayList<>(), new ArrayList<>()));
                if (!f.mode().equals(mode) || !f.unit().equals(unit)) {
                    throw new IllegalArgumentException(file + ": " + key + " is " + mode + " in " + unit
                            + " here but " + f.mode() + " in " + f.unit() + " elsewhere");
                }
                List<Double> scores = forkScores(primary, "thrpt".equals(mode));
                if (bySecondary) {
                    scores = perOperation(scores, primary);
                }
                f.scores().addAll(scores);
                f.rows().add(row);
            }
        }
        return new ForkScores(figures);
    }

    /** Parses one raw JMH JSON file leniently (JMH writes NaN for missing errors). */
    static JsonArray parse(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            JsonReader json = new JsonReader(reader);
            json.setStrictness(Strictness.LENIENT);
            JsonElement root = JsonParser.parseReader(json);
            if (!root.isJsonArray()) {
                throw new IOException(file + ": a JMH result file is a JSON array");
            }
            return root.getAsJsonArray();
        }
    }

    /** Every figure by key, sorted. */
    public Map<String, Figure> figures() {
        return figures;
    }

    /** "SigchldBenchmark.sigchld:children=100,watcher=safe": the short benchmark name and sorted parameters. */
    static String key(JsonObject row) {
        String benchmark = row.get("benchmark").getAsString();
        int method = benchmark.lastIndexOf('.');
        int type = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
        StringBuilder sb = new StringBuilder(benchmark.substring(type + 1));
        if (row.has("params")) {
            Map<String, String> params = new TreeMap<>();
            row.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
            String sep = ":";
            for (Map.Entry<String, String> e : params.entrySet()) {
                sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = ",";
            }
        }
        return sb.toString();
    }

    /**
     * One score per fork of a primary metric: the fork's best measurement iteration (the lowest time, or the
     * highest throughput). Other work on the machine only ever adds time to an iteration, so the best one is
     * the least disturbed estimate of what the code costs (Chen and Revels, "Robust benchmarking in noisy
     * environments", 2016); a slowdown in the code moves it as much as it moves the mean.
     */
    static List<Double> forkScores(JsonObject metric, boolean higherIsBetter) {
        List<Double> scores = new ArrayList<>();
        if (metric.has("rawData")) {
            for (JsonElement fork : metric.getAsJsonArray("rawData")) {
                List<Double> iterations = new ArrayList<>();
                for (JsonElement v : fork.getAsJsonArray()) {
                    iterations.add(v.getAsDouble());
                }
                best(iterations, higherIsBetter).ifPresent(scores::add);
            }
        } else if (metric.has("rawDataHistogram")) {
            for (JsonElement fork : metric.getAsJsonArray("rawDataHistogram")) {
                List<Double> iterations = new ArrayList<>();
                for (JsonElement iteration : fork.getAsJsonArray()) {
                    double sum = 0;
                    double count = 0;
                    for (JsonElement bin : iteration.getAsJsonArray()) {
                        JsonArray pair = bin.getAsJsonArray();
                        sum += pair.get(0).getAsDouble() * pair.get(1).getAsDouble();
                        count += pair.get(1).getAsDouble();
                    }
                    if (count > 0) {
                        iterations.add(sum / count);
                    }
                }
                best(iterations, higherIsBetter).ifPresent(scores::add);
            }
        } else {
            scores.add(metric.get("score").getAsDouble());
        }
        return scores;
    }

    /**
     * The benchmarks' event counters report each iteration's mean divided by the number of iterations (JMH
     * sums event counters over the iterations, so its own score is then the mean); multiplied back here, a
     * fork's score is a per-operation figure again.
     */
    private static List<Double> perOperation(List<Double> scores, JsonObject metric) {
        if (!metric.has("rawData")) {
            return scores;
        }
        JsonArray forks = metric.getAsJsonArray("rawData");
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            out.add(scores.get(i) * forks.get(i).getAsJsonArray().size());
        }
        return out;
    }

    private static Optional<Double> best(List<Double> iterations, boolean higherIsBetter) {
        return higherIsBetter ? iterations.stream().max(Double::compare) : iterations.stream().min(Double::compare);
    }

    /** The figures of this side as an insertion-ordered copy (for tests). */
    Map<String, Figure> copy() {
        return new LinkedHashMap<>(figures);
    }
}
