package org.asyncio4j.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.unix.WatcherProbe.Kind;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.IterationParams;

/**
 * n registered children exit together; the time until all n exit callbacks ran on the loop (which runs in
 * the benchmark thread). The children are spawned before each iteration, not timed; "together" is one
 * action: the benchmark closes the write end of the pipe every child reads ({@link IdleChildren}), like a
 * killpg, so the kernel ends them all while the watcher is already reaping.
 *
 * <p>Secondary metric {@code sigchldPasses}: the SIGCHLD passes the watcher ran for the n exits (signals
 * coalesce, so Safe's cost is passes x n waitpid calls). 0 for Pidfd and Threaded, which have no SIGCHLD
 * handler.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class DrainBenchmark {

    @Param({"safe", "fast", "threaded", "multiloop", "pidfd"})
    public String watcher;

    @Param({"100", "1000", "4000"})
    public int children;

    private final LongAdder passes = new LongAdder();
    private WatcherRig rig;
    private int remaining;
    private AsyncFuture<Void> allExited;
    private long passesBefore;

    /**
     * SIGCHLD passes per drain. JMH sums an EVENTS counter over the measurement iterations, so each iteration
     * reports its count divided by the number of iterations: the result is the mean per drain.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        private long passes;
        private long drains;
        private int iterations = 1;

        @Setup(Level.Iteration)
        public void reset(IterationParams params) {
            passes = 0;
            drains = 0;
            iterations = Math.max(1, params.getCount());
        }

        /** SIGCHLD passes per drain of n exits, over the number of iterations. */
        public double sigchldPasses() {
            return drains == 0 ? 0 : (double) passes / drains / iterations;
        }

        void record(long count) {
            passes += count;
            drains++;
        }
    }

    @Setup(Level.Trial)
    public void startWatcher() {
        if (children < 1) {
            throw new IllegalArgumentException("children must be >= 1, got " + children);
        }
        Kind kind = Kind.of(watcher);
        ChildBudget.require(kind == Kind.THREADED ? 2 * children : children,
                "DrainBenchmark watcher=" + watcher + " children=" + children);
        rig = WatcherRig.live(kind, passes);
    }

    @Setup(Level.Iteration)
    public void spawnChildren() {
        rig.newGroup();
        remaining = children;
        allExited = rig.loop.createFuture();
        rig.spawnAndRegister(children, this::onExit);
        passesBefore = passes.sum();
    }

    private void onExit(long pid, int returnCode) {
        rig.children().reaped(pid);
        if (--remaining == 0) {
            allExited.setResult(null);
        }
    }

    /** All n exit; until every callback ran. */
    @Benchmark
    public int drain(Counters counters) {
        rig.children().releaseAll();
        rig.loop.runUntilComplete(allExited);
        counters.record(passes.sum() - passesBefore); // nanoseconds, against milliseconds
        return remaining;
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (remaining != 0 || rig.children().size() != 0) {
            throw new IllegalStateException(watcher + ": " + remaining + " callbacks missing after the drain");
        }
    }

    @TearDown(Level.Trial)
    public void reapAll() {
        if (rig != null) {
            rig.close();
        }
    }
}
