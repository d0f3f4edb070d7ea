package org.asyncio4j.benchmarks.sockets;

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
 * TCP echo throughput on loopback: an operation is one round in which each of {@code connections} clients
 * writes {@link #DEPTH} messages of {@code size} bytes at once and receives them all back from the echo server.
 * Messages per second are {@code ops/s x connections x DEPTH}; the report derives them and MiB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class EchoSocketsBenchmark {
    /** Messages each connection has in flight in a round: the pipelining depth. */
    public static final int DEPTH = 8;

    /** The library: asyncio4j's selector or proactor loop, or Netty's epoll transport. */
    @Param({"asyncio4j-selector", "asyncio4j-proactor", "netty-epoll"})
    public String peer;

    /** Bytes in a message. */
    @Param({"1024", "65536"})
    public int size;

    /** Client connections, each with {@link #DEPTH} messages in flight. */
    @Param({"1", "100"})
    public int connections;

    private SocketPeer it;

    /** Starts the server and connects the clients. */
    @Setup(Level.Trial)
    public void open() {
        it = SocketPeer.open(peer, size, connections);
    }

    /** Closes every connection and stops the peer's threads. */
    @TearDown(Level.Trial)
    public void close() {
        if (it != null) {
            it.close();
        }
    }

    /** One round of {@link #DEPTH} messages on every connection, all echoed back. */
    @Benchmark
    public void echo() {
        it.echo(DEPTH);
    }
}
