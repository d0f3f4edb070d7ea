package org.asyncio4j.benchmarks.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkScoresTest {

    @Test
    void aForkScoresItsFastestIterationAndNaNIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f.json");
        Files.writeString(file, "[" + row(100, 10) + "]");
        ForkScores.Figure f = ForkScores.read(List.of(file)).figures()
                .get("SigchldBenchmark.sigchld:children=100,watcher=safe");
        assertEquals(List.of(9.0), f.scores());   // iterations 9, 10, 11
        assertEquals("us/op", f.unit());
    }

    @Test
    void aSampleTimeForkScoresItsBestIterationsHistogramMean(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.json");
        Files.writeString(file, "[{\"benchmark\":\"p.ExitLatencyBenchmark.exitLatency\",\"mode\":\"sample\","
                + "\"params\":{\"children\":\"1\",\"watcher\":\"fast\"},\"primaryMetric\":{\"score\":1,\"scoreError\":NaN,"
                + "\"scoreUnit\":\"us/op\",\"rawDataHistogram\":[[[[10.0,3],[20.0,1]],[[50.0,2]]],[[[30.0,1]]]]}}]");
        ForkScores.Figure f = ForkScores.read(List.of(file)).figures()
                .get("ExitLatencyBenchmark.exitLatency:children=1,watcher=fast");
        assertEquals(List.of(12.5, 30.0), f.scores());
    }

    @Test
    void aRowWithTheChosenSecondaryMetricIsJudgedByItAndSaysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, "[" + row(100, 10) + "]");
        ForkScores scores = ForkScores.read(List.of(file), "waitpidCalls");
        assertEquals(List.of("SigchldBenchmark.sigchld:children=100,watcher=safe [waitpidCalls]"),
                List.copyOf(scores.figures().keySet()));
        // the row's counter reports n / 3 iterations per iteration, as the benchmarks' event counters do
        assertEquals(List.of(100.0), scores.figures().values().iterator().next().scores());
        assertEquals(List.of("SigchldBenchmark.sigchld:children=100,watcher=safe"),
                List.copyOf(ForkScores.read(List.of(file), "noSuchMetric").figures().keySet()),
                "a row without the metric is judged by its primary one");
    }

    @Test
    void aThroughputForkScoresItsHighestIteration(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, "[" + row(100, 10).replace("avgt", "thrpt").replace("us/op", "ops/s") + "]");
        assertEquals(List.of(11.0), ForkScores.read(List.of(file)).figures()
                .get("SigchldBenchmark.sigchld:children=100,watcher=safe").scores());
    }

    @Test
    void aFigureWithTwoUnitsIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, "[" + row(100, 10) + "]");
        Files.writeString(b, "[" + row(100, 10).replace("us/op", "ms/op") + "]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForkScores.read(List.of(a, b)));
        assertTrue(e.getMessage().contains("children=100"), e.getMessage());
    }

    /** A JMH row of Safe's sweep at n with three iterations around {@code score}. */
    static String row(int n, double score) {
        return "{\"benchmark\":\"org.asyncio4j.benchmarks.SigchldBenchmark.sigchld\",\"mode\":\"avgt\",\"forks\":1,"
                + "\"params\":{\"watcher\":\"safe\",\"children\":\"" + n + "\"},\"primaryMetric\":{\"score\":" + score
                + ",\"scoreError\":NaN,\"scoreUnit\":\"us/op\",\"rawData\":[[" + (score - 1) + "," + score + ","
                + (score + 1) + "]]},\"secondaryMetrics\":{\"waitpidCalls\":{\"score\":" + n
                + ",\"scoreError\":NaN,\"scoreUnit\":\"#\",\"rawData\":[[" + n / 3.0 + "," + n / 3.0 + "," + n / 3.0 + "]]}}}";
    }

    static JsonElement json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file));
    }
}
