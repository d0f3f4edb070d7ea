package org.asyncio4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultsTest {

    private static String fragment() throws IOException {
        return new String(JmhResultsTest.class.getResourceAsStream("jmh-fragment.json").readAllBytes(),
                StandardCharsets.UTF_8);
    }

    @Test
    void readsPrimaryAndAuxCounterMetricsOfARealFormatFile() throws IOException {
        JmhResults results = JmhResults.parse(fragment());
        assertEquals(3, results.all().size());
        JmhResult safe = results.find(BenchmarkNames.SIGCHLD, "safe", 100).orElseThrow();
        assertEquals("avgt", safe.mode());
        assertEquals(55.123456789, safe.primary().micros(), 1e-12);
        assertEquals(1.5, safe.primary().errorMicros(), 1e-12);
        Metric calls = safe.secondary().get(BenchmarkNames.AUX_WAITPID_CALLS);
        assertEquals(100.0, calls.score(), 0);
        assertTrue(Double.isNaN(calls.error()), "JMH writes \"NaN\" as a string");
        assertEquals(0, calls.errorOrZero(), 0);
        assertEquals("SigchldBenchmark.sigchld:children=100,watcher=safe", safe.key());
        assertEquals("17.0.15, OpenJDK 64-Bit Server VM", results.jdk());
    }

    @Test
    void convertsUnitsOfSampleTimePercentilesAndThroughput() throws IOException {
        JmhResults results = JmhResults.parse(fragment());
        JmhResult latency = results.find(BenchmarkNames.EXIT_LATENCY, "fast", 1).orElseThrow();
        assertEquals(120.0, latency.percentileMicros(50), 1e-9);
        assertEquals(250.0, latency.percentileMicros(99), 1e-9);
        JmhResult spawn = results.first(BenchmarkNames.SPAWN_SUBPROCESS_EXEC).orElseThrow();
        assertEquals(1850.0, spawn.primary().perSecond(), 1e-9);
        assertEquals(-1, spawn.children());
    }

    @Test
    void gsonReadsEscapesNumbersAndBareNaNAndRefusesBrokenDocuments() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null, NaN, -Infinity], \"s\": \"x\\\"\\u00e9\\n\"} ");
        List<Object> a = Json.list(v, "a");
        assertEquals(-2500.0, a.get(1));
        assertEquals(Boolean.TRUE, a.get(2));
        Object bare = Json.parse("{\"e\": NaN, \"f\": -Infinity}");   // JMH's unquoted words
        assertTrue(Double.isNaN(Json.number(bare, "e")));
        assertEquals(Double.NEGATIVE_INFINITY, Json.number(bare, "f"));
        assertEquals("x\"é\n", Json.string(v, "s"));
        assertEquals(Map.of(), Json.object(v, "missing"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
    }

    @Test
    void readsTheCToolAndCPythonScriptFormats() {
        CLimits c = CLimits.parse("{\"tool\":\"c\",\"kernel\":\"Linux 6.18\",\"cores\":2,\"points\":[{\"n\":100,"
                + "\"safe_us\":{\"p50\":48.7,\"p10\":45.9,\"p90\":51.8},\"fast_us\":{\"p50\":8.1,\"p10\":7,\"p90\":9.3},"
                + "\"idle_waitpid_us\":{\"p50\":3.0,\"p10\":2.5,\"p90\":3.6},\"safe_waitpid_calls\":100,"
                + "\"fast_waitpid_calls\":2.0,\"reps\":554}],\"spawn_per_sec\":1370.3,\"refused\":[]}");
        assertEquals(48.7, c.at(100).orElseThrow().safe().p50(), 0);
        assertEquals(2.0, c.at(100).orElseThrow().fastWaitpidCalls(), 0);
        assertEquals(1370.3, c.spawnPerSecond(), 0);
        CPythonResults py = CPythonResults.parse("{\"tool\":\"cpython\",\"version\":\"3.11.7\",\"points\":[],"
                + "\"exit_latency_us\":[{\"watcher\":\"fast\",\"n\":1,\"p50\":140.7,\"p99\":603.8}],"
                + "\"loop\":{\"asyncio\":{\"callSoonDispatch_per_sec\":1079385,\"callSoonChain_per_sec\":545576,"
                + "\"callLaterInsertFire_per_sec\":407373,\"callSoonThreadsafeRoundTrip_us\":{\"p50\":52,\"p99\":75}},"
                + "\"uvloop\":{\"skipped\":\"not importable\"}}}");
        assertEquals(140.7, py.latency("fast", 1).orElseThrow().p50(), 0);
        assertEquals(52, py.asyncio().threadsafeRoundTripP50(), 0);
        assertEquals(null, py.uvloop());
        assertEquals("not importable", py.uvloopNote());
        CPythonResults skipped = CPythonResults.parse("{\"tool\":\"cpython\",\"version\":\"3.14.0\",\"skipped\":\"no watchers\"}");
        assertEquals("no watchers", skipped.skipped());
    }
}
