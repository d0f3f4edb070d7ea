package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13: no SIGCHLD lost on the signal path. 1,000 real children exit one after another, each as soon as
 * it is spawned, so their SIGCHLDs arrive spread over the whole run, racing the dispatch thread's reads and
 * takes; Safe and Fast must report every exit exactly once. On the native path (the default) the whole storm
 * starts no thread per signal: the JVM path would start one per delivery.
 */
class SignalStormTest {
    private static final int CHILDREN = 1_000;
    private static final int BATCH = 100;

    static Stream<Arguments> watchers() {
        return Stream.<Supplier<ChildWatcher>>of(SafeChildWatcher::new, FastChildWatcher::new)
                .map(s -> Arguments.of(s.get().getClass().getSimpleName(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("watchers")
    void everyExitOfAThousandIsReportedExactlyOnce(String name, Supplier<ChildWatcher> factory) {
        ChildWatcher watcher = factory.get();
        ExitRecorder exits = new ExitRecorder();
        List<Long> pids = new ArrayList<>(CHILDREN);
        long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        try (LoopThread loopThread = LoopThread.recordingErrors()) {
            loopThread.run(() -> watcher.attachLoop(loopThread.loop()));
            for (int batch = 0; batch < CHILDREN; batch += BATCH) {
                loopThread.run(() -> {
                    for (int i = 0; i < BATCH; i++) {
                        SpawnScope scope = watcher.spawning();
                        try {
                            long pid = TestChildren.exiting(3);
                            pids.add(pid);
                            watcher.addChildHandler(pid, exits);
                        } finally {
                            scope.close();
                        }
                    }
                });
            }
            exits.awaitTotal(CHILDREN);
            loopThread.roundTrip();
            for (long pid : pids) {
                assertEquals(List.of(3), exits.codes(pid), "pid " + pid);
            }
            assertEquals(CHILDREN, exits.total(), "each exit delivered exactly once");
            assertEquals(List.of(), ProcessTable.children(), "zombies left");
            long threads = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - started;
            if (System.getProperty("org.asyncio4j.signals") == null) {
                assertTrue(threads < 50, threads + " threads started during a storm of " + CHILDREN + " exits");
            }
        } finally {
            // only the unreported ones: a reaped pid may already belong to another process
            pids.stream().filter(pid -> exits.codes(pid).isEmpty()).forEach(TestChildren::killAndReap);
            watcher.close();
        }
    }
}
