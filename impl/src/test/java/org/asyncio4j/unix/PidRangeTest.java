package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.support.LoopThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pids a kernel cannot give are refused by every watcher, naming the pid (issue 8, item 2): a long such as
 * {@code 2^32 + p} used to be truncated to {@code p} (or {@code 0xFFFFFFFF} to {@code -1}), so the watcher
 * reaped another owner's child. Each case holds a real zombie child {@code p} and checks that it is still
 * there afterwards, with its own status, for its real owner (except with Fast, which reaps every child
 * anyway, so the witness would be gone whatever it does with the pid).
 */
class PidRangeTest {
    private final LoopThread loopThread = LoopThread.recordingErrors();
    private ChildWatcher watcher;

    @AfterEach
    void close() {
        try {
            if (watcher != null) {
                loopThread.run(watcher::close);
            }
        } finally {
            loopThread.close();
        }
    }

    static Stream<Arguments> watchers() {
        return Stream.<Supplier<ChildWatcher>>of(SafeChildWatcher::new, FastChildWatcher::new, ThreadedChildWatcher::new,
                        MultiLoopChildWatcher::new, PidfdChildWatcher::new)
                .map(s -> Arguments.of(s.get().getClass().getSimpleName(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("watchers")
    @DisplayName("issue 8 pids outside 1..pid_max-1 are refused with IllegalArgumentException and reap nothing")
    void outOfRangePidsAreRefused(String name, Supplier<ChildWatcher> factory) {
        watcher = factory.get();
        loopThread.run(() -> watcher.attachLoop(loopThread.loop()));
        boolean reapsEveryChild = watcher instanceof FastChildWatcher; // its own sweep takes the child: no witness
        long child = reapsEveryChild ? 4242 : TestChildren.exiting(7);
        try {
            if (!reapsEveryChild) {
                TestChildren.awaitZombie(child);
            }
            long pidMax = Long.parseLong(read("/proc/sys/kernel/pid_max"));
            assertTrue(pidMax > child, "pid_max " + pidMax + " read wrongly");
            for (long bogus : List.of((1L << 32) + child, 0xFFFFFFFFL, 1L << 32, 0L, -1L, -child, pidMax,
                    Long.MAX_VALUE, Long.MIN_VALUE)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loopThread.run(() -> {
                    SpawnScope scope = watcher.spawning();
                    try {
                        watcher.addChildHandler(bogus, (pid, rc) -> { throw new AssertionError("called for " + pid); });
                    } finally {
                        scope.close();
                    }
                }), name + " accepted pid " + bogus);
                assertTrue(e.getMessage().contains("got " + bogus), e.getMessage());
            }
            loopThread.roundTrip();
            assertTrue(reapsEveryChild || TestChildren.isZombie(child), "the child was reaped by " + name);
        } finally {
            if (!reapsEveryChild) {
                assertEquals(7, TestChildren.reap(child), "the child's owner still gets its status");
            }
        }
    }

    private static String read(String path) {
        try {
            return Files.readAllLines(Path.of(path)).get(0).trim();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
