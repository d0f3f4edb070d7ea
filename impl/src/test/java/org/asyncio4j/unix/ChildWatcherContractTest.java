package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.WaitResult;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.testing.LogCapture;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the conformance kit cannot check of the five reference watchers, proved with real children started by
 * {@code posix_spawn} inside {@link ChildWatcher#spawning()}, real signals and a real {@link SelectorEventLoop}
 * running in a thread of its own: a 2,000-child storm under the leak checks, a detach and re-attach, stopped and
 * continued children, and the JDK's own {@code Process} beside the watcher. The shared contract (return codes,
 * replace, remove, early exits, throwing callbacks, close) is the kit's, run on all five watchers by
 * {@code conformance/src/test/.../reference}. One subclass per watcher supplies the factory and says where that
 * watcher legitimately differs.
 */
abstract class ChildWatcherContractTest {
    /** How a watcher treats its registrations across {@code attachLoop(null)} and a re-attach. */
    enum Detach {
        /** Safe, Fast: registrations kept, exits while detached reported inside the re-attach (WCH-18). */
        REPORTED_AT_REATTACH,
        /** Pidfd: every registration dropped (PFD-06). */
        DROPS_REGISTRATIONS,
        /** Threaded, MultiLoop: attachLoop has no effect on registrations (THR-05, MLW-02). */
        UNAFFECTED
    }

    static final int STORM = 2_000;

    LoopThread loopThread;
    ChildWatcher watcher;
    private final List<Long> started = new ArrayList<>();

    /** A new watcher of the kind under test. */
    abstract ChildWatcher createWatcher();

    abstract Detach detachBehaviour();

    /** Waits until the watcher has nothing in flight (Threaded: its waiting threads ended). */
    void awaitIdle() {}

    @BeforeEach
    void startLoopAndWatcher() {
        loopThread = LoopThread.recordingErrors();
        watcher = createWatcher();
        loopThread.run(() -> watcher.attachLoop(loopThread.loop()));
    }

    @AfterEach
    void closeAndReap() {
        try {
            loopThread.run(watcher::close);
            for (long pid : started) {
                reapIfStillOurs(pid);
            }
        } finally {
            loopThread.close();
        }
    }

    /** Kills and reaps {@code pid} if it is still an unreaped child of ours (waitpid never touches others). */
    private static void reapIfStillOurs(long pid) {
        try {
            if (WaitResult.pid(TestChildren.POSIX.waitpid(pid, Posix.WNOHANG)) == 0) {
                TestChildren.killAndReap(pid);
            }
        } catch (PosixException e) {
            if (e.errno() != PosixException.ECHILD) {
                throw e;
            }
        }
    }

    /** Spawns {@code argv} and registers {@code handler} inside one spawn window, on the loop thread. */
    long startWatched(ChildHandler handler, String... argv) {
        long pid = loopThread.call(() -> {
            try (SpawnScope scope = watcher.spawning()) {
                long p = TestChildren.spawn(argv);
                started.add(p);
                watcher.addChildHandler(p, handler);
                return p;
            }
        });
        return pid;
    }

    /** Same, with the child's stdin read from {@code stdinFd}. */
    long startWatchedReading(int stdinFd, ChildHandler handler, String... argv) {
        return loopThread.call(() -> {
            try (SpawnScope scope = watcher.spawning()) {
                long p = TestChildren.spawnReading(stdinFd, argv);
                started.add(p);
                watcher.addChildHandler(p, handler);
                return p;
            }
        });
    }

    /**
     * Makes sure everything the watcher could still deliver has been delivered: a sentinel child started
     * after the events under test is watched to its exit, then the loop's queue is drained.
     */
    void settle() {
        awaitIdle();
        settleWhileChildrenRun();
        awaitIdle();
        loopThread.roundTrip();
    }

    /** {@link #settle()} for when a watched child is still running (and a Threaded waiting thread with it). */
    void settleWhileChildrenRun() {
        ExitRecorder sentinel = new ExitRecorder();
        long pid = startWatched(sentinel, "/bin/true");
        assertEquals(0, sentinel.await(pid));
        loopThread.roundTrip();
    }

    // ----- single exits -------------------------------------------------------------------------

    // ----- the storm ----------------------------------------------------------------------------

    @Test
    @DisplayName("WCH-10 SAFE-01 FAST-01 RACE-11 2,000 children exiting together: every callback exactly once, no zombie left")
    void stormOfChildrenExitingTogether() {
        int[] pipe = TestChildren.POSIX.pipe();
        ExitRecorder exits = new ExitRecorder();
        List<Long> pids = new ArrayList<>(STORM);
        try {
            for (int i = 0; i < STORM; i++) {
                // every child blocks reading the same pipe: closing its write end ends them all at once
                pids.add(startWatchedReading(pipe[0], exits, "/bin/cat"));
            }
        } finally {
            TestChildren.POSIX.close(pipe[0]);
            TestChildren.POSIX.close(pipe[1]);
        }
        exits.awaitTotal(STORM);
        settle();
        assertEquals(STORM, exits.all().size(), "one entry per storm child");
        for (long pid : pids) {
            assertEquals(List.of(0), exits.codes(pid), "pid " + pid);
        }
        assertEquals(List.of(), ProcessTable.children(), "zombies left");
    }

    // ----- replacing and removing handlers ------------------------------------------------------

    // ----- exit before registration -------------------------------------------------------------

    // ----- a callback that throws ---------------------------------------------------------------

    // ----- close --------------------------------------------------------------------------------

    // ----- detach and re-attach -----------------------------------------------------------------

    @Test
    @DisplayName("WCH-04 WCH-17 WCH-18 RACE-14 PFD-06 attachLoop(null) then re-attach")
    void detachAndReattach() {
        ExitRecorder exits = new ExitRecorder();
        long pid = startWatched(exits, "/bin/sleep", "1000");
        try (LogCapture logs = LogCapture.loop()) {
            loopThread.run(() -> watcher.attachLoop(null));
            List<String> expected = detachBehaviour() == Detach.UNAFFECTED ? List.of()
                    : List.of("RuntimeWarning: A loop is being detached from a child watcher with pending handlers");
            assertEquals(expected, logs.runtimeWarnings());
        }
        TestChildren.kill(pid, Signals.SIGKILL);
        switch (detachBehaviour()) {
            case REPORTED_AT_REATTACH: {
                TestChildren.awaitZombie(pid);
                loopThread.roundTrip();
                assertEquals(List.of(), exits.codes(pid), "nothing is reported while detached");
                boolean reportedInsideAttach = loopThread.call(() -> {
                    watcher.attachLoop(loopThread.loop());
                    return !exits.codes(pid).isEmpty();
                });
                assertTrue(reportedInsideAttach, "the re-attach sweep reports the exit synchronously");
                break;
            }
            case DROPS_REGISTRATIONS: {
                loopThread.run(() -> watcher.attachLoop(loopThread.loop()));
                TestChildren.awaitZombie(pid);
                settle();
                assertEquals(List.of(), exits.codes(pid), "registrations are dropped by the detach");
                assertEquals(-9, TestChildren.reap(pid));
                return;
            }
            default:
                loopThread.run(() -> watcher.attachLoop(loopThread.loop()));
        }
        assertEquals(-9, exits.await(pid));
        settle();
        assertEquals(List.of(-9), exits.codes(pid));
        assertTrue(TestChildren.isGone(pid));
    }

    // ----- stop and continue --------------------------------------------------------------------

    @Test
    @DisplayName("RACE-13 a stopped then continued child is not reported until it really exits")
    void stoppedAndContinuedAreNotExits() {
        ExitRecorder exits = new ExitRecorder();
        long pid = startWatched(exits, "/bin/sleep", "1000");
        TestChildren.kill(pid, Signals.SIGSTOP);
        TestChildren.await("pid " + pid + " stopped", () -> TestChildren.state(pid) == 'T');
        settleWhileChildrenRun();
        TestChildren.kill(pid, Signals.SIGCONT);
        TestChildren.await("pid " + pid + " continued", () -> TestChildren.state(pid) != 'T');
        settleWhileChildrenRun();
        assertEquals(List.of(), exits.codes(pid), "stop and continue are not exits");
        TestChildren.kill(pid, Signals.SIGKILL);
        assertEquals(-9, exits.await(pid));
        settle();
        assertEquals(List.of(-9), exits.codes(pid));
    }

    // ----- the JDK's own processes --------------------------------------------------------------

    /** Whether the watcher's {@code waitpid(-1)} may take the status of a {@link Process} child (Fast). */
    boolean mayStealJdkChildren() {
        return false;
    }

    /**
     * SIGCHLD survives {@code java.lang.Process} and {@code System.getenv()} (which reset it on JDK 17 and
     * JDK 25 when {@code ProcessImpl} initialises late), and the watcher leaves a JDK child's status to the
     * JDK: {@code waitFor()} returns the real code. Fast is the exception, checked in its own test.
     */
    @Test
    @DisplayName("WCH-12 FAST-12 java.lang.Process and System.getenv() leave the watcher working")
    void jdkProcessAndEnvironmentReads() throws Exception {
        ExitRecorder exits = new ExitRecorder();
        long before = startWatched(exits, "/bin/sleep", "1000");
        Process jdkChild = new ProcessBuilder("/bin/sh", "-c", "exit 5").start();
        int jdkCode = jdkChild.waitFor();
        assertFalse(System.getenv().isEmpty());
        System.getenv("PATH");
        if (!mayStealJdkChildren()) {
            assertEquals(5, jdkCode, "the watcher must not reap the JDK's child");
        }
        if (watcherNeedsSigchld()) {
            assertTrue(sigchldCaught(), "SIGCHLD still caught after ProcessBuilder.start() and System.getenv()");
        }
        TestChildren.kill(before, Signals.SIGKILL);
        assertEquals(-9, exits.await(before));
        ExitRecorder after = new ExitRecorder();
        long pid = startWatched(after, "/bin/sh", "-c", "exit 6");
        assertEquals(6, after.await(pid));
        settle();
        assertEquals(List.of(-9), exits.codes(before));
        assertEquals(List.of(6), after.codes(pid));
    }

    /** Whether the watcher learns of exits through SIGCHLD (Safe, Fast, MultiLoop). */
    boolean watcherNeedsSigchld() {
        return false;
    }

    /** SigCgt of /proc/self/status has SIGCHLD. */
    static boolean sigchldCaught() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigCgt:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (mask & (1L << (Signals.SIGCHLD - 1))) != 0;
            }
        }
        throw new IllegalStateException("no SigCgt in /proc/self/status");
    }

}
