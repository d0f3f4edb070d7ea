package org.asyncio4j.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * When a process started, from {@code /proc/<pid>/stat} (field 22, clock ticks since boot): with the pid,
 * it tells one process from a later one that reuses the pid.
 */
final class StartTimes {
    /** Returned when the process does not exist (any more) or its start time cannot be read. */
    static final long UNKNOWN = -1;

    private StartTimes() {}

    /** The start time of {@code pid}, or {@link #UNKNOWN}. */
    static long of(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/stat"));
            String stat = lines.get(0);
            // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[22 - 3]);
        } catch (IOException | RuntimeException gone) {
            return UNKNOWN;
        }
    }
}
