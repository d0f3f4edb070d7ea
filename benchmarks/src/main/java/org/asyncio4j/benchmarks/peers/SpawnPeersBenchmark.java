package org.asyncio4j.benchmarks.peers;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spawn + exit notification of {@code /bin/true}, with 1 or 64 children in flight (an operation starts
 * {@code inFlight} children, then waits for every exit), each library with its default redirects.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class SpawnPeersBenchmark {
    private static final List<String> TRUE = List.of("/bin/true");

    /** Children started before the first exit is awaited. */
    @Param({"1", "64"})
    public int inFlight;

    /** One batch of {@code inFlight} children of {@code /bin/true}, all exited and reaped. */
    @Benchmark
    public void spawnTrue(PeerState s) {
        s.it.runAll(TRUE, inFlight);
    }
}
