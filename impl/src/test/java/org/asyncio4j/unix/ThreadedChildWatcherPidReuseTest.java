package org.asyncio4j.unix;

import static org.asyncio4j.unix.ScriptedWaiter.exited;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.asyncio4j.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link ThreadedChildWatcher} and a pid reused between a waiting thread's {@code waitpid} and its bookkeeping
 * (issue 8, item 5). The window is a few instructions wide and pid reuse on demand is not possible with real
 * processes, so the OS is faked: the scripted waitpid stands for the kernel, a gate holds the waiting thread
 * inside the window, and a table of start times stands for {@code /proc/<pid>/stat}.
 */
class ThreadedChildWatcherPidReuseTest {
    private static final long PID = 77;

    private final ScriptedWaiter script = new ScriptedWaiter();
    private final CountDownLatch inWindow = new CountDownLatch(1);
    private final CountDownLatch leaveWindow = new CountDownLatch(1);
    /** Holds the first waitpid that returns for PID between the kernel's reap and the watcher's bookkeeping. */
    private final ChildWaiter windowed = new ChildWaiter() {
        private volatile boolean held;

        @Override
        public long waitpid(long pid, int options) {
            long result = script.waitpid(pid, options);
            if (pid == PID && !held) {
                held = true;
                inWindow.countDown();
                Loops.await(leaveWindow, "the test to end the window");
            }
            return result;
        }

        @Override
        public int pidfdOpen(long pid) {
            throw new UnsupportedOperationException();
        }
    };
    private final Map<Long, Long> startTimes = new ConcurrentHashMap<>();
    private final ThreadedChildWatcher watcher =
            new ThreadedChildWatcher(windowed, pid -> startTimes.getOrDefault(pid, StartTimes.UNKNOWN));
    private final LoopThread loopThread = LoopThread.recordingErrors();
    private final LogCapture logs = LogCapture.loop();

    @AfterEach
    void close() {
        try {
            leaveWindow.countDown();
            watcher.close();
            loopThread.close();
        } finally {
            logs.close();
        }
    }

    @Test
    @DisplayName("issue 8 a pid reused inside the window: the old handler gets the old status, the new child its own waiter")
    void pidReusedBetweenReapAndBookkeeping() {
        ExitRecorder first = new ExitRecorder();
        ExitRecorder second = new ExitRecorder();
        script.setRunning(true);
        startTimes.put(PID, 100L);
        loopThread.run(() -> watcher.addChildHandler(PID, first));
        script.addZombie(PID, exited(3));            // the first child exits; its waiter reaps it ...
        Loops.await(inWindow, "the waiting thread to reap the first child");
        startTimes.put(PID, 200L);                   // ... and the kernel hands the pid to a new child
        loopThread.run(() -> watcher.addChildHandler(PID, second));
        leaveWindow.countDown();
        assertEquals(3, first.await(PID));
        script.addZombie(PID, exited(4));            // the new child exits
        assertEquals(4, second.await(PID));
        TestChildren.awaitNoWaitpidThreads();
        loopThread.roundTrip();
        assertEquals(List.of(3), first.codes(PID));
        assertEquals(List.of(4), second.codes(PID));
        assertEquals(List.of(), logs.loopWarnings());
    }

    @Test
    @DisplayName("§11.7 the same child registered twice (same start time) still has one waiter, and only the second handler is told")
    void sameChildRegisteredTwice() {
        ExitRecorder first = new ExitRecorder();
        ExitRecorder second = new ExitRecorder();
        script.setRunning(true);
        startTimes.put(PID, 100L);
        loopThread.run(() -> watcher.addChildHandler(PID, first));
        loopThread.run(() -> watcher.addChildHandler(PID, second));
        assertEquals(1, watcher.waitingThreadCount());
        leaveWindow.countDown();
        script.addZombie(PID, exited(5));
        assertEquals(5, second.await(PID));
        TestChildren.awaitNoWaitpidThreads();
        loopThread.roundTrip();
        assertEquals(0, first.total());
    }
}
