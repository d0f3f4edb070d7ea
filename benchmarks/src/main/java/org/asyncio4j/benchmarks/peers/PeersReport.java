package org.asyncio4j.benchmarks.peers;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The peers' tables from JMH's JSON: for each JDK and workload, asyncio4j (Safe and Pidfd) against NuProcess
 * and ProcessBuilder as ratios with 95% intervals, and whether each of issue 13's goals is met.
 *
 * <p>A ratio compares per-iteration figures: the throughput of each measurement iteration, or for the kill
 * latency the p50 and p99 of each iteration's samples (from JMH's histogram). It is the ratio of geometric
 * means, its interval Welch's t interval on the logarithms. A goal reads "met" when the whole interval is on
 * the right side, "MISSED" when the whole interval is on the wrong side, "unclear" otherwise. The socket report
 * ({@code sockets.SocketsReport}) uses the same statistics.
 */
public final class PeersReport {
    static final String[] ASYNCIO = {"asyncio4j-safe", "asyncio4j-pidfd"};
    static final String[] OTHERS = {"nuprocess", "processbuilder"};

    private PeersReport() {
    }

    /**
     * Writes the tables.
     *
     * @param args the Markdown file to write, then JMH JSON result files (any number of JDKs)
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: PeersReport OUT.md JMH.json..., got " + List.of(args));
        }
        List<JsonObject> results = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            results.addAll(read(Path.of(args[i])));
        }
        Files.writeString(Path.of(args[0]), render(results));
    }

    /**
     * Reads a JMH JSON result file (leniently: JMH writes NaN).
     *
     * @param json the file
     * @return one object per benchmark and parameter set
     */
    public static List<JsonObject> read(Path json) throws IOException {
        try (Reader r = Files.newBufferedReader(json)) {
            JsonReader lenient = new JsonReader(r);
            lenient.setStrictness(Strictness.LENIENT); // JMH writes NaN
            List<JsonObject> out = new ArrayList<>();
            JsonParser.parseReader(lenient).getAsJsonArray().forEach(e -> out.add(e.getAsJsonObject()));
            return out;
        }
    }

    /** JDK, then workload, then metric, then peer: the per-iteration figures. */
    static String render(List<JsonObject> results) {
        Map<String, Map<String, Map<String, Map<String, double[]>>>> byJdk = new TreeMap<>();
        Map<String, String> units = new TreeMap<>();
        for (JsonObject b : results) {
            String jdk = b.get("jdkVersion").getAsString();
            JsonObject params = b.getAsJsonObject("params");
            String peer = params.get("peer").getAsString();
            StringBuilder workload = new StringBuilder(shortName(b.get("benchmark").getAsString()));
            for (Map.Entry<String, JsonElement> p : new TreeMap<>(params.asMap()).entrySet()) {
                if (!p.getKey().equals("peer")) {
                    workload.append(' ').append(p.getKey()).append('=').append(p.getValue().getAsString());
                }
            }
            JsonObject pm = b.getAsJsonObject("primaryMetric");
            Map<String, Map<String, double[]>> metrics = byJdk.computeIfAbsent(jdk, k -> new TreeMap<>())
                    .computeIfAbsent(workload.toString(), k -> new TreeMap<>());
            String unit = pm.get("scoreUnit").getAsString();
            if ("sample".equals(b.get("mode").getAsString())) {
                for (double q : new double[] {0.50, 0.99}) {
                    String metric = "p" + Math.round(q * 100);
                    metrics.computeIfAbsent(metric, k -> new TreeMap<>()).put(peer,
                            iterationPercentiles(pm.getAsJsonArray("rawDataHistogram"), q));
                    units.put(workload + " " + metric, unit);
                }
            } else {
                metrics.computeIfAbsent("throughput", k -> new TreeMap<>()).put(peer,
                        iterationScores(pm.getAsJsonArray("rawData")));
                units.put(workload + " throughput", unit);
            }
        }
        StringBuilder md = new StringBuilder();
        for (var jdk : byJdk.entrySet()) {
            md.append("### JDK ").append(jdk.getKey()).append("\n\n");
            md.append("| workload | metric | asyncio4j-safe | asyncio4j-pidfd | nuprocess | processbuilder | unit |\n");
            md.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
            for (var w : jdk.getValue().entrySet()) {
                for (var m : w.getValue().entrySet()) {
                    md.append("| ").append(w.getKey()).append(" | ").append(m.getKey());
                    for (String peer : new String[] {"asyncio4j-safe", "asyncio4j-pidfd", "nuprocess", "processbuilder"}) {
                        double[] v = m.getValue().get(peer);
                        md.append(" | ").append(v == null ? "-" : fmt(geoMean(v)));
                    }
                    md.append(" | ").append(units.get(w.getKey() + " " + m.getKey())).append(" |\n");
                }
            }
            md.append("\nRatios asyncio4j / peer (throughput: higher is better, goal >= 1x NuProcess and >= 2x "
                    + "ProcessBuilder; latency: lower is better, goal < 1x both), 95% intervals:\n\n");
            md.append("| workload | metric | asyncio4j | vs | ratio [95% interval] | goal | verdict |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
            for (var w : jdk.getValue().entrySet()) {
                for (var m : w.getValue().entrySet()) {
                    boolean latency = !m.getKey().equals("throughput");
                    for (String a : ASYNCIO) {
                        for (String o : OTHERS) {
                            double[] x = m.getValue().get(a);
                            double[] y = m.getValue().get(o);
                            if (x == null || y == null) {
                                continue;
                            }
                            double goal = latency ? 1.0 : o.equals("processbuilder") ? 2.0 : 1.0;
                            double[] r = ratio(x, y);
                            md.append("| ").append(w.getKey()).append(" | ").append(m.getKey()).append(" | ")
                                    .append(a.substring("asyncio4j-".length())).append(" | ").append(o)
                                    .append(" | ").append(String.format(Locale.ROOT, "%.2fx [%.2f, %.2f]", r[0], r[1], r[2]))
                                    .append(" | ").append(latency ? "< 1x" : ">= " + (int) goal + "x").append(" | ")
                                    .append(verdict(r, goal, latency)).append(" |\n");
                        }
                    }
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * "met" when the whole interval of {@code r} is on the goal's side, "MISSED" when it is all on the other,
     * "unclear" otherwise.
     *
     * @param r {ratio, low, high} as {@link #ratio} returns
     * @param goal the bar
     * @param lowerIsBetter true when the ratio must stay below the bar
     * @return the verdict
     */
    public static String verdict(double[] r, double goal, boolean lowerIsBetter) {
        boolean allGood = lowerIsBetter ? r[2] < goal : r[1] >= goal;
        boolean allBad = lowerIsBetter ? r[1] >= goal : r[2] < goal;
        return allGood ? "met" : allBad ? "MISSED" : "unclear";
    }

    static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        String cls = parts[parts.length - 2].replace("PeersBenchmark", "");
        return cls + "." + parts[parts.length - 1];
    }

    /**
     * Every iteration's score, all forks together.
     *
     * @param forks JMH's {@code rawData}
     * @return the scores
     */
    public static double[] iterationScores(JsonArray forks) {
        List<Double> out = new ArrayList<>();
        forks.forEach(f -> f.getAsJsonArray().forEach(v -> out.add(v.getAsDouble())));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The q-quantile of each iteration's samples, all forks together.
     *
     * @param forks JMH's {@code rawDataHistogram}
     * @param q the quantile, 0 to 1
     * @return one figure per iteration
     */
    public static double[] iterationPercentiles(JsonArray forks, double q) {
        List<Double> out = new ArrayList<>();
        for (JsonElement fork : forks) {
            for (JsonElement iteration : fork.getAsJsonArray()) {
                out.add(percentile(iteration.getAsJsonArray(), q));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The q-quantile (nearest rank) of a histogram of [value, count] pairs sorted by value. */
    static double percentile(JsonArray histogram, double q) {
        long total = 0;
        for (JsonElement e : histogram) {
            total += e.getAsJsonArray().get(1).getAsLong();
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (JsonElement e : histogram) {
            seen += e.getAsJsonArray().get(1).getAsLong();
            if (seen >= rank) {
                return e.getAsJsonArray().get(0).getAsDouble();
            }
        }
        throw new IllegalArgumentException("empty histogram");
    }

    /**
     * The geometric mean.
     *
     * @param v positive figures
     * @return their geometric mean
     */
    public static double geoMean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.log(x);
        }
        return Math.exp(s / v.length);
    }

    /**
     * {ratio of geometric means, low, high}: Welch's 95% t interval on the logarithms; NaN bounds when a side
     * has fewer than two figures or no spread.
     *
     * @param x the numerator's per-iteration figures
     * @param y the denominator's
     * @return {ratio, low, high}
     */
    public static double[] ratio(double[] x, double[] y) {
        double[] lx = logs(x);
        double[] ly = logs(y);
        double mx = mean(lx);
        double my = mean(ly);
        double vx = variance(lx, mx) / lx.length;
        double vy = variance(ly, my) / ly.length;
        double se = Math.sqrt(vx + vy);
        double d = mx - my;
        if (se == 0 || lx.length < 2 || ly.length < 2) {
            return new double[] {Math.exp(d), Double.NaN, Double.NaN};
        }
        double df = (vx + vy) * (vx + vy)
                / (vx * vx / (lx.length - 1) + vy * vy / (ly.length - 1));
        double t = new TDistribution(df).inverseCumulativeProbability(0.975);
        return new double[] {Math.exp(d), Math.exp(d - t * se), Math.exp(d + t * se)};
    }

    private static double[] logs(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.log(v[i]);
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
