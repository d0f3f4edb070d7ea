package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of one SIGCHLD, as counts of {@code waitpid} calls, never as time: with n = 200 live registered
 * children and one exit, Safe and MultiLoop make n calls per sweep and Fast two (the exit, then 0).
 * Real children, the real waitpid behind a counting decorator; the loop is attached but not running, so the
 * only sweep is the one the test calls. The same counts reach JFR as {@code org.asyncio4j.unix.ChildWatcherSweep}.
 */
class ChildWatcherSweepCostTest {
    private static final int N = 200;

    @TempDir
    Path tmp;

    private final CountingWaiter counting = new CountingWaiter();
    private final SelectorEventLoop loop = new SelectorEventLoop();
    private final ExitRecorder exits = new ExitRecorder();
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void reapAll() {
        for (long pid : pids) {
            if (!exits.all().containsKey(pid)) {
                TestChildren.killAndReap(pid);
            }
        }
        loop.close();
        assertEquals(List.of(), ProcessTable.children());
    }

    private void startChildren(ChildWatcher watcher) {
        for (int i = 0; i < N; i++) {
            try (SpawnScope scope = watcher.spawning()) {
                long pid = TestChildren.sleeper();
                pids.add(pid);
                watcher.addChildHandler(pid, exits);
            }
        }
    }

    /** Kills the first child and waits until the kernel has made it a zombie. */
    private long killOne() {
        long victim = pids.get(0);
        TestChildren.kill(victim, Signals.SIGKILL);
        TestChildren.awaitZombie(victim);
        counting.waitpidCalls.set(0);
        return victim;
    }

    @Test
    @DisplayName("SAFE-01 Safe: exactly n waitpid calls per sweep with n registered children")
    void safeMakesNCalls() throws Exception {
        SafeChildWatcher safe = new SafeChildWatcher(counting);
        safe.attachLoop(loop);
        try {
            startChildren(safe);
            long victim = killOne();
            try (Recording recording = new Recording()) {
                recording.enable("org.asyncio4j.unix.ChildWatcherSweep");
                recording.start();
                safe.sweep();
                recording.stop();
                assertEquals(N, counting.waitpidCalls.get());
                assertEquals(List.of(-9), exits.codes(victim));
                List<RecordedEvent> events = RecordingFile.readAllEvents(dump(recording));
                assertEquals(1, events.size(), events::toString);
                RecordedEvent e = events.get(0);
                assertEquals(SafeChildWatcher.class.getName(), e.getString("watcher"));
                assertEquals(N, e.getInt("registered"));
                assertEquals(N, e.getInt("waitpidCalls"));
                assertEquals(1, e.getInt("exitsReaped"));
            }
        } finally {
            safe.close();
        }
    }

    @Test
    @DisplayName("FAST-01 Fast: at most 2 waitpid calls per sweep for one exit, whatever n")
    void fastMakesTwoCalls() throws Exception {
        FastChildWatcher fast = new FastChildWatcher(counting);
        fast.attachLoop(loop);
        try {
            startChildren(fast);
            long victim = killOne();
            try (Recording recording = new Recording()) {
                recording.enable("org.asyncio4j.unix.ChildWatcherSweep");
                recording.start();
                fast.sweep();
                recording.stop();
                assertEquals(2, counting.waitpidCalls.get(), "the exit, then 0");
                assertEquals(List.of(-9), exits.codes(victim));
                RecordedEvent e = RecordingFile.readAllEvents(dump(recording)).get(0);
                assertEquals(FastChildWatcher.class.getName(), e.getString("watcher"));
                assertEquals(N, e.getInt("registered"));
                assertEquals(2, e.getInt("waitpidCalls"));
                assertEquals(1, e.getInt("exitsReaped"));
            }
        } finally {
            fast.close();
        }
    }

    @Test
    @DisplayName("MLW-06 MultiLoop: exactly n waitpid calls per sweep, like Safe")
    void multiLoopMakesNCalls() throws Exception {
        MultiLoopChildWatcher multi = new MultiLoopChildWatcher(counting);
        // not attached: no real SIGCHLD handler, so the test's sweep is the only one
        try (LoopThread loopThread = LoopThread.recordingErrors()) {
            for (int i = 0; i < N; i++) {
                long pid = TestChildren.sleeper();
                pids.add(pid);
                loopThread.run(() -> multi.addChildHandler(pid, exits));
            }
            long victim = killOne();
            try (Recording recording = new Recording()) {
                recording.enable("org.asyncio4j.unix.ChildWatcherSweep");
                recording.start();
                multi.sweep();
                recording.stop();
                assertEquals(N, counting.waitpidCalls.get());
                assertEquals(-9, exits.await(victim));
                RecordedEvent e = RecordingFile.readAllEvents(dump(recording)).get(0);
                assertEquals(MultiLoopChildWatcher.class.getName(), e.getString("watcher"));
                assertEquals(N, e.getInt("waitpidCalls"));
                assertEquals(1, e.getInt("exitsReaped"));
            }
            multi.close();
        }
    }

    @Test
    @DisplayName("SAFE-01 no event is committed while no recording enables it, and the sweep still counts")
    void noRecordingNoEvent() throws Exception {
        SafeChildWatcher safe = new SafeChildWatcher(counting);
        safe.attachLoop(loop);
        try (Recording other = new Recording()) {
            other.enable("jdk.ThreadStart"); // a recording runs, but without our event
            other.start();
            startChildren(safe);
            killOne();
            safe.sweep();
            other.stop();
            assertEquals(N, safe.lastSweep.waitpidCalls);
            assertEquals(1, safe.lastSweep.exitsReaped);
            assertEquals(0, RecordingFile.readAllEvents(dump(other)).stream()
                    .filter(e -> e.getEventType().getName().equals("org.asyncio4j.unix.ChildWatcherSweep")).count());
        } finally {
            safe.close();
        }
    }

    private Path dump(Recording recording) throws IOException {
        Path file = tmp.resolve("sweep-" + System.nanoTime() + ".jfr");
        recording.dump(file);
        return file;
    }
}
