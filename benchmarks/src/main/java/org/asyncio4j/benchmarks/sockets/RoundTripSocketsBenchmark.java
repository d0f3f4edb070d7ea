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
 * TCP round-trip latency on loopback: one connection, one message of {@code size} bytes in flight, from the
 * benchmark thread's request until it has heard that the whole echo came back (SampleTime: the report reads
 * p50 and p99 of each iteration from JMH's histogram).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class RoundTripSocketsBenchmark {
    /** The library: asyncio4j's selector or proactor loop, or Netty's epoll transport. */
    @Param({"asyncio4j-selector", "asyncio4j-proactor", "netty-epoll"})
    public String peer;

    /** Bytes in the message. */
    @Param({"1024", "65536"})
    public int size;

    private SocketPeer it;

    /** Starts the server and connects one client. */
    @Setup(Level.Trial)
    public void open() {
        it = SocketPeer.open(peer, size, 1);
    }

    /** Closes the connection and stops the peer's threads. */
    @TearDown(Level.Trial)
    public void close() {
        if (it != null) {
            it.close();
        }
    }

    /** One message out and back. */
    @Benchmark
    public void roundTrip() {
        it.echo(1);
    }
}
