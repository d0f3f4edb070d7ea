package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.EventLoop;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SpawnRequest;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.benchmarks.CountingChildWaiter;
import org.asyncio4j.SpawnScope;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' entry points: a watcher on a counting waiter and one sweep run directly. Real children,
 * a real zombie; the watcher's SIGCHLD handler is removed so that only the direct sweep reaps.
 */
class WatcherProbeTest {
    private static final Posix POSIX = Posix.get();
    private static final int CHILDREN = 5;

    @Test
    @DisplayName("SAFE-01 a direct Safe sweep makes one waitpid per registered child and reports the zombie")
    void safeSweepCountsN() throws Exception {
        assertEquals(CHILDREN, sweepOnce(WatcherProbe.Kind.SAFE));
    }

    @Test
    @DisplayName("FAST-01 a direct Fast sweep makes two waitpid(-1) calls for one exit, whatever n")
    void fastSweepCountsTwo() throws Exception {
        assertEquals(2, sweepOnce(WatcherProbe.Kind.FAST));
    }

    @Test
    @DisplayName("(benchmark seam, no rule) only Safe, Fast and MultiLoop have a sweep; an unknown watcher name is refused")
    void refusals() {
        ChildWatcher pidfd = WatcherProbe.create(WatcherProbe.Kind.PIDFD, new CountingChildWaiter());
        assertThrows(IllegalArgumentException.class, () -> WatcherProbe.sweeper(pidfd));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WatcherProbe.Kind.of("slow"));
        assertTrue(e.getMessage().contains("slow"), e.getMessage());
        assertTrue(WatcherProbe.Kind.of("multiloop").sweeps());
    }

    /** Registers CHILDREN idle children, kills one, sweeps once; returns the waitpid calls of that sweep. */
    @SuppressWarnings("try")   // each spawning() scope is held, not used, while its child is registered
    private static long sweepOnce(WatcherProbe.Kind kind) throws Exception {
        CountingChildWaiter waiter = new CountingChildWaiter();
        ChildWatcher watcher = WatcherProbe.create(kind, waiter);
        List<Long> pids = new ArrayList<>();
        List<Long> exited = new ArrayList<>();
        EventLoop loop = new SelectorEventLoop();
        try {
            watcher.attachLoop(loop);
            loop.removeSignalHandler(Signals.SIGCHLD);
            for (int i = 0; i < CHILDREN; i++) {
                try (SpawnScope scope = watcher.spawning()) {
                    long pid = POSIX.spawn(SpawnRequest.builder(List.of("sleep", "30")).build());
                    pids.add(pid);
                    watcher.addChildHandler(pid, (p, rc) -> exited.add(p));
                }
            }
            long victim = pids.get(2);
            POSIX.kill(victim, Signals.SIGKILL);
            awaitZombie(victim);
            Runnable sweep = WatcherProbe.sweeper(watcher);
            long before = waiter.waitpidCalls();
            sweep.run();
            assertEquals(List.of(victim), exited);
            return waiter.waitpidCalls() - before;
        } finally {
            watcher.close();
            for (long pid : pids) {
                try {
                    POSIX.kill(pid, Signals.SIGKILL);
                } catch (PosixException gone) {
                    // already reaped by the sweep
                }
                try {
                    POSIX.waitpid(pid, 0);
                } catch (PosixException gone) {
                    // already reaped by the sweep
                }
            }
            loop.close();
        }
    }

    private static void awaitZombie(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String s = Files.readString(stat);
            if (s.charAt(s.lastIndexOf(')') + 2) == 'Z') {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("pid " + pid + " did not become a zombie within 30 s");
    }
}
