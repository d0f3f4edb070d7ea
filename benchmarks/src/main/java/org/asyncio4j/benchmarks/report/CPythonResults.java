package org.asyncio4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The output of {@code cpython_watchers.py}: CPython's own watchers per n, kill-to-callback latency,
 * spawn rate and loop figures for asyncio (and uvloop when it was importable).
 *
 * @param skipped non-null when the script skipped everything (Python without the watchers)
 */
public record CPythonResults(String version, String skipped, List<LimitPoint> points,
                             List<ExitLatency> exitLatency, double spawnPerSecond,
                             LoopFigures asyncio, LoopFigures uvloop, String uvloopNote) {

    /** kill -> callback latency of one watcher at n children, microseconds. */
    public record ExitLatency(String watcher, int n, double p50, double p99) {
    }

    /** Event-loop figures; NaN where not measured. */
    public record LoopFigures(double callSoonDispatchPerSec, double callSoonChainPerSec,
                              double callLaterInsertFirePerSec, double threadsafeRoundTripP50,
                              double threadsafeRoundTripP99) {

        static LoopFigures of(Object o) {
            if (o == null || Json.get(o, "skipped") != null) {
                return null;
            }
            return new LoopFigures(Json.number(o, "callSoonDispatch_per_sec"),
                    Json.number(o, "callSoonChain_per_sec"), Json.number(o, "callLaterInsertFire_per_sec"),
                    Json.number(o, "callSoonThreadsafeRoundTrip_us", "p50"),
                    Json.number(o, "callSoonThreadsafeRoundTrip_us", "p99"));
        }
    }

    /** Reads the script's JSON output. */
    public static CPythonResults read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses the script's JSON output. */
    public static CPythonResults parse(String json) {
        Object root = Json.parse(json);
        List<LimitPoint> points = new ArrayList<>();
        for (Object p : Json.list(root, "points")) {
            points.add(LimitPoint.of(p));
        }
        List<ExitLatency> latency = new ArrayList<>();
        for (Object l : Json.list(root, "exit_latency_us")) {
            latency.add(new ExitLatency(Json.string(l, "watcher"), (int) Json.number(l, "n"),
                    Json.number(l, "p50"), Json.number(l, "p99")));
        }
        return new CPythonResults(Json.string(root, "version"), Json.string(root, "skipped"), points, latency,
                Json.number(root, "spawn_per_sec"), LoopFigures.of(Json.path(root, "loop", "asyncio")),
                LoopFigures.of(Json.path(root, "loop", "uvloop")), Json.string(root, "loop", "uvloop", "skipped"));
    }

    /** The point at n, if measured. */
    public Optional<LimitPoint> at(int n) {
        return points.stream().filter(p -> p.n() == n).findFirst();
    }

    /** The exit latency of a watcher ("safe", "fast") at n, if measured. */
    public Optional<ExitLatency> latency(String watcher, int n) {
        return exitLatency.stream().filter(l -> l.watcher().equals(watcher) && l.n() == n).findFirst();
    }
}
