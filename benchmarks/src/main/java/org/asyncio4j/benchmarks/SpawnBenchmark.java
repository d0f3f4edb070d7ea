package org.asyncio4j.benchmarks;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.Subprocess;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.SpawnRequest;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.PidfdChildWatcher;
import org.asyncio4j.unix.SafeChildWatcher;
import org.asyncio4j.unix.SelectorEventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spawning {@code /bin/true} and waiting for its exit, per second, three ways. JMH runs each benchmark
 * method in a JVM of its own ({@code @Fork(1)}; never run these with {@code -f 0}): a JDK {@link Process}
 * must not share a JVM with a watcher that reaps with {@code waitpid(-1)}, and whether
 * {@code java.lang.ProcessImpl} was initialised changes SIGCHLD handling.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SpawnBenchmark {
    private static final List<String> TRUE = List.of("/bin/true");

    /**
     * A loop in the benchmark thread with the watcher {@code subprocessExec} uses: Pidfd where the kernel
     * allows it (no SIGCHLD, no thread: the exit wakes epoll), else Safe.
     */
    @State(Scope.Thread)
    public static class LoopState {
        EventLoop loop;
        ChildWatcher watcher;

        @Setup(Level.Trial)
        public void open() {
            loop = new SelectorEventLoop();
            watcher = PidfdChildWatcher.isSupported() ? new PidfdChildWatcher() : new SafeChildWatcher();
            watcher.attachLoop(loop);
            EventLoops.setChildWatcher(watcher);
        }

        @TearDown(Level.Trial)
        public void close() {
            EventLoops.setChildWatcher(null); // closes the watcher
            loop.close();
        }
    }

    /**
     * asyncio4j: {@code loop.subprocessExec("/bin/true")} until its exit callback completed {@code onExit()}.
     * Secondary metric: the loop thread's CPU time per spawn ({@link ThreadCpu}).
     */
    @Benchmark
    public int subprocessExec(LoopState s, ThreadCpu cpu) {
        long started = cpu.start();
        Subprocess p = s.loop.runUntilComplete(s.loop.subprocessExec(TRUE, null));
        try {
            return s.loop.runUntilComplete(p.onExit());
        } finally {
            p.close();
            cpu.stop(started, 1);
        }
    }

    /** The JDK: {@code ProcessBuilder.start().waitFor()}. */
    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return new ProcessBuilder(TRUE).start().waitFor();
    }

    /** The native binding alone: {@code posix_spawnp} then a blocking {@code waitpid(pid, 0)}. */
    @State(Scope.Thread)
    public static class RawState {
        final Posix posix = Posix.get();
        final SpawnRequest request = SpawnRequest.builder(TRUE).build();
    }

    /**
     * Raw posix_spawn + waitpid through asyncio4j's binding: the ceiling for subprocessExec. Secondary metric:
     * the thread's CPU time per spawn ({@link ThreadCpu}).
     */
    @Benchmark
    public long rawPosixSpawn(RawState s, ThreadCpu cpu) {
        long started = cpu.start();
        long rc = s.posix.waitpid(s.posix.spawn(s.request), 0);
        cpu.stop(started, 1);
        return rc;
    }
}
