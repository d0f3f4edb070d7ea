package org.asyncio4j.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peers' ratios, intervals and verdicts, on JMH JSON made up for the purpose. */
class PeersReportTest {

    @Test
    void percentilesComeFromEachIterationsHistogram() {
        JsonArray histogram = JsonParser.parseString("[[10, 49], [20, 50], [1000, 1]]").getAsJsonArray();
        assertEquals(20, PeersReport.percentile(histogram, 0.50));
        assertEquals(20, PeersReport.percentile(histogram, 0.99));
        assertEquals(1000, PeersReport.percentile(histogram, 1.0));
        JsonArray forks = JsonParser.parseString("[[[[1, 3], [9, 1]], [[2, 1]]], [[[5, 1]]]]").getAsJsonArray();
        assertEquals(List.of(1.0, 2.0, 5.0), boxed(PeersReport.iterationPercentiles(forks, 0.5)));
    }

    @Test
    void theIntervalHoldsTheRatioAndNarrowsWithLessNoise() {
        double[] a = {200, 210, 190, 205, 195, 200};
        double[] b = {100, 104, 96, 101, 99, 100};
        double[] r = PeersReport.ratio(a, b);
        assertEquals(2.0, r[0], 0.02);
        assertTrue(r[1] < r[0] && r[0] < r[2], "interval " + r[1] + ".." + r[2]);
        double[] noisy = PeersReport.ratio(new double[] {100, 300, 150, 250, 200, 120}, b);
        assertTrue(noisy[2] - noisy[1] > r[2] - r[1], "more noise, a wider interval");
    }

    @Test
    void aGoalIsMetOnlyWhenTheWholeIntervalIsOnItsSide() {
        assertEquals("met", PeersReport.verdict(new double[] {2.5, 2.1, 2.9}, 2, false));
        assertEquals("unclear", PeersReport.verdict(new double[] {2.1, 1.8, 2.4}, 2, false));
        assertEquals("MISSED", PeersReport.verdict(new double[] {1.5, 1.2, 1.9}, 2, false));
        assertEquals("met", PeersReport.verdict(new double[] {0.5, 0.4, 0.6}, 1, true));
        assertEquals("MISSED", PeersReport.verdict(new double[] {1.5, 1.2, 1.9}, 1, true));
    }

    @Test
    void theTablesNameEveryPeerAndVerdict() {
        List<JsonObject> results = new ArrayList<>();
        double[][] scores = {{300, 310, 290}, {400, 390, 410}, {5, 6, 5.5}, {150, 160, 140}};
        String[] peers = {"asyncio4j-safe", "asyncio4j-pidfd", "nuprocess", "processbuilder"};
        for (int i = 0; i < peers.length; i++) {
            results.add(JsonParser.parseString("{\"jdkVersion\": \"17.0.15\", \"mode\": \"thrpt\","
                    + " \"benchmark\": \"org.asyncio4j.benchmarks.peers.SpawnPeersBenchmark.spawnTrue\","
                    + " \"params\": {\"peer\": \"" + peers[i] + "\", \"inFlight\": \"1\"},"
                    + " \"primaryMetric\": {\"scoreUnit\": \"ops/s\", \"rawData\": [[" + scores[i][0] + ", "
                    + scores[i][1] + "], [" + scores[i][2] + "]]}}").getAsJsonObject());
        }
        String md = PeersReport.render(results);
        assertTrue(md.contains("### JDK 17.0.15"), md);
        assertTrue(md.contains("| Spawn.spawnTrue inFlight=1 | throughput | 300 | 400 | 5.48 | 150 | ops/s |"), md);
        assertTrue(md.contains("| Spawn.spawnTrue inFlight=1 | throughput | pidfd | nuprocess |"), md);
        assertTrue(md.contains("| safe | processbuilder | 2.00x"), md);
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(x);
        }
        return out;
    }
}
