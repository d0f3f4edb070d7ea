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
 * Race scenarios for {@link MultiLoopChildWatcher}, replayed through the scripted waitpid: the OS is faked
 * because a status collected elsewhere, an unexpected waitpid error or an unrecognised status cannot be
 * produced on demand with real processes (and CPython itself tests this watcher only this way, MLW-12).
 * The watcher is not attached, so no real SIGCHLD reaches it; "SIGCHLD now" is {@code sweep()} called by the
 * test. Registrations happen on a real running loop, where deliveries arrive.
 */
class MultiLoopChildWatcherRaceTest {
    private final ScriptedWaiter waiter = new ScriptedWaiter();
    private final MultiLoopChildWatcher watcher = new MultiLoopChildWatcher(waiter);
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

    @Test
    @DisplayName("MLW-01 MLW-02 MLW-10 inactive when new; attachLoop (even null) activates; close deactivates")
    void activation() {
        assertFalse(watcher.isActive());
        watcher.attachLoop(null);
        assertTrue(watcher.isActive());
        watcher.attachLoop(loopThread.loop());
        assertTrue(watcher.isActive());
        watcher.close();
        assertFalse(watcher.isActive());
    }

    @Test
    @DisplayName("RACE-01 MLW-05 a child already exited at registration is delivered through the loop, not inside the call")
    void exitBeforeRegistration() {
        waiter.addZombie(50, exited(4));
        boolean insideAdd = loopThread.call(() -> {
            watcher.addChildHandler(50, exits);
            return !exits.codes(50).isEmpty();
        });
        assertFalse(insideAdd, "delivered with callSoonThreadsafe");
        assertEquals(4, exits.await(50));
        assertEquals("test-loop", exits.callsFor(50).get(0).thread());
    }

    @Test
    @DisplayName("RACE-02 RACE-11 MLW-06 a running child gives nothing; two exits in one sweep: (45, 78) and (46, -5)")
    void twoChildrenTogether() {
        waiter.setRunning(true);
        register(45, exits);
        register(46, exits);
        waiter.clearCalls();
        watcher.sweep();
        assertEquals(2, waiter.calls().size());
        waiter.addZombie(45, exited(78));
        waiter.addZombie(46, killedBy(5));
        watcher.sweep();
        exits.awaitTotal(2);
        loopThread.roundTrip();
        assertEquals(List.of(78), exits.codes(45));
        assertEquals(List.of(-5), exits.codes(46));
    }

    @Test
    @DisplayName("RACE-05 MLW-06 status reaped elsewhere: 255 and 'Unknown child process pid 58, will report returncode 255'")
    void childReapedElsewhere() {
        waiter.setRunning(true);
        register(58, exits);
        waiter.reapElsewhere(58);
        watcher.sweep();
        assertEquals(255, exits.await(58));
        assertEquals(List.of("Unknown child process pid 58, will report returncode 255"), logs.loopWarnings());
    }

    @Test
    @DisplayName("RACE-06 RACE-07 MLW-09 a replaced handler: only the second fires (51, -8); a removed one is not polled")
    void replacedAndRemoved() {
        ExitRecorder first = new ExitRecorder();
        waiter.setRunning(true);
        register(51, first);
        register(51, exits);
        register(52, first);
        assertTrue(loopThread.call(() -> watcher.removeChildHandler(52)));
        assertFalse(loopThread.call(() -> watcher.removeChildHandler(52)));
        waiter.addZombie(51, killedBy(8));
        waiter.addZombie(52, exited(99));
        waiter.clearCalls();
        watcher.sweep();
        assertEquals(-8, exits.await(51));
        loopThread.roundTrip();
        assertEquals(0, first.total());
        assertEquals(List.of(51L), waiter.calls(), "52 is no longer polled");
    }

    @Test
    @DisplayName("RACE-13 an unrecognised status (0x137f) is passed through as 4991")
    void unknownStatus() {
        waiter.setRunning(true);
        register(53, exits);
        waiter.addZombie(53, 0x137f);
        watcher.sweep();
        assertEquals(4991, exits.await(53));
    }

    @Test
    @DisplayName("RACE-09 MLW-08 waitpid failing unexpectedly is logged as WARNING 'Unknown exception in SIGCHLD handler', not sent to a loop")
    void unexpectedWaitpidError() {
        waiter.setRunning(true);
        register(57, exits);
        waiter.failWith(new IllegalArgumentException("ValueError"));
        watcher.sweep();
        loopThread.roundTrip();
        assertEquals(List.of("Unknown exception in SIGCHLD handler"), logs.loopWarnings());
        assertEquals(List.of(), loopThread.errors);
    }

    @Test
    @DisplayName("RACE-08 a raising callback is an ordinary loop callback error ('Exception in callback')")
    void raisingCallback() {
        RuntimeException boom = new RuntimeException("boom");
        waiter.setRunning(true);
        register(45, (pid, rc) -> {
            exits.childExited(pid, rc);
            throw boom;
        });
        register(46, exits);
        waiter.addZombie(45, exited(1));
        waiter.addZombie(46, exited(2));
        watcher.sweep();
        exits.awaitTotal(2);
        loopThread.roundTrip();
        assertEquals(1, loopThread.errorsStartingWith("Exception in callback").size(), loopThread.errors::toString);
        assertEquals(List.of(2), exits.codes(46));
    }

    @Test
    @DisplayName("RACE-18 addChildHandler without a running loop in the calling thread: 'no running event loop', nothing polled")
    void registrationWithoutRunningLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> watcher.addChildHandler(70, exits));
        assertEquals("no running event loop", e.getMessage());
        assertEquals(List.of(), waiter.calls());
        assertFalse(watcher.removeChildHandler(70));
    }

    @Test
    @DisplayName("RACE-19 MLW-07 the registering loop closed before the exit: WARNING 'Loop <repr> that handles pid <pid> is closed'")
    void loopClosedBeforeExit() {
        waiter.setRunning(true);
        EventLoop closed;
        try (LoopThread other = LoopThread.recordingErrors()) {
            other.run(() -> watcher.addChildHandler(59, exits));
            closed = other.loop();
        }
        String repr = closed.toString();
        waiter.addZombie(59, exited(3));
        watcher.sweep();
        assertEquals(List.of("Loop " + repr + " that handles pid 59 is closed"), logs.loopWarnings());
        assertEquals(0, exits.total());
    }
}
