package org.asyncio4j.benchmarks.sockets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket report's figures, ratios, goals and verdicts, on JMH and Python JSON made up for the purpose. */
class SocketsReportTest {

    private static JsonObject echo(String peer, int size, int connections, double a, double b, double c) {
        return JsonParser.parseString("{\"jdkVersion\": \"17.0.15\", \"mode\": \"thrpt\","
                + " \"benchmark\": \"org.asyncio4j.benchmarks.sockets.EchoSocketsBenchmark.echo\","
                + " \"params\": {\"peer\": \"" + peer + "\", \"size\": \"" + size + "\", \"connections\": \""
                + connections + "\"}, \"primaryMetric\": {\"scoreUnit\": \"ops/s\", \"rawData\": [[" + a + ", " + b
                + "], [" + c + "]]}}").getAsJsonObject();
    }

    private static JsonObject roundTrip(String peer, double p50) {
        return JsonParser.parseString("{\"jdkVersion\": \"17.0.15\", \"mode\": \"sample\","
                + " \"benchmark\": \"org.asyncio4j.benchmarks.sockets.RoundTripSocketsBenchmark.roundTrip\","
                + " \"params\": {\"peer\": \"" + peer + "\", \"size\": \"1024\"}, \"primaryMetric\": {\"scoreUnit\":"
                + " \"us/op\", \"rawDataHistogram\": [[[[" + p50 + ", 98], [900, 2]], [[" + (p50 + 1)
                + ", 99], [900, 1]]], [[[" + (p50 - 1) + ", 50], [1000, 50]]]]}}").getAsJsonObject();
    }

    private static JsonObject python(String peer, int depth, double... rounds) {
        StringBuilder a = new StringBuilder();
        for (double r : rounds) {
            a.append(a.length() == 0 ? "" : ", ").append(r);
        }
        return JsonParser.parseString("{\"peer\": \"" + peer + "\", \"depth\": " + depth + ", \"results\": ["
                + "{\"workload\": \"echo\", \"size\": 1024, \"connections\": 1, \"throughput\": [" + a + "]},"
                + "{\"workload\": \"roundTrip\", \"size\": 1024, \"connections\": 1, \"p50\": [40, 41, 39],"
                + " \"p99\": [90, 95, 85]}]}").getAsJsonObject();
    }

    @Test
    void jmhFiguresArePerIterationAndARoundTripHasOneConnection() {
        List<SocketsReport.Series> s = SocketsReport.fromJmh(List.of(echo("netty-epoll", 65536, 100, 1, 2, 3),
                roundTrip("netty-epoll", 20)));
        assertEquals(new SocketsReport.Workload("echo", 65536, 100), s.get(0).workload());
        assertArrayEquals(new double[] {1, 2, 3}, s.get(0).values());
        assertEquals(new SocketsReport.Workload("roundTrip", 1024, 1), s.get(1).workload());
        assertEquals("p50", s.get(1).metric());
        assertArrayEquals(new double[] {20, 21, 19}, s.get(1).values(), "p50 of each iteration's histogram");
        assertArrayEquals(new double[] {900, 21, 1000}, s.get(2).values(), "p99 of each iteration's histogram");
    }

    @Test
    void aThroughputCellIsMessagesAndMibPerSecond() {
        // 1,000 rounds/s of 8 messages of 64 KiB on 100 connections: 800,000 messages, 50,000 MiB per second
        assertEquals("800,000 (50000.0)", SocketsReport.throughputCell(
                new SocketsReport.Workload("echo", 65536, 100), new double[] {1000, 1000}));
    }

    @Test
    void goalsAreTheSelectorLoopsAndJudgedOnTheWholeInterval() {
        List<JsonObject> jmh = List.of(
                echo("asyncio4j-selector", 1024, 1, 800, 810, 790), echo("netty-epoll", 1024, 1, 1000, 1010, 990),
                echo("asyncio4j-proactor", 1024, 1, 100, 101, 99),
                echo("asyncio4j-selector", 1024, 100, 50, 51, 49), echo("netty-epoll", 1024, 100, 100, 101, 99),
                roundTrip("asyncio4j-selector", 30), roundTrip("netty-epoll", 20));
        List<SocketsReport.Series> py = new ArrayList<>(SocketsReport.fromPython(python("uvloop", 8, 700, 710, 690)));
        String md = SocketsReport.render(Map.of("17.0.15", SocketsReport.fromJmh(jmh)), py, "load 0.5 before");
        assertTrue(md.contains("### JDK 17.0.15"), md);
        assertTrue(md.contains("| echo 1 KiB, 1 conn | 6,400 (6.2) | 800 (0.8) | 8,000 (7.8) | - | 5,600 (5.5) |"), md);
        assertTrue(md.contains("| echo 1 KiB, 1 conn | throughput | selector | netty-epoll | 0.80x"), md);
        assertTrue(md.contains(">= 0.67x (1/1.5) | met |"), md);
        assertTrue(md.contains("| echo 1 KiB, 100 conn | throughput | selector | netty-epoll | 0.50x"), md);
        assertTrue(md.contains(">= 0.67x (1/1.5) | MISSED |"), md);
        assertTrue(md.contains("| echo 1 KiB, 1 conn | throughput | selector | uvloop | 1.14x"), md);
        assertTrue(md.contains("| > 1x | met |"), md);
        assertTrue(md.contains("| round trip 1 KiB | p50 | selector | netty-epoll |"), md);
        assertTrue(md.contains("| 1.50x [1.35, 1.66] | <= 1.3x | MISSED |"), md);
        assertTrue(md.contains("| echo 1 KiB, 1 conn | throughput | proactor | netty-epoll | 0.10x"), md);
        assertTrue(md.contains("| round trip 1 KiB | p99 | selector | uvloop |"), md);
        assertTrue(md.contains("Goals on JDK 17.0.15: 2 met, 2 MISSED, 0 unclear."), md);
        assertTrue(md.contains("load 0.5 before"), md);
        assertTrue(!md.contains("uvloop was not measured"), md);
    }

    @Test
    void aRunWithoutUvloopSaysSo() {
        String md = SocketsReport.render(Map.of("25.0.3", SocketsReport.fromJmh(
                List.of(echo("asyncio4j-selector", 1024, 1, 8, 8, 8)))),
                SocketsReport.fromPython(python("asyncio", 8, 5, 5, 5)), null);
        assertTrue(md.contains("uvloop was not measured in this run"), md);
        assertTrue(md.contains("Goals on JDK 25.0.3: 0 met, 0 MISSED, 0 unclear."), md);
    }

    @Test
    void mismatchedDepthsOrUnitsAreRefusedByName(@TempDir Path dir) throws Exception {
        Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, "[" + echo("netty-epoll", 1024, 1, 1, 1, 1) + "]");
        Path py = dir.resolve("py.json");
        Files.writeString(py, python("asyncio", 4, 1, 2).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SocketsReport.main(
                new String[] {dir.resolve("out.md").toString(), jmh.toString(), "--python", py.toString()}));
        assertEquals("the Python run's depth 4 is not the benchmarks' 8: not comparable", e.getMessage());

        JsonObject ms = echo("netty-epoll", 1024, 1, 1, 1, 1);
        ms.getAsJsonObject("primaryMetric").addProperty("scoreUnit", "ops/ms");
        e = assertThrows(IllegalArgumentException.class, () -> SocketsReport.fromJmh(List.of(ms)));
        assertEquals("org.asyncio4j.benchmarks.sockets.EchoSocketsBenchmark.echo: scoreUnit must be ops/s, got ops/ms",
                e.getMessage());

        Path out = dir.resolve("ok.md");
        Files.writeString(py, python("asyncio", 8, 1, 2).toString());
        SocketsReport.main(new String[] {out.toString(), jmh.toString(), "--python", py.toString()});
        assertTrue(Files.readString(out).contains("| echo 1 KiB, 1 conn |"));
    }
}
