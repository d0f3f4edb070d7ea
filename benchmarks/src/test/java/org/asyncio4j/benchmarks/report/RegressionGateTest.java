package org.asyncio4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RegressionGateTest {

    @Test
    void aMoveIsFlaggedOnlyWhenItExceedsBothThePercentageAndTheCombinedError() {
        Metric before = new Metric(100, 3, "us/op");
        // +20%, combined error sqrt(9+16)=5 -> both exceeded
        assertTrue(RegressionGate.compare(before, new Metric(120, 4, "us/op"), 15).flagged());
        // +20% but errors 30 and 40 -> combined 50 > 20: not flagged
        assertFalse(RegressionGate.compare(new Metric(100, 30, "us/op"), new Metric(120, 40, "us/op"), 15).flagged());
        // +10 with errors 1 -> beyond the error, but only +10% < 15%: not flagged
        assertFalse(RegressionGate.compare(new Metric(100, 1, "us/op"), new Metric(110, 1, "us/op"), 15).flagged());
        // NaN error counts as zero
        assertTrue(RegressionGate.compare(new Metric(100, Double.NaN, "us/op"), new Metric(130, Double.NaN, "us/op"), 15)
                .flagged());
    }

    @Test
    void directionFollowsTheUnit() {
        // slower time: worse; faster time: improvement, not flagged
        RegressionGate.Change faster = RegressionGate.compare(new Metric(100, 1, "us/op"), new Metric(50, 1, "us/op"), 15);
        assertFalse(faster.flagged());
        assertTrue(faster.improved());
        // lower throughput: worse
        RegressionGate.Change slower = RegressionGate.compare(new Metric(2000, 10, "ops/s"), new Metric(1500, 10, "ops/s"), 15);
        assertTrue(slower.flagged());
        assertEquals(-25.0, slower.percentChange(), 1e-9);
    }

    @Test
    void gateNamesTheFigureThatMovedAndByHowMuch() {
        JmhResult now = sigchld("safe", 100, 130, 2);
        Baseline base = new Baseline("test", Map.of(now.key(), new Metric(100, 2, "us/op")));
        List<Verdict> verdicts = new RegressionGate(inputs(List.of(now)), thresholds(), base).verdicts();
        Verdict failed = verdicts.stream().filter(Verdict::failed).findFirst().orElseThrow();
        assertTrue(failed.name().contains("SigchldBenchmark.sigchld:children=100,watcher=safe"), failed.name());
        assertTrue(failed.detail().contains("+30.0%"), failed.detail());
    }

    @Test
    void shapeChecksCompareLargeOverSmallN() {
        List<JmhResult> rows = List.of(sigchld("pidfd", 100, 1.0, 0.01), sigchld("pidfd", 4000, 1.2, 0.01),
                sigchld("safe", 100, 50, 1), sigchld("safe", 4000, 5000, 10));
        List<Verdict> verdicts = new RegressionGate(inputs(rows), thresholds(), new Baseline("none", Map.of())).verdicts();
        Verdict pidfd = verdicts.stream().filter(v -> v.name().startsWith("shape pidfd")).findFirst().orElseThrow();
        Verdict safe = verdicts.stream().filter(v -> v.name().startsWith("shape safe")).findFirst().orElseThrow();
        assertEquals(Verdict.Status.PASS, pidfd.status());
        assertEquals(Verdict.Status.FAIL, safe.status()); // 100x > 60x
    }

    @Test
    void reportsExitNonZeroWithGateOnlyWhenAFigureMoved(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path jmh = dir.resolve("jmh.json");
        java.nio.file.Files.writeString(jmh, new String(getClass().getResourceAsStream("jmh-fragment.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
        java.nio.file.Path th = dir.resolve("t.properties");
        java.nio.file.Files.writeString(th, "gate.baseline.percent=15\n");
        java.nio.file.Path base = dir.resolve("baseline.json");
        new Baseline("t", Map.of("SigchldBenchmark.sigchld:children=100,watcher=safe", new Metric(40, 0.5, "us/op")))
                .write(base);
        String[] args = {"--jmh", jmh.toString(), "--c", dir.resolve("absent-c.json").toString(), "--cpython",
            dir.resolve("absent-py.json").toString(), "--out", dir.resolve("out").toString(), "--thresholds", th.toString(),
            "--baseline", base.toString(), "--gate"};
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream sink = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
        assertEquals(1, Reports.run(args, sink, new java.io.PrintStream(err)));
        assertTrue(err.toString().contains("children=100,watcher=safe"), err.toString());
        // the same run against a baseline it matches passes
        new Baseline("t", Map.of("SigchldBenchmark.sigchld:children=100,watcher=safe", new Metric(55, 1.5, "us/op")))
                .write(base);
        assertEquals(0, Reports.run(args, sink, sink));
        assertEquals(1, Baseline.read(base).scores().size());
    }

    static JmhResult sigchld(String watcher, int n, double us, double err) {
        return new JmhResult(BenchmarkNames.SIGCHLD, "avgt", Map.of("watcher", watcher, "children", Integer.toString(n)),
                new Metric(us, err, "us/op"), Map.of(), Map.of(), "17", "vm");
    }

    static ReportInputs inputs(List<JmhResult> rows) {
        return new ReportInputs(new JmhResults(rows), null, null, List.of());
    }

    static Thresholds thresholds() {
        Properties p = new Properties();
        p.setProperty("gate.shape.small", "100");
        p.setProperty("gate.shape.large", "4000");
        p.setProperty("gate.shape.safe.max", "60");
        p.setProperty("gate.shape.pidfd.max", "1.5");
        p.setProperty("gate.baseline.percent", "15");
        return new Thresholds(p);
    }
}
