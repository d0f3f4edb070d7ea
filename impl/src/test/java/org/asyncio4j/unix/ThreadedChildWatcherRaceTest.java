package org.asyncio4j.unix;

import static org.asyncio4j.unix.ScriptedWaiter.exited;
import static org.asyncio4j.unix.ScriptedWaiter.killedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.EventLoop;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Race scenarios for {@link ThreadedChildWatcher}, replayed through the scripted waitpid (its waiting threads
 * block in the script until it answers): the OS is faked because a status collected elsewhere cannot be
 * produced on demand with real processes, and because holding a waiting thread while handlers are replaced or
 * removed needs a child that exits exactly when the test says.
 */
class ThreadedChildWatcherRaceTest {
    private final ScriptedWaiter waiter = new ScriptedWaiter();
    private final ThreadedChildWatcher watcher = new ThreadedChildWatcher(waiter);
    private final LoopThread loopThread = LoopThread.recordingErrors();
    private final ExitRecorder exits = new ExitRecorder();
    private final LogCapture logs = LogCapture.loop();

    @AfterEach
    void close() {
        try {
            watcher.close();
            loopThread.close();
        } finally {
            logs.close();
        }
    }

    private void register(long pid, ChildHandler handler) {
        loopThread.run(() -> watcher.addChildHandler(pid, handler));
    }

    private void awaitNoWaitingThreads() {
        TestChildren.awaitNoWaitpidThreads();
    }

    @Test
    @DisplayName("RACE-05 THR-03 status reaped elsewhere: 255 and 'Unknown child process pid 58, will report returncode 255'")
    void childReapedElsewhere() {
        waiter.setRunning(true);
        register(58, exits);
        waiter.reapElsewhere(58);
        assertEquals(255, exits.await(58));
        assertEquals(List.of("Unknown child process pid 58, will report returncode 255"), logs.loopWarnings());
        assertEquals("test-loop", exits.callsFor(58).get(0).thread(), "THR-04: delivered on the loop");
    }

    @Test
    @DisplayName("RACE-07 §11.7 a second registration replaces the first: one waiting thread, only (51, -8) to the second handler")
    void replacedHandler() {
        ExitRecorder first = new ExitRecorder();
        waiter.setRunning(true);
        register(51, first);
        register(51, exits);
        assertEquals(1, watcher.waitingThreadCount());
        waiter.addZombie(51, killedBy(8));
        assertEquals(-8, exits.await(51));
        awaitNoWaitingThreads();
        loopThread.roundTrip();
        assertEquals(0, first.total());
        assertEquals(List.of(), logs.loopWarnings());
    }

    @Test
    @DisplayName("RACE-06 §11.7 a removed handler is never called (true once, then false), though its thread still reaps the child")
    void removedHandler() {
        waiter.setRunning(true);
        register(52, exits);
        assertTrue(loopThread.call(() -> watcher.removeChildHandler(52)));
        assertFalse(loopThread.call(() -> watcher.removeChildHandler(52)));
        waiter.addZombie(52, exited(99));
        awaitNoWaitingThreads();
        loopThread.roundTrip();
        assertEquals(0, exits.total());
        assertEquals(0, waiter.zombieCount(), "reaped by its waiting thread");
    }

    @Test
    @DisplayName("RACE-18 THR-01 addChildHandler without a running loop: 'no running event loop' and no thread started")
    void registrationWithoutRunningLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> watcher.addChildHandler(70, exits));
        assertEquals("no running event loop", e.getMessage());
        assertEquals(0, watcher.waitingThreadCount());
    }

    @Test
    @DisplayName("RACE-19 THR-04 the registering loop closed before the exit: WARNING 'Loop <repr> that handles pid <pid> is closed'")
    void loopClosedBeforeExit() {
        waiter.setRunning(true);
        EventLoop closed;
        try (LoopThread other = LoopThread.recordingErrors()) {
            other.run(() -> watcher.addChildHandler(59, exits));
            closed = other.loop();
        }
        waiter.addZombie(59, exited(3));
        awaitNoWaitingThreads();
        assertEquals(List.of("Loop " + closed + " that handles pid 59 is closed"), logs.loopWarnings());
        assertEquals(0, exits.total());
    }

    @Test
    @DisplayName("THR-05 always active; attachLoop does nothing")
    void alwaysActive() {
        assertTrue(watcher.isActive());
        watcher.attachLoop(null);
        assertTrue(watcher.isActive());
    }
}
