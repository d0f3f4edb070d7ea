package org.asyncio4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportOutputTest {

    @Test
    void chartIsWrittenAsWellFormedSvg(@TempDir Path dir) throws Exception {
        List<LogLogFit.Point> pts = List.of(new LogLogFit.Point(1, 3.5), new LogLogFit.Point(100, 53),
                new LogLogFit.Point(10000, 7066));
        new LineChart("t <&>", "n", "us", true, true)
                .add(new Series("C Safe", pts, LineChart.PALETTE.get(0), true, true)).write(dir, "c");
        String svg = Files.readString(dir.resolve("c.svg"));
        assertTrue(svg.startsWith("<?xml") && svg.trim().endsWith("</svg>"));
        assertTrue(svg.contains("t &lt;&amp;&gt;"));
        assertTrue(svg.contains("<polyline"));
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("c.svg").toFile()); // throws when not well-formed XML
        assertTrue(svg.contains("width=\"900\" height=\"560\""), "the chart's size");
    }

    @Test
    void errorBarsAreDrawnAndMustMatchThePoints(@TempDir Path dir) throws Exception {
        List<LogLogFit.Point> pts = List.of(new LogLogFit.Point(1, 10), new LogLogFit.Point(10, 100));
        List<Series.ErrorBar> bars = List.of(new Series.ErrorBar(8, 12), new Series.ErrorBar(90, 110));
        LineChart plain = new LineChart("t", "n", "us", true, true)
                .add(new Series("a", pts, LineChart.PALETTE.get(0), false, true));
        LineChart barred = new LineChart("t", "n", "us", true, true)
                .add(new Series("a", pts, LineChart.PALETTE.get(0), false, true, bars));
        plain.write(dir, "plain");
        barred.write(dir, "barred");
        long lines = count(Files.readString(dir.resolve("plain.svg")), "<line");
        assertEquals(lines + 6, count(Files.readString(dir.resolve("barred.svg")), "<line"),
                "a bar and two caps per point");
        assertThrows(IllegalArgumentException.class,
                () -> new Series("a", pts, LineChart.PALETTE.get(0), false, true, bars.subList(0, 1)));
    }

    @Test
    void aCellWhoseErrorExceedsHalfItsScoreIsUnreliable() {
        assertTrue(SummaryWriter.unreliable(new Metric(10, 5.5, "us/op")));
        assertTrue(!SummaryWriter.unreliable(new Metric(10, 5, "us/op")));
        assertTrue(!SummaryWriter.unreliable(new Metric(10, Double.NaN, "us/op")), "one iteration: no error, no flag");
    }

    @Test
    void everyJmhCellOfTheSummaryIsFlaggedWhenItsErrorExceedsHalfItsScore(@TempDir Path dir) throws Exception {
        Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, "[" + row(BenchmarkNames.DRAIN, "ss", Map.of("watcher", "pidfd", "children", 100), 5.0,
                "ms/op", "").replace("\"scoreError\":0.1", "\"scoreError\":3.0") + ","
                + row(BenchmarkNames.SPAWN_SUBPROCESS_EXEC, "thrpt", Map.of(), 900, "ops/s", "")
                        .replace("\"scoreError\":18.0", "\"scoreError\":500.0") + ","
                + row(BenchmarkNames.LOOP_CALL_SOON_CHAIN, "thrpt", Map.of(), 1e6, "ops/s", "") + "]");
        Path out = dir.resolve("out");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertEquals(0, Reports.run(new String[] {"--jmh", jmh.toString(), "--c", dir.resolve("none").toString(),
            "--cpython", dir.resolve("none").toString(), "--out", out.toString()}, new PrintStream(sink),
                new PrintStream(sink)), sink.toString());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("| pidfd | 100 | 5.00 (unreliable) |"), md);
        assertTrue(md.contains("| asyncio4j subprocessExec | 900.0 /s (unreliable) |"), md);
        assertEquals(2, count(md, " (unreliable) |"), "the loop's error (2%) is not flagged: " + md);
    }

    private static long count(String text, String needle) {
        return (text.length() - text.replace(needle, "").length()) / needle.length();
    }

    @Test
    void fullReportFromAllThreeInputsAndWithNoneAtAll(@TempDir Path dir) throws Exception {
        Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, syntheticJmh());
        Path c = dir.resolve("c.json");
        Files.writeString(c, "{\"tool\":\"c\",\"kernel\":\"Linux test\",\"cores\":2,\"points\":["
                + cPoint(1, 3.5, 4.0) + "," + cPoint(100, 53, 13.9) + "," + cPoint(4000, 2600, 300)
                + "],\"spawn_per_sec\":1980,\"refused\":[]}");
        Path out = dir.resolve("out");
        Path runInfo = dir.resolve("run-info.txt");
        Files.writeString(runInfo, "profile: default (max n 4000); mode: report; gated: no\nload average before: 0.5 0.4 0.3\n");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int status = Reports.run(new String[] {"--jmh", jmh.toString(), "--c", c.toString(), "--cpython",
            dir.resolve("none.json").toString(), "--out", out.toString(), "--thresholds",
            Path.of("thresholds.properties").toString(), "--run-info", runInfo.toString()},
                new PrintStream(sink), new PrintStream(sink));
        assertEquals(0, status, sink.toString());
        for (String f : List.of("summary.md", "sigchld.svg", "exit-latency-fast.svg", "drain.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("Linux test"));
        assertTrue(md.contains("- profile: default (max n 4000); mode: report; gated: no"), "the run's profile is stated");
        assertTrue(md.contains("- load average before: 0.5 0.4 0.3"));
        assertTrue(md.contains("Not gated"));
        assertTrue(md.contains("CPython figures: "), "missing CPython is noted");
        assertTrue(md.contains("- inconclusive - slope of time per SIGCHLD vs n, safe"),
                "two points above slope.fit.minN give no interval: neither met nor missed");
        String sigchld = Files.readString(out.resolve("sigchld.svg"));
        assertTrue(sigchld.contains("asyncio4j safe (slope 0.97 over n=10..4000)"), "the fitted range is in the legend");
        assertTrue(sigchld.contains("n registered children (log)"), "a log axis says so");
        assertTrue(sigchld.contains("C Safe scan"), "the C limit is drawn");

        Path empty = dir.resolve("empty");
        assertEquals(0, Reports.run(new String[] {"--jmh", dir.resolve("a").toString(), "--c", dir.resolve("b").toString(),
            "--cpython", dir.resolve("d").toString(), "--out", empty.toString()}, new PrintStream(sink),
                new PrintStream(sink)));
        assertTrue(Files.readString(empty.resolve("summary.md")).contains("not found, skipped"));
        assertTrue(Files.exists(empty.resolve("drain.svg")));
        assertTrue(Files.exists(empty.resolve("exit-latency-safe.svg")));
    }

    private static String cPoint(int n, double safe, double fast) {
        return "{\"n\":" + n + ",\"safe_us\":{\"p50\":" + safe + "},\"fast_us\":{\"p50\":" + fast
                + "},\"idle_waitpid_us\":{\"p50\":" + (fast / 5) + "},\"safe_waitpid_calls\":" + n
                + ",\"fast_waitpid_calls\":2,\"reps\":20}";
    }

    private static String syntheticJmh() {
        List<String> rows = new ArrayList<>();
        for (int n : new int[] {1, 100, 4000}) {
            rows.add(row(BenchmarkNames.SIGCHLD, "avgt", Map.of("watcher", "safe", "children", n), 4.0 * Math.pow(n, 0.97),
                    "us/op", "\"waitpidCalls\":{\"score\":" + n + ",\"scoreError\":\"NaN\",\"scoreUnit\":\"#/op\"}"));
            rows.add(row(BenchmarkNames.SIGCHLD, "avgt", Map.of("watcher", "pidfd", "children", n), 2.0 + n / 1e5,
                    "us/op", "\"waitpidCalls\":{\"score\":1,\"scoreError\":\"NaN\",\"scoreUnit\":\"#/op\"}"));
            rows.add(row(BenchmarkNames.DRAIN, "ss", Map.of("watcher", "pidfd", "children", n), 0.05 * n, "ms/op", ""));
            rows.add(row(BenchmarkNames.EXIT_LATENCY, "sample", Map.of("watcher", "fast", "children", n), 130, "us/op", ""));
        }
        return "[" + String.join(",", rows) + "]";
    }

    private static String row(String benchmark, String mode, Map<String, Object> params, double score, String unit,
                              String secondary) {
        StringBuilder p = new StringBuilder();
        params.forEach((k, v) -> p.append(p.length() == 0 ? "" : ",").append('"').append(k).append("\":\"").append(v)
                .append('"'));
        return "{\"benchmark\":\"" + benchmark + "\",\"mode\":\"" + mode + "\",\"jdkVersion\":\"17.0.15\",\"params\":{" + p
                + "},\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + (score / 50)
                + ",\"scorePercentiles\":{\"0.0\":" + (score * 0.8) + ",\"50.0\":" + score + ",\"99.0\":" + (score * 2)
                + ",\"100.0\":" + (score * 5) + "},\"scoreUnit\":\"" + unit + "\"},\"secondaryMetrics\":{" + secondary + "}}";
    }
}
