package org.asyncio4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Secondary metric {@code threadCpuNanos}: the benchmark thread's CPU time (user and system) per operation, in
 * nanoseconds. A benchmark method reads {@link #start()} first and passes it to {@link #stop} last, once per
 * invocation (two reads of the thread's CPU clock, about a microsecond, so only for invocations of at least a
 * millisecond). On a machine shared with other work an operation's wall time includes the time it waited for a
 * core and its CPU time does not, so an A/B comparison of this figure ({@code benchmarks/run-ab.sh --metric
 * threadCpuNanos}, with {@code -bm avgt} so that lower is better throughout) resolves far smaller differences.
 * Work the operation causes on other threads (a signal handler's thread, the kernel's) is not counted.
 *
 * <p>JMH sums an EVENTS counter over the measurement iterations; each iteration reports its own mean divided
 * by the number of iterations (as {@code SigchldBenchmark}'s counters do), so JMH's score is the mean and the
 * gate's judge multiplies an iteration's value back.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long nanos;
    private long operations;
    private int iterations = 1;

    /** Starts each iteration afresh. */
    @Setup(Level.Iteration)
    public void reset(IterationParams params) {
        nanos = 0;
        operations = 0;
        iterations = Math.max(1, params.getCount());
    }

    /** {@return the CPU time per operation in this iteration, in nanoseconds, over the number of iterations} */
    public double threadCpuNanos() {
        return operations == 0 ? 0 : (double) nanos / operations / iterations;
    }

    /** {@return the thread's CPU clock now, for {@link #stop}} */
    long start() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Adds the CPU time since {@code started} as {@code ops} operations. */
    void stop(long started, int ops) {
        nanos += THREADS.getCurrentThreadCpuTime() - started;
        operations += ops;
    }
}
