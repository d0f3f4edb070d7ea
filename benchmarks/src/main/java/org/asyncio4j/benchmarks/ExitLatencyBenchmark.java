package org.asyncio4j.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.unix.WatcherProbe.Kind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exit latency on the real path: from {@code kill(SIGKILL)} of one of n idle registered children to its
 * exit callback running on the loop, which runs in the benchmark thread ({@code runUntilComplete} of a
 * future the callback completes). Includes the kernel's exit, SIGCHLD delivery (by default asyncio4j's C
 * handler and its one {@code asyncio4j-signals} thread; with {@code -Dorg.asyncio4j.signals=jvm} the JVM's
 * dispatch, which starts a thread per Java signal handler call), the loop's wake-up and the watcher's pass; for Threaded, the waiting thread's
 * return and {@code callSoonThreadsafe}; for Pidfd, epoll. The dead child is replaced after each sample
 * ({@code @TearDown(Level.Invocation)}, not timed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ExitLatencyBenchmark {

    @Param({"safe", "fast", "threaded", "multiloop", "pidfd"})
    public String watcher;

    @Param({"1", "100", "1000"})
    public int children;

    private WatcherRig rig;
    private long[] pids;
    private final SplittableRandom random = new SplittableRandom(42);
    private int victimIndex;
    private long victim;
    private AsyncFuture<Long> exited;

    @Setup(Level.Trial)
    public void spawnChildren() {
        if (children < 1) {
            throw new IllegalArgumentException("children must be >= 1, got " + children);
        }
        Kind kind = Kind.of(watcher);
        ChildBudget.require(kind == Kind.THREADED ? 2 * children : children,
                "ExitLatencyBenchmark watcher=" + watcher + " children=" + children);
        rig = WatcherRig.live(kind, null);
        try {
            pids = rig.spawnAndRegister(children, this::onExit);
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    private void onExit(long pid, int returnCode) {
        if (pid == victim && exited != null) {
            exited.setResult(pid);
        }
    }

    @Setup(Level.Invocation)
    public void pickVictim() {
        victimIndex = random.nextInt(children);
        victim = pids[victimIndex];
        exited = rig.loop.createFuture();
    }

    /** kill -> callback on the loop. */
    @Benchmark
    public long exitLatency() {
        rig.children().kill(victim);
        return rig.loop.runUntilComplete(exited);
    }

    @TearDown(Level.Invocation)
    public void replace() {
        rig.children().reaped(victim);
        pids[victimIndex] = rig.spawnAndRegister(this::onExit);
    }

    @TearDown(Level.Trial)
    public void reapAll() {
        if (rig != null) {
            rig.close();
        }
    }
}
