package org.asyncio4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * The cost of handling ONE SIGCHLD with n live registered children, one of which has exited: from the
 * watcher's handler to the exit callback, as this module's C and CPython drivers measure it.
 *
 * <p>Per trial, n idle children are spawned and registered. Per invocation, outside the timed region, one
 * child is SIGKILLed and awaited until it is a zombie ({@code @Setup(Level.Invocation)}); the timed method
 * runs one pass; {@code @TearDown(Level.Invocation)} checks that the callback saw that child and replaces
 * it. The zombie is awaited through a pidfd ({@link IdleChildren#killToZombie}), which also guarantees a
 * Pidfd watcher finds its own pidfd ready. JMH warns that {@code Level.Invocation} fixtures distort short operations (timestamps around every
 * call); here the shortest pass is several microseconds, so the ~30 ns of timestamps is within the noise,
 * and per-invocation set-up is the only way to time one pass with exactly one zombie, spawning excluded.
 *
 * <p>What one pass is, per watcher: Safe and Fast, the SIGCHLD sweep their handler runs (the callback runs
 * inside it); MultiLoop, its sweep (on the JVM's signal thread in real life) plus the loop iteration that
 * runs the callback it posts; Pidfd, the loop iteration that finds the pidfd readable (epoll_wait, waitpid,
 * epoll_ctl DEL, close, callback). The watchers never see the real SIGCHLD here ({@link WatcherRig#direct}),
 * so no pass reaps the zombie behind the benchmark's back.
 *
 * <p>Secondary metric {@code waitpidCalls}: waitpid system calls per pass, counted by a counting
 * {@code ChildWaiter} (n for Safe and MultiLoop, 2 for Fast, 1 for Pidfd).
 *
 * <p>Secondary metric {@code cpuMicros}: the benchmark thread's CPU time (user and system) per pass, read
 * outside the timed region (at the end of the invocation's set-up and the start of its tear-down), so that
 * the primary figure is untouched. On a machine shared with other work a pass's wall time includes the time
 * it waited for a core; its CPU time does not, which is why the regression gate judges this figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SigchldBenchmark {

    @Param({"safe", "fast", "multiloop", "pidfd"})
    public String watcher;

    @Param({"1", "10", "100", "1000", "4000"})
    public int children;

    private WatcherRig rig;
    private Runnable pass;
    private long[] pids;
    private final SplittableRandom random = new SplittableRandom(42);
    private int victimIndex;
    private long victim;
    private long exitedPid;
    private long callsBefore;
    private long cpuBefore;
    private Counters counters;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * waitpid calls per pass. JMH reports an EVENTS counter as is, not divided by time, and SUMS it over the
     * measurement iterations; so each iteration reports its own mean divided by the number of iterations, and
     * the result is the mean over iterations (the per-iteration lines JMH prints are that fraction).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        private long calls;
        private long passes;
        private long cpuNanos;
        private long cpuPasses;
        private int iterations = 1;

        @Setup(Level.Iteration)
        public void reset(IterationParams params) {
            calls = 0;
            passes = 0;
            cpuNanos = 0;
            cpuPasses = 0;
            iterations = Math.max(1, params.getCount());
        }

        /** waitpid system calls per SIGCHLD pass in this iteration, over the number of iterations. */
        public double waitpidCalls() {
            return passes == 0 ? 0 : (double) calls / passes / iterations;
        }

        /** CPU time per SIGCHLD pass in this iteration, in microseconds, over the number of iterations. */
        public double cpuMicros() {
            return cpuPasses == 0 ? 0 : cpuNanos / 1e3 / cpuPasses / iterations;
        }

        void record(long waitpids) {
            calls += waitpids;
            passes++;
        }

        void recordCpu(long nanos) {
            cpuNanos += nanos;
            cpuPasses++;
        }
    }

    @Setup(Level.Trial)
    public void spawnChildren() {
        if (children < 1) {
            throw new IllegalArgumentException("children must be >= 1, got " + children);
        }
        Kind kind = Kind.of(watcher);
        ChildBudget.require(children, "SigchldBenchmark children=" + children);
        rig = WatcherRig.direct(kind);
        try {
            pids = rig.spawnAndRegister(children, this::exited);
            if (kind == Kind.SAFE || kind == Kind.FAST) {
                pass = rig.sweeper();
            } else if (kind == Kind.MULTILOOP) {
                Runnable sweep = rig.sweeper();
                pass = () -> {
                    sweep.run();
                    rig.runOnce();
                };
            } else {
                pass = rig::runOnce;
            }
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    private void exited(long pid, int returnCode) {
        exitedPid = pid;
    }

    @Setup(Level.Invocation)
    public void killOne() {
        victimIndex = random.nextInt(children);
        victim = pids[victimIndex];
        exitedPid = 0;
        rig.children().killToZombie(victim);
        callsBefore = rig.waiter.waitpidCalls();
        cpuBefore = THREADS.getCurrentThreadCpuTime();   // last: what follows is JMH's timing and the pass
    }

    /** One SIGCHLD pass: handler to callback. */
    @Benchmark
    public long sigchld(Counters counters) {
        pass.run();
        counters.record(rig.waiter.waitpidCalls() - callsBefore); // two field reads and two adds: ~1 ns
        this.counters = counters;
        return exitedPid;
    }

    @TearDown(Level.Invocation)
    public void replace() {
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;   // first: before any tear-down work
        if (counters != null) {
            counters.recordCpu(cpu);
        }
        if (exitedPid != victim) {
            throw new IllegalStateException(watcher + ": the pass reported pid " + exitedPid + ", expected "
                    + victim);
        }
        rig.children().reaped(victim);
        pids[victimIndex] = rig.spawnAndRegister(this::exited);
    }

    @TearDown(Level.Trial)
    public void reapAll() {
        if (rig != null) {
            rig.close();
        }
    }
}
