package org.asyncio4j.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.SpawnFileAction;

/**
 * Starts and cleans up the real child processes the watcher properties hand to a watcher.
 *
 * <p>Children are started with {@code posix_spawnp} directly (jnr-posix), never with
 * {@link ProcessBuilder}: the JDK's reaper thread would collect the exit statuses the watcher under test is
 * supposed to collect. Each child gets /dev/null as its standard streams. {@link #close()} kills and reaps
 * every child still belonging to this process, so a property leaves no process and no zombie, whatever the
 * watcher did.
 *
 * <p>A pid is recognised by its start time as well as its parent: on a busy machine the pid of a child that
 * was reaped can come back within seconds as another child of this JVM, which must not be mistaken for it.
 */
public final class Children implements AutoCloseable {
    /**
     * Signals that end a {@code sleep} child whatever the JVM's own signal mask (SIGQUIT is blocked there): SIGHUP,
     * SIGINT, SIGKILL, SIGUSR1, SIGALRM and SIGTERM, less any this JVM ignores, since a child inherits an ignored
     * signal through exec (a JVM started in the background by a shell ignores SIGINT, under nohup SIGHUP).
     */
    public static final int[] FATAL_SIGNALS = notIgnored(new int[] {1, 2, 9, 10, 14, 15});
    /** SIGKILL, which no child can survive. */
    public static final int SIGKILL = 9;

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    private static final int ECHILD = 10;

    private final Set<Long> started = ConcurrentHashMap.newKeySet();
    /** The start time (clock ticks after boot, /proc/PID/stat) of each child started here, where it could be read. */
    private final Map<Long, String> startTimes = new ConcurrentHashMap<>();
    private final List<String> environment = environment();

    /** No child yet. */
    public Children() {}

    /** Starts {@code argv} (looked up on PATH) and returns its pid. */
    public long spawn(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program, got " + argv);
        }
        List<SpawnFileAction> streams = List.of(
                SpawnFileAction.open("/dev/null", 0, 0, 0),       // O_RDONLY
                SpawnFileAction.open("/dev/null", 1, 1, 0),       // O_WRONLY
                SpawnFileAction.open("/dev/null", 2, 1, 0));
        long pid = POSIX.posix_spawnp(argv.get(0), streams, argv, environment);
        if (pid <= 0) {
            throw new IllegalStateException("posix_spawnp " + argv + " failed, errno " + POSIX.errno());
        }
        started.add(pid);
        String[] stat = stat(pid);
        if (stat != null) {
            startTimes.put(pid, stat[2]);
        }
        return pid;
    }

    /** A child that runs until it is killed. */
    public long spawnSleeper() {
        return spawn(List.of("sleep", "1000"));
    }

    /** A child that exits at once with {@code code} (0..255). */
    public long spawnExiting(int code) {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("exit code must be in 0..255, got " + code);
        }
        return spawn(List.of("sh", "-c", "exit " + code));
    }

    /** Sends {@code signum} to {@code pid} if it is still our child. */
    public void kill(long pid, int signum) {
        if (isMine(pid)) {
            POSIX.kill(pid, signum);
        }
    }

    /** True if {@code pid} is our child and a zombie: it has exited and nobody has collected its status. */
    public boolean isZombie(long pid) {
        String[] stat = stat(pid);
        return isMine(pid, stat) && stat[0].equals("Z");
    }

    /** True if {@code pid} is no longer a child of ours at all: it exited and its status was collected. */
    public boolean isReaped(long pid) {
        return !isMine(pid);
    }

    /** Waits (polling /proc, 30 s safety net) until {@code pid} has exited, collected or not. */
    public void awaitExit(long pid) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (isMine(pid) && !isZombie(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("child " + pid + " did not exit within 30 s");
            }
            pause();
        }
    }

    /** Waits (polling, 30 s safety net) until {@code pid} is no longer our child; false if it stays a zombie. */
    public boolean awaitReaped(long pid, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (isMine(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause();
        }
        return true;
    }

    /** Collects the status of {@code pid} if it is our zombie; returns the raw wait status or -1. */
    public int reapIfZombie(long pid) {
        if (!isZombie(pid)) {
            return -1;
        }
        int[] status = new int[1];
        long r = POSIX.waitpid(pid, status, 1); // WNOHANG
        return r == pid ? status[0] : -1;
    }

    /** Kills and reaps every child this object started that is still ours. */
    @Override
    public void close() {
        for (long pid : started) {
            if (isMine(pid)) {
                POSIX.kill(pid, SIGKILL);
            }
        }
        for (long pid : started) {
            if (isMine(pid)) {
                int[] status = new int[1];
                long r = POSIX.waitpid(pid, status, 0);
                if (r < 0 && POSIX.errno() != ECHILD) {
                    throw new IllegalStateException("waitpid(" + pid + ") failed, errno " + POSIX.errno());
                }
            }
        }
        started.clear();
        startTimes.clear();
    }

    private static int[] notIgnored(int[] signals) {
        long ignored = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("SigIgn:")) {
                    ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        long mask = ignored;
        return java.util.Arrays.stream(signals).filter(sig -> sig == SIGKILL || (mask & (1L << (sig - 1))) == 0).toArray();
    }

    /** Whether {@code pid} (alive or zombie) is a child of this process and, if started here, the same process. */
    private boolean isMine(long pid) {
        return isMine(pid, stat(pid));
    }

    private boolean isMine(long pid, String[] stat) {
        String startTime = startTimes.get(pid);
        return stat != null && Long.parseLong(stat[1]) == POSIX.getpid() && (startTime == null || startTime.equals(stat[2]));
    }

    /** Whether {@code pid} (alive or zombie) is a child of this process. */
    public static boolean isOurs(long pid) {
        String[] stat = stat(pid);
        return stat != null && Long.parseLong(stat[1]) == POSIX.getpid();
    }

    /** {state, ppid, starttime} from /proc/PID/stat, or null when there is no such process. */
    private static String[] stat(long pid) {
        try {
            String s = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/stat")), StandardCharsets.US_ASCII);
            String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new String[] {fields[0], fields[1], fields[19]};
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("No such process")) {
                return null;
            }
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<String> environment() {
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (e.getKey().equals("PATH")) {
                env.add(e.getKey() + "=" + e.getValue());
            }
        }
        return env;
    }
}
