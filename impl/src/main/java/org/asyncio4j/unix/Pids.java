package org.asyncio4j.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one check of a process id handed to a watcher or to {@code kill}: it must be a pid this kernel can
 * give, {@code 1 .. pid_max - 1} ({@code /proc/sys/kernel/pid_max}). Without it a long such as
 * {@code 0xFFFFFFFF} would be truncated to {@code waitpid(-1)} and reap someone else's child.
 */
final class Pids {
    /** Linux's hard ceiling ({@code PID_MAX_LIMIT}, 2^22), used when {@code pid_max} cannot be read. */
    private static final long PID_MAX_LIMIT = 1L << 22;
    private static final Path PID_MAX = Path.of("/proc/sys/kernel/pid_max");

    /** The last {@code pid_max} read; re-read before a pid above it is refused (it can be raised at run time). */
    private static volatile long pidMax = readPidMax();

    private Pids() {}

    /**
     * Returns {@code pid} if it is one this kernel can give.
     *
     * @throws IllegalArgumentException naming the pid and the range
     */
    static long check(long pid) {
        if (pid > 0 && pid < pidMax) {
            return pid;
        }
        if (pid > 0 && pid <= Integer.MAX_VALUE) {
            pidMax = readPidMax();
            if (pid < pidMax) {
                return pid;
            }
        }
        throw new IllegalArgumentException("pid must be in 1.." + (pidMax - 1) + " (kernel.pid_max), got " + pid);
    }

    private static long readPidMax() {
        try {
            // one buffered read: procfs sysctl files report size 0, and readString then sees only the first byte
            return Math.min(Long.parseLong(Files.readAllLines(PID_MAX).get(0).trim()), (long) Integer.MAX_VALUE + 1);
        } catch (IOException | RuntimeException unreadable) {
            return PID_MAX_LIMIT;
        }
    }
}
