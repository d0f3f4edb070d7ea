package org.asyncio4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The output of {@code watcher_limit.c}: the physical limit of the Safe scan and the Fast reap per n,
 * and the posix_spawn rate.
 */
public record CLimits(String kernel, int cores, List<LimitPoint> points, double spawnPerSecond,
                      List<String> refused) {

    /** Reads the C tool's JSON output. */
    public static CLimits read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses the C tool's JSON output. */
    public static CLimits parse(String json) {
        Object root = Json.parse(json);
        List<LimitPoint> points = new ArrayList<>();
        for (Object p : Json.list(root, "points")) {
            points.add(LimitPoint.of(p));
        }
        List<String> refused = new ArrayList<>();
        Json.list(root, "refused").forEach(r -> refused.add(String.valueOf(r)));
        return new CLimits(Json.string(root, "kernel"), (int) Json.number(root, "cores"), points,
                Json.number(root, "spawn_per_sec"), refused);
    }

    /** The point at n, if measured. */
    public Optional<LimitPoint> at(int n) {
        return points.stream().filter(p -> p.n() == n).findFirst();
    }
}
