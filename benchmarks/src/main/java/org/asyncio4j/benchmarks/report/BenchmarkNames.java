package org.asyncio4j.benchmarks.report;

import java.util.List;

/**
 * The names of the JMH benchmarks, their parameters and auxiliary counters, exactly as the
 * benchmark classes declare them; the report reads results only through these constants.
 */
public final class BenchmarkNames {

    private BenchmarkNames() {
    }

    /** Package of every benchmark class. */
    public static final String PACKAGE = "org.asyncio4j.benchmarks";

    /** One SIGCHLD pass with one zombie among n children: AverageTime, us/op. */
    public static final String SIGCHLD = PACKAGE + ".SigchldBenchmark.sigchld";
    /** Kill to callback through a running loop: SampleTime, us. */
    public static final String EXIT_LATENCY = PACKAGE + ".ExitLatencyBenchmark.exitLatency";
    /** Kill all n children, time until every callback ran: SingleShotTime, ms. */
    public static final String DRAIN = PACKAGE + ".DrainBenchmark.drain";
    /** asyncio4j's subprocess_exec spawn: Throughput, ops/s. */
    public static final String SPAWN_SUBPROCESS_EXEC = PACKAGE + ".SpawnBenchmark.subprocessExec";
    /** java.lang.ProcessBuilder start + waitFor: Throughput, ops/s. */
    public static final String SPAWN_PROCESS_BUILDER = PACKAGE + ".SpawnBenchmark.processBuilder";
    /** Raw posix_spawn through the native binding: Throughput, ops/s. */
    public static final String SPAWN_RAW_POSIX_SPAWN = PACKAGE + ".SpawnBenchmark.rawPosixSpawn";
    /** Queue N callbacks, then run them: Throughput, ops/s. */
    public static final String LOOP_CALL_SOON_DISPATCH = PACKAGE + ".LoopBenchmark.callSoonDispatch";
    /** Each callback schedules the next: Throughput, ops/s. */
    public static final String LOOP_CALL_SOON_CHAIN = PACKAGE + ".LoopBenchmark.callSoonChain";
    /** Insert a timer and let it fire: Throughput, ops/s. */
    public static final String LOOP_CALL_LATER_INSERT_FIRE = PACKAGE + ".LoopBenchmark.callLaterInsertFire";
    /** call_soon_threadsafe from another thread until the callback ran: SampleTime, us. */
    public static final String LOOP_CALL_SOON_THREADSAFE_ROUND_TRIP =
            PACKAGE + ".LoopBenchmark.callSoonThreadsafeRoundTrip";

    /** Parameter naming the watcher implementation. */
    public static final String PARAM_WATCHER = "watcher";
    /** Parameter giving the number of registered live children. */
    public static final String PARAM_CHILDREN = "children";

    /** Auxiliary counter of SigchldBenchmark: wait system calls per op. */
    public static final String AUX_WAITPID_CALLS = "waitpidCalls";
    /** Auxiliary counter of SigchldBenchmark: CPU microseconds per op (what the regression gate judges). */
    public static final String AUX_CPU_MICROS = "cpuMicros";
    /** Auxiliary counter of DrainBenchmark: SIGCHLD passes per drain. */
    public static final String AUX_SIGCHLD_PASSES = "sigchldPasses";

    /** Watcher parameter values. */
    public static final String SAFE = "safe";
    /** Watcher parameter value. */
    public static final String FAST = "fast";
    /** Watcher parameter value. */
    public static final String MULTILOOP = "multiloop";
    /** Watcher parameter value. */
    public static final String PIDFD = "pidfd";
    /** Watcher parameter value (exit latency only). */
    public static final String THREADED = "threaded";

    /** Watchers of SigchldBenchmark, in report order. */
    public static final List<String> SIGCHLD_WATCHERS = List.of(SAFE, FAST, MULTILOOP, PIDFD);
    /** Watchers of ExitLatencyBenchmark, in report order. */
    public static final List<String> EXIT_LATENCY_WATCHERS = List.of(SAFE, FAST, THREADED, MULTILOOP, PIDFD);

    /** The short name of a benchmark: "SigchldBenchmark.sigchld". */
    public static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
        return benchmark.substring(type + 1);
    }
}
