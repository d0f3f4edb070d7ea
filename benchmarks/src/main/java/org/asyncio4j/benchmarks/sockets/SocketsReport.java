package org.asyncio4j.benchmarks.sockets;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.asyncio4j.benchmarks.peers.PeersReport;

/**
 * The socket benchmarks' tables from JMH's JSON (one file per JDK) and the Python script's JSON (asyncio and
 * uvloop): throughput in messages/s and MiB/s, round-trip p50/p99, and asyncio4j's ratios against Netty epoll,
 * uvloop and asyncio with 95% intervals, with issue 14's goals and verdicts.
 *
 * <p>Goals, for the selector loop: echo throughput within 1.5x of Netty epoll's (ratio at least 1/1.5) and
 * ahead of uvloop's (above 1x); round-trip p50 within 1.3x of Netty's. The proactor loop's ratios are shown
 * against the same bars without a verdict. Statistics as in {@link PeersReport}: ratios of geometric means of
 * per-iteration figures, Welch's 95% interval on the logarithms, a verdict only from the whole interval.
 */
public final class SocketsReport {
    static final String SELECTOR = "asyncio4j-selector";
    static final String PROACTOR = "asyncio4j-proactor";
    static final String NETTY = "netty-epoll";
    static final String ASYNCIO = "asyncio";
    static final String UVLOOP = "uvloop";
    static final List<String> PEERS = List.of(SELECTOR, PROACTOR, NETTY, ASYNCIO, UVLOOP);
    static final double THROUGHPUT_BAR = 1 / 1.5;
    static final double LATENCY_BAR = 1.3;
    private static final double MIB = 1024 * 1024;

    private SocketsReport() {
    }

    /** A workload's figures from one peer: one value per measured iteration. */
    record Series(String peer, Workload workload, String metric, double[] values) {
    }

    /** What was measured: echo or roundTrip, message size, connections. */
    record Workload(String name, int size, int connections) implements Comparable<Workload> {
        @Override
        public int compareTo(Workload o) {
            int c = name.compareTo(o.name);
            c = c != 0 ? c : Integer.compare(size, o.size);
            return c != 0 ? c : Integer.compare(connections, o.connections);
        }

        String label() {
            String kib = size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
            return name.equals("echo") ? "echo " + kib + ", " + connections + " conn" : "round trip " + kib;
        }
    }

    /**
     * Writes the report.
     *
     * @param args the Markdown file to write, then JMH JSON files, then optionally {@code --python} and the
     *     Python script's JSON files, and optionally {@code --run-info} and the run's conditions file
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: SocketsReport OUT.md JMH.json... [--python PY.json...] "
                    + "[--run-info FILE], got " + List.of(args));
        }
        Map<String, List<Series>> jmh = new TreeMap<>();
        List<Series> python = new ArrayList<>();
        int pythonDepth = -1;
        String runInfo = null;
        String mode = "jmh";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--python":
                    mode = "python";
                    break;
                case "--run-info":
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--run-info needs a file");
                    }
                    runInfo = Files.readString(Path.of(args[++i]));
                    break;
                default:
                    Path file = Path.of(args[i]);
                    if (mode.equals("jmh")) {
                        List<JsonObject> results = PeersReport.read(file);
                        if (!results.isEmpty()) {
                            jmh.computeIfAbsent(results.get(0).get("jdkVersion").getAsString(),
                                    k -> new ArrayList<>()).addAll(fromJmh(results));
                        }
                    } else {
                        JsonObject py = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
                        int depth = py.get("depth").getAsInt();
                        if (pythonDepth != -1 && depth != pythonDepth) {
                            throw new IllegalArgumentException("the Python runs used depths " + pythonDepth
                                    + " and " + depth + ": not comparable");
                        }
                        pythonDepth = depth;
                        python.addAll(fromPython(py));
                    }
            }
        }
        if (pythonDepth != -1 && pythonDepth != EchoSocketsBenchmark.DEPTH) {
            throw new IllegalArgumentException("the Python run's depth " + pythonDepth
                    + " is not the benchmarks' " + EchoSocketsBenchmark.DEPTH + ": not comparable");
        }
        Files.writeString(Path.of(args[0]), render(jmh, python, runInfo));
    }

    /** The figures of JMH results of {@link EchoSocketsBenchmark} and {@link RoundTripSocketsBenchmark}. */
    static List<Series> fromJmh(List<JsonObject> results) {
        List<Series> out = new ArrayList<>();
        for (JsonObject b : results) {
            String benchmark = b.get("benchmark").getAsString();
            String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            JsonObject params = b.getAsJsonObject("params");
            Workload w = new Workload(name, params.get("size").getAsInt(),
                    params.has("connections") ? params.get("connections").getAsInt() : 1);
            String peer = params.get("peer").getAsString();
            JsonObject pm = b.getAsJsonObject("primaryMetric");
            String unit = pm.get("scoreUnit").getAsString();
            if ("sample".equals(b.get("mode").getAsString())) {
                requireUnit(benchmark, unit, "us/op");
                JsonArray histograms = pm.getAsJsonArray("rawDataHistogram");
                out.add(new Series(peer, w, "p50", PeersReport.iterationPercentiles(histograms, 0.50)));
                out.add(new Series(peer, w, "p99", PeersReport.iterationPercentiles(histograms, 0.99)));
            } else {
                requireUnit(benchmark, unit, "ops/s");
                out.add(new Series(peer, w, "throughput", PeersReport.iterationScores(pm.getAsJsonArray("rawData"))));
            }
        }
        return out;
    }

    private static void requireUnit(String benchmark, String unit, String expected) {
        if (!unit.equals(expected)) {
            throw new IllegalArgumentException(benchmark + ": scoreUnit must be " + expected + ", got " + unit);
        }
    }

    /** The figures of one run of {@code sockets_echo.py}. */
    static List<Series> fromPython(JsonObject py) {
        String peer = py.get("peer").getAsString();
        List<Series> out = new ArrayList<>();
        for (JsonElement e : py.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            Workload w = new Workload(r.get("workload").getAsString(), r.get("size").getAsInt(),
                    r.get("connections").getAsInt());
            for (String metric : List.of("throughput", "p50", "p99")) {
                if (r.has(metric)) {
                    out.add(new Series(peer, w, metric, values(r.getAsJsonArray(metric))));
                }
            }
        }
        return out;
    }

    private static double[] values(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    /** The report: for each JDK, the tables, then the ratios with goals and verdicts; the run's conditions last. */
    static String render(Map<String, List<Series>> jmhByJdk, List<Series> python, String runInfo) {
        StringBuilder md = new StringBuilder();
        for (var jdk : jmhByJdk.entrySet()) {
            Map<Workload, Map<String, Map<String, double[]>>> t = new TreeMap<>();
            List<Series> all = new ArrayList<>(jdk.getValue());
            all.addAll(python);
            for (Series s : all) {
                t.computeIfAbsent(s.workload(), k -> new TreeMap<>())
                        .computeIfAbsent(s.metric(), k -> new LinkedHashMap<>()).put(s.peer(), s.values());
            }
            md.append("### JDK ").append(jdk.getKey()).append("\n\n");
            md.append("Echo throughput, messages/s (MiB/s), ").append(EchoSocketsBenchmark.DEPTH)
                    .append(" messages in flight per connection:\n\n");
            header(md, "workload");
            for (var w : t.entrySet()) {
                double[][] row = figures(w.getValue().get("throughput"));
                if (row != null) {
                    md.append("| ").append(w.getKey().label());
                    for (double[] v : row) {
                        md.append(" | ").append(v == null ? "-" : throughputCell(w.getKey(), v));
                    }
                    md.append(" |\n");
                }
            }
            md.append("\nRound trip, one message in flight, microseconds:\n\n");
            header(md, "workload | metric");
            for (var w : t.entrySet()) {
                for (String metric : List.of("p50", "p99")) {
                    double[][] row = figures(w.getValue().get(metric));
                    if (row != null) {
                        md.append("| ").append(w.getKey().label()).append(" | ").append(metric);
                        for (double[] v : row) {
                            md.append(" | ").append(v == null ? "-" : fmt(PeersReport.geoMean(v)));
                        }
                        md.append(" |\n");
                    }
                }
            }
            md.append("\nRatios asyncio4j / other, 95% intervals (throughput: higher is better; latency: lower is "
                    + "better). Goals are the selector loop's; other rows have none:\n\n");
            md.append("| workload | metric | asyncio4j | vs | ratio [95% interval] | goal | verdict |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
            int[] tally = new int[3];
            for (var w : t.entrySet()) {
                for (var m : w.getValue().entrySet()) {
                    for (String a : List.of(SELECTOR, PROACTOR)) {
                        for (String o : List.of(NETTY, UVLOOP, ASYNCIO)) {
                            ratioRow(md, w.getKey(), m.getKey(), a, o, m.getValue(), tally);
                        }
                    }
                }
            }
            md.append("\nGoals on JDK ").append(jdk.getKey()).append(": ").append(tally[0]).append(" met, ")
                    .append(tally[1]).append(" MISSED, ").append(tally[2]).append(" unclear.\n\n");
        }
        if (python.stream().noneMatch(s -> s.peer().equals(UVLOOP))) {
            md.append("uvloop was not measured in this run (not importable): its columns and goals are empty.\n\n");
        }
        if (runInfo != null) {
            md.append("Conditions of the run:\n\n```\n").append(runInfo.strip()).append("\n```\n");
        }
        return md.toString();
    }

    private static void header(StringBuilder md, String first) {
        md.append("| ").append(first);
        PEERS.forEach(p -> md.append(" | ").append(p));
        md.append(" |\n|").append(" --- |".repeat(first.split("\\|").length))
                .append(" ---: |".repeat(PEERS.size())).append('\n');
    }

    /** The peers' figures in {@link #PEERS} order, null where a peer has none; null if the metric is absent. */
    private static double[][] figures(Map<String, double[]> byPeer) {
        if (byPeer == null) {
            return null;
        }
        double[][] row = new double[PEERS.size()][];
        for (int i = 0; i < row.length; i++) {
            row[i] = byPeer.get(PEERS.get(i));
        }
        return row;
    }

    /** Messages/s and MiB/s of a throughput series in rounds per second. */
    static String throughputCell(Workload w, double[] roundsPerSecond) {
        double messages = PeersReport.geoMean(roundsPerSecond) * w.connections() * EchoSocketsBenchmark.DEPTH;
        return fmt(messages) + " (" + String.format(Locale.ROOT, "%.1f", messages * w.size() / MIB) + ")";
    }

    private static void ratioRow(StringBuilder md, Workload w, String metric, String a, String o,
            Map<String, double[]> byPeer, int[] tally) {
        double[] x = byPeer.get(a);
        double[] y = byPeer.get(o);
        if (x == null || y == null) {
            return;
        }
        boolean latency = !metric.equals("throughput");
        double bar = Double.NaN;
        if (a.equals(SELECTOR) && !latency && o.equals(NETTY)) {
            bar = THROUGHPUT_BAR;
        } else if (a.equals(SELECTOR) && !latency && o.equals(UVLOOP)) {
            bar = 1;
        } else if (a.equals(SELECTOR) && metric.equals("p50") && o.equals(NETTY)) {
            bar = LATENCY_BAR;
        }
        double[] r = PeersReport.ratio(x, y);
        String goal = "-";
        String verdict = "-";
        if (!Double.isNaN(bar)) {
            goal = latency ? String.format(Locale.ROOT, "<= %.1fx", bar)
                    : bar == 1 ? "> 1x" : String.format(Locale.ROOT, ">= %.2fx (1/1.5)", bar);
            verdict = Double.isNaN(r[1]) ? "unclear" : PeersReport.verdict(r, bar, latency);
            tally[verdict.equals("met") ? 0 : verdict.equals("MISSED") ? 1 : 2]++;
        }
        md.append("| ").append(w.label()).append(" | ").append(metric).append(" | ")
                .append(a.substring("asyncio4j-".length())).append(" | ").append(o).append(" | ")
                .append(String.format(Locale.ROOT, "%.2fx [%.2f, %.2f]", r[0], r[1], r[2])).append(" | ")
                .append(goal).append(" | ").append(verdict).append(" |\n");
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
