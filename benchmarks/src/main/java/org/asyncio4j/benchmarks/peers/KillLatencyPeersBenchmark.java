package org.asyncio4j.benchmarks.peers;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
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
 * Kill → exit notification: SIGKILL to one idle child while {@code others} more are alive, until the
 * library reports its exit to the benchmark thread (asyncio4j: {@code onExit()} completed on the loop run in
 * that thread; NuProcess: its {@code onExit} handler; the JDK: {@code waitFor()} returns). The victim is
 * always the oldest child; it is replaced after each sample, outside the timing. The peer is this state's own
 * (not an injected {@link PeerState}: JMH 1.37 made one instance of it per fixture method that takes it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class KillLatencyPeersBenchmark {
    /** As {@link PeerState#peer}. */
    @Param({"asyncio4j-safe", "asyncio4j-pidfd", "nuprocess", "processbuilder"})
    public String peer;

    /** Children alive besides the one killed. */
    @Param({"1", "100", "1000"})
    public int others;

    private final ArrayDeque<Peer.IdleChild> children = new ArrayDeque<>();
    private Peer it;
    private Peer.IdleChild victim;

    /** Opens the peer and starts {@code others + 1} idle children. */
    @Setup(Level.Trial)
    public void spawnChildren() {
        if (others < 1 || others > 9_999) {
            throw new IllegalArgumentException("others must be in 1..9999, got " + others);
        }
        it = Peer.named(peer);
        for (int i = 0; i <= others; i++) {
            children.add(it.spawnIdle());
        }
    }

    /** Kills and reaps every child, and releases the peer. */
    @TearDown(Level.Trial)
    public void close() {
        if (it != null) {
            it.close();
        }
    }

    /** Takes the oldest child as the victim. */
    @Setup(Level.Invocation)
    public void pickVictim() {
        victim = children.poll();
    }

    /** kill → exit notification. */
    @Benchmark
    public int killToExit() {
        victim.kill();
        return victim.awaitExit();
    }

    /** Replaces the victim with a new idle child. */
    @TearDown(Level.Invocation)
    public void replace() {
        children.add(it.spawnIdle());
    }
}
