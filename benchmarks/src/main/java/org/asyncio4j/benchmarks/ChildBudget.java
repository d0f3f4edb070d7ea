package org.asyncio4j.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine can hold n more children: kernel.pid_max against the tasks already running, and
 * RLIMIT_NPROC ({@code ulimit -u}) against this user's tasks (threads count as tasks in both).
 * run-bench.sh makes the same check before it picks the profile's n; this one refuses a trial clearly
 * instead of failing half way through spawning.
 */
final class ChildBudget {
    /** Tasks kept free for the JVM's own threads, the build and everything else on the machine. */
    static final int HEADROOM = 256;

    private ChildBudget() {
    }

    /**
     * Refuses a trial that needs {@code tasks} more tasks (children, plus one thread each for Threaded).
     *
     * @throws IllegalArgumentException naming the parameter, the limit and how to lower n
     */
    static void require(int tasks, String what) {
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks must be >= 0, got " + tasks);
        }
        long pidMax = readLong("/proc/sys/kernel/pid_max", Long.MAX_VALUE);
        long running = runningTasks();
        if (tasks + HEADROOM > pidMax - running) {
            throw new IllegalArgumentException(what + " needs " + tasks + " more tasks, but kernel.pid_max is "
                    + pidMax + " with " + running + " tasks running (headroom " + HEADROOM
                    + "): lower -p children or raise kernel.pid_max");
        }
        long nproc = maxProcesses();
        if (nproc >= 0 && !isRoot()) {
            long mine = userTasks();
            if (tasks + HEADROOM > nproc - mine) {
                throw new IllegalArgumentException(what + " needs " + tasks + " more tasks, but ulimit -u is " + nproc
                        + " with " + mine + " tasks of this user running (headroom " + HEADROOM
                        + "): lower -p children or raise ulimit -u");
            }
        }
    }

    private static long runningTasks() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return Long.parseLong(f[3].substring(f[3].indexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The soft RLIMIT_NPROC, or -1 when unlimited or unknown. */
    private static long maxProcesses() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max processes")) {
                    String soft = line.substring("Max processes".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static boolean isRoot() {
        return uidOf(Path.of("/proc/self/status")) == 0;
    }

    private static long userTasks() {
        long uid = uidOf(Path.of("/proc/self/status"));
        long total = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                Path status = p.resolve("status");
                if (uidOf(status) == uid) {
                    total += field(status, "Threads:");
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    private static long uidOf(Path status) {
        return field(status, "Uid:");
    }

    private static long field(Path status, String name) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return -1;
    }

    /** First line of a file as a number; readAllLines, since Files.readString gave "3" for pid_max's "32768". */
    private static long readLong(String file, long fallback) {
        try {
            return Long.parseLong(Files.readAllLines(Path.of(file)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
