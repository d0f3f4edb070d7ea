package org.asyncio4j.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.internal.posix.EpollEvents;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixBackends;
import org.asyncio4j.internal.posix.SpawnRequest;
import org.asyncio4j.internal.posix.WaitResult;
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
 * The cost of one call through the libc seam, per backend side by side: {@code jnr} (jnr-ffi, every Java)
 * and {@code ffm} (the JDK's {@code java.lang.foreign}, Java 22+; on older JDKs run with
 * {@code -p backend=jnr}). Each call is the seam's whole method: errno check, EINTR loop, packing.
 *
 * <p>On Java 23+ run JMH with {@code --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow}
 * (the forks inherit the flags) so that neither backend prints warnings.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class NativeCallBenchmark {
    private static final SpawnRequest TRUE = SpawnRequest.builder(List.of("/bin/true")).build();

    /** The backend under test. */
    @Param({PosixBackends.JNR, PosixBackends.FFM})
    public String backend;

    private Posix posix;
    private long child;
    private int childStdin;
    private int ep;
    private int efd;
    private EpollEvents events;

    /**
     * Opens an empty epoll set, an eventfd and a live child: {@code cat} reading a pipe that only this JVM
     * holds, so it ends with the JVM even if the JVM is killed.
     */
    @Setup(Level.Trial)
    public void open() {
        posix = PosixBackends.named(backend);
        int[] pipe = posix.pipe();
        int devNull = posix.open("/dev/null", true);
        try {
            child = posix.spawn(SpawnRequest.builder(List.of("cat")).stdin(pipe[0]).stdout(devNull).build());
        } finally {
            posix.close(pipe[0]);
            posix.close(devNull);
        }
        childStdin = pipe[1];
        ep = posix.epollCreate();
        efd = posix.eventfd();
        events = new EpollEvents(8);
    }

    /** Closes the descriptors; the child sees end of file, exits and is reaped. */
    @TearDown(Level.Trial)
    public void close() {
        posix.close(efd);
        posix.close(ep);
        posix.close(childStdin);
        posix.waitpid(child, 0);
    }

    /** {@code waitpid(child, WNOHANG)} on a child that is still running: 0. */
    @Benchmark
    public long waitpidWnohang() {
        return posix.waitpid(child, Posix.WNOHANG);
    }

    /** {@code epoll_wait} with timeout 0 on a set with nothing ready. */
    @Benchmark
    public int epollWaitTimeout0() {
        return posix.epollWait(ep, events, 0);
    }

    /** {@code eventfd_write(efd, 1)}: a loop's wake-up. */
    @Benchmark
    public void eventfdWrite() {
        posix.eventfdSignal(efd);
    }

    /** {@code posix_spawnp("/bin/true")} then a blocking {@code waitpid} for it. */
    @Benchmark
    public int spawnTrueAndReap() {
        long pid = posix.spawn(TRUE);
        return WaitResult.status(posix.waitpid(pid, 0));
    }
}
