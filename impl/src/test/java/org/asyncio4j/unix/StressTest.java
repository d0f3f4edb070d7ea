package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoops;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reliability figures of the README (issue 8), per watcher, with real children: a storm of children that
 * all exit at once, children that exit before they are registered, and a soak of spawn + communicate cycles
 * with descriptors, threads and heap sampled. Not part of {@code mvn verify}: run with
 * {@code mvn -B -pl impl -am verify -Pstress}. Sizes come from system properties (defaults in brackets):
 * {@code stress.storm} [10000] children per storm, {@code stress.early} [2000] exit-before-registration
 * trials per watcher, {@code stress.cycles} [20000] soak cycles per watcher. Each line of results is printed
 * with the prefix {@code STRESS}.
 */
@Tag("stress")
class StressTest {
    private static final int STORM = Integer.getInteger("stress.storm", 10_000);
    private static final int EARLY = Integer.getInteger("stress.early", 2_000);
    private static final int CYCLES = Integer.getInteger("stress.cycles", 20_000);
    private static final int IN_FLIGHT = 32;

    static Stream<Arguments> watchers() {
        return Stream.<Supplier<ChildWatcher>>of(SafeChildWatcher::new, FastChildWatcher::new, ThreadedChildWatcher::new,
                        MultiLoopChildWatcher::new, PidfdChildWatcher::new)
                .map(s -> Arguments.of(s.get().getClass().getSimpleName(), s));
    }

    private static void report(String format, Object... args) {
        System.out.println("STRESS " + String.format(Locale.ROOT, format, args));
    }

    private static void attach(LoopThread loopThread, ChildWatcher watcher) {
        loopThread.run(() -> watcher.attachLoop(loopThread.loop()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("watchers")
    void storm(String name, Supplier<ChildWatcher> factory) {
        ChildWatcher watcher = factory.get();
        ExitRecorder exits = new ExitRecorder();
        int[] gate = TestChildren.POSIX.pipe();
        List<Long> pids = new ArrayList<>(STORM);
        try (LoopThread loopThread = LoopThread.recordingErrors()) {
            attach(loopThread, watcher);
            long t0 = System.nanoTime();
            for (int batch = 0; batch < STORM; batch += 500) {
                int n = Math.min(500, STORM - batch);
                loopThread.run(() -> {
                    for (int i = 0; i < n; i++) {
                        SpawnScope scope = watcher.spawning();
                        try {
                            long pid = TestChildren.spawnReading(gate[0], "/bin/sh", "-c", "read x; exit 3");
                            pids.add(pid);
                            watcher.addChildHandler(pid, exits);
                        } finally {
                            scope.close();
                        }
                    }
                });
            }
            double spawnSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            TestChildren.POSIX.close(gate[1]); // every child exits now
            gate[1] = -1;
            exits.awaitTotal(STORM);
            double drainSeconds = (System.nanoTime() - t1) / 1e9;
            loopThread.roundTrip();
            for (long pid : pids) {
                assertEquals(List.of(3), exits.codes(pid), "pid " + pid);
            }
            assertEquals(STORM, exits.total(), "each exit delivered exactly once");
            assertEquals(List.of(), ProcessTable.children(), "zombies left");
            report("storm %-22s %,d of %,d exits delivered once, 0 zombies; spawned+registered in %.1f s, all exits delivered %.2f s after the release",
                    name, exits.total(), STORM, spawnSeconds, drainSeconds);
        } finally {
            TestChildren.POSIX.close(gate[0]);
            if (gate[1] >= 0) {
                TestChildren.POSIX.close(gate[1]);
            }
            pids.forEach(TestChildren::killAndReap);
            watcher.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("watchers")
    void exitBeforeRegistration(String name, Supplier<ChildWatcher> factory) {
        ChildWatcher watcher = factory.get();
        ExitRecorder exits = new ExitRecorder();
        try (LoopThread loopThread = LoopThread.recordingErrors()) {
            attach(loopThread, watcher);
            long t0 = System.nanoTime();
            int batchSize = 100;
            for (int done = 0; done < EARLY; done += batchSize) {
                int n = Math.min(batchSize, EARLY - done);
                long[] pids = new long[n];
                SpawnScope scope = loopThread.call(watcher::spawning); // Fast buffers exits inside its window
                try {
                    for (int i = 0; i < n; i++) {
                        pids[i] = TestChildren.spawn("/bin/sh", "-c", "exit " + (i % 100));
                    }
                    for (long pid : pids) {
                        TestChildren.await("pid " + pid + " to exit", () -> !isAlive(pid));
                    }
                    loopThread.run(() -> {
                        for (long pid : pids) {
                            watcher.addChildHandler(pid, exits);
                        }
                    });
                } finally {
                    loopThread.run(scope::close);
                }
                exits.awaitTotal(done + n);
                for (int i = 0; i < n; i++) {
                    assertEquals(List.of(i % 100), exits.codes(pids[i]), "pid " + pids[i]);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            loopThread.roundTrip();
            assertEquals(EARLY, exits.total());
            assertEquals(List.of(), ProcessTable.children(), "zombies left");
            report("early %-22s %,d of %,d children that exited before registration reported once with their code, in %.1f s",
                    name, exits.total(), EARLY, seconds);
        } finally {
            watcher.close();
        }
    }

    /** Exited (zombie, or already reaped by a watcher that reaps every child) rather than still running. */
    private static boolean isAlive(long pid) {
        char state = TestChildren.state(pid);
        return state != 0 && state != 'Z';
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("watchers")
    void soak(String name, Supplier<ChildWatcher> factory) {
        ChildWatcher watcher = factory.get();
        DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();
        SelectorEventLoop loop = new SelectorEventLoop();
        EventLoops.setEventLoopPolicy(policy);
        policy.setChildWatcher(watcher);
        watcher.attachLoop(loop);
        byte[] input = "the same bytes back\n".getBytes();
        SubprocessOptions options = SubprocessOptions.builder().stdin(Redirect.PIPE).stdout(Redirect.PIPE).build();
        List<long[]> samples = new ArrayList<>();
        try {
            AsyncFuture<Void> allDone = loop.createFuture();
            AtomicInteger started = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            Runnable[] startOne = new Runnable[1];
            startOne[0] = () -> {
                started.incrementAndGet();
                AsyncFuture<Subprocess> spawned = loop.subprocessExec(List.of("/bin/cat"), options);
                spawned.addDoneCallback(s -> {
                    if (s.exception() != null) {
                        allDone.setException(s.exception());
                        return;
                    }
                    s.result().communicate(input).addDoneCallback(o -> {
                        if (o.exception() != null) {
                            if (!allDone.done()) {
                                allDone.setException(o.exception());
                            }
                            return;
                        }
                        ProcessOutput out = o.result();
                        if (out.returnCode() != 0 || !new String(out.stdout()).equals(new String(input))) {
                            if (!allDone.done()) {
                                allDone.setException(new AssertionError("cycle " + finished + ": " + out.returnCode()));
                            }
                            return;
                        }
                        int f = finished.incrementAndGet();
                        if (f % (CYCLES / 10) == 0) {
                            samples.add(sample());
                        }
                        if (f == CYCLES) {
                            allDone.setResult(null);
                        } else if (started.get() < CYCLES && !allDone.done()) {
                            startOne[0].run();
                        }
                    });
                });
            };
            samples.add(sample());
            long t0 = System.nanoTime();
            loop.callSoon(() -> {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    startOne[0].run();
                }
            });
            loop.runUntilComplete(allDone);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(List.of(), ProcessTable.children(), "zombies left");
            long[] first = samples.get(0);
            long[] last = samples.get(samples.size() - 1);
            long maxFds = samples.stream().mapToLong(s -> s[0]).max().orElseThrow();
            long maxThreads = samples.stream().mapToLong(s -> s[1]).max().orElseThrow();
            long maxHeap = samples.stream().mapToLong(s -> s[2]).max().orElseThrow();
            report("soak  %-22s %,d spawn+communicate cycles (%d in flight) in %.1f s (%.0f/s); fds %d -> %d (max %d), threads %d -> %d (max %d), heap after GC %.1f -> %.1f MiB (max %.1f)",
                    name, CYCLES, IN_FLIGHT, seconds, CYCLES / seconds, first[0], last[0], maxFds, first[1], last[1], maxThreads,
                    first[2] / 1048576.0, last[2] / 1048576.0, maxHeap / 1048576.0);
            assertTrue(last[0] <= first[0], "descriptors grew: " + first[0] + " -> " + last[0]);
            // Threaded's waiting threads and the JVM's signal-dispatch threads come and go; none may stay
            assertTrue(last[1] <= first[1] + 2, "threads grew: " + first[1] + " -> " + last[1]);
            assertTrue(maxThreads <= first[1] + IN_FLIGHT + 16, "threads peaked at " + maxThreads);
            assertTrue(last[2] <= first[2] + 32L * 1048576, "heap grew: " + first[2] + " -> " + last[2]);
        } finally {
            watcher.close();
            loop.close();
            EventLoops.setEventLoopPolicy(null);
        }
    }

    /** {descriptors open, live threads, heap used after a full GC}. */
    private static long[] sample() {
        long fds;
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            fds = entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new long[] {fds, ManagementFactory.getThreadMXBean().getThreadCount(), heap};
    }
}
