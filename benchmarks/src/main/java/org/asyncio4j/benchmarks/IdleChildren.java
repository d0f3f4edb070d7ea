package org.asyncio4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.internal.posix.EpollEvents;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SpawnRequest;
import org.asyncio4j.unix.Signals;

/**
 * A group of idle children that cost nothing while they wait, and that can never outlive the benchmark.
 *
 * <p>Each child is {@code /bin/cat} reading from one "tether" pipe whose only write end this JVM holds
 * (children get fds 0-2 only, see {@link SpawnRequest}). So:
 * <ul>
 * <li>{@link #releaseAll()} closes the write end and every child of the group exits at once (end of file);</li>
 * <li>if the JVM dies, even by SIGKILL, the kernel closes the write end and the children exit too;</li>
 * <li>{@link #close()} kills and reaps whatever is left; a JVM shutdown hook does the same for every
 *     group still open (a benchmark that failed before its tear-down).</li>
 * </ul>
 */
final class IdleChildren implements AutoCloseable {
    private static final Posix POSIX = Posix.get();
    /** Every child of every open group in this JVM, for the shutdown hook. */
    private static final Set<Long> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> killAndReap(new ArrayList<>(LIVE)),
                "asyncio4j-bench-reaper"));
    }

    private final int tetherRead;
    private int tetherWrite;
    private final int devNull;
    private final SpawnRequest request;
    private final Set<Long> mine = new LinkedHashSet<>();

    IdleChildren() {
        int[] pipe = POSIX.pipe();
        tetherRead = pipe[0];
        tetherWrite = pipe[1];
        devNull = POSIX.open("/dev/null", true);
        request = SpawnRequest.builder(List.of("/bin/cat")).stdin(tetherRead).stdout(devNull).stderr(devNull).build();
    }

    /** Starts one idle child of this group; the caller registers it with a watcher. */
    long spawn() {
        long pid = POSIX.spawn(request);
        mine.add(pid);
        LIVE.add(pid);
        return pid;
    }

    /**
     * SIGKILLs {@code pid} and returns once it is a zombie (exited, not yet reaped), as the C tool's and the
     * CPython script's blocking {@code waitid(P_PID, pid, WEXITED | WNOWAIT)} does: by waiting until a pidfd
     * of it polls readable ({@code cat} is single-threaded, so readable means zombie), else, where pidfds are
     * refused, by polling its state in {@code /proc/<pid>/stat}.
     *
     * <p>The pidfd way matters: reading {@code /proc/<pid>} leaves dentries that the kernel must flush when
     * the child is reaped, which doubled the measured cost of reaping one zombie (3.8 us against 7.6 us
     * here); the pidfd leaves nothing behind once closed.
     */
    void killToZombie(long pid) {
        POSIX.kill(pid, Signals.SIGKILL);
        if (PIDFD_WORKS) {
            awaitPidfdReadable(pid);
        } else {
            awaitZombie(pid);
        }
    }

    private static final boolean PIDFD_WORKS = org.asyncio4j.unix.PidfdChildWatcher.isSupported();

    /** Returns once a pidfd of {@code pid} polls readable (it exited). Opens and closes one epoll and one pidfd. */
    private void awaitPidfdReadable(long pid) {
        int epfd = POSIX.epollCreate();
        try {
            int pidfd = POSIX.pidfdOpen(pid);
            try {
                POSIX.epollCtl(epfd, Posix.EPOLL_CTL_ADD, pidfd, Posix.EPOLLIN);
                if (POSIX.epollWait(epfd, pidfdEvents, 30_000) != 1) {
                    throw new IllegalStateException("the pidfd of zombie " + pid + " is not readable after 30 s");
                }
            } finally {
                POSIX.close(pidfd);
            }
        } finally {
            POSIX.close(epfd);
        }
    }

    private final EpollEvents pidfdEvents = new EpollEvents(1);

    /** Sends SIGKILL to {@code pid} and returns at once. */
    void kill(long pid) {
        POSIX.kill(pid, Signals.SIGKILL);
    }

    /** The watcher has reaped {@code pid}: no longer ours to clean up. */
    void reaped(long pid) {
        mine.remove(pid);
        LIVE.remove(pid);
    }

    /** The children not yet reported reaped. */
    List<Long> pids() {
        return new ArrayList<>(mine);
    }

    /** The number of children not yet reported reaped. */
    int size() {
        return mine.size();
    }

    /** Every child of the group exits now (end of file on the tether); none is reaped here. */
    void releaseAll() {
        if (tetherWrite >= 0) {
            POSIX.close(tetherWrite);
            tetherWrite = -1;
        }
    }

    /** Kills and reaps every child not reported reaped, and closes the group's descriptors. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Like {@link #close()}; with {@code reaperWaiting} (a Threaded watcher's threads block in
     * {@code waitpid(pid, 0)} on every child), the children are killed and left to those threads for up to
     * 10 s, so that no thread loses its child to this method and logs "Unknown child process".
     */
    void close(boolean reaperWaiting) {
        releaseAll();
        List<Long> left = new ArrayList<>(mine);
        mine.clear();
        if (reaperWaiting) {
            left.forEach(IdleChildren::killQuietly);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (long pid : left) {
                while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
            }
        }
        killAndReap(left);
        left.forEach(LIVE::remove);
        POSIX.close(tetherRead);
        POSIX.close(devNull);
    }

    private static void killQuietly(long pid) {
        try {
            POSIX.kill(pid, Signals.SIGKILL);
        } catch (PosixException gone) {
            // reaped meanwhile
        }
    }

    private static void killAndReap(List<Long> pids) {
        pids.forEach(IdleChildren::killQuietly);
        for (long pid : pids) {
            try {
                POSIX.waitpid(pid, 0);
            } catch (PosixException gone) {
                // ECHILD: a watcher reaped it
            }
        }
    }

    /**
     * Waits until {@code pid} is a zombie: state 'Z' in {@code /proc/<pid>/stat}. This is the equivalent of
     * the C tool's and the CPython script's {@code waitid(P_PID, pid, WEXITED | WNOWAIT)}: it does not reap.
     */
    static void awaitZombie(long pid) {
        awaitState(pid, 'Z');
    }

    private static void awaitState(long pid, char wanted) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            char state;
            try {
                String s = Files.readString(stat);
                state = s.charAt(s.lastIndexOf(')') + 2);
            } catch (NoSuchFileException reaped) {
                throw new IllegalStateException("pid " + pid + " was reaped while the benchmark waited for state "
                        + wanted + ": something else waits for this JVM's children");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + stat, e);
            }
            if (state == wanted) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pid " + pid + " still in state " + state + " after 30 s, waiting for "
                        + wanted);
            }
            Thread.yield();
        }
    }
}
