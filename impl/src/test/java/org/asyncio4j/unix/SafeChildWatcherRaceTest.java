package org.asyncio4j.unix;

import static org.asyncio4j.unix.ScriptedWaiter.exited;
import static org.asyncio4j.unix.ScriptedWaiter.killedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CPython's {@code ChildWatcherTestsMixin} for {@link SafeChildWatcher}, replayed through the scripted
 * waitpid: the OS is faked because these outcomes (a status collected elsewhere, ECHILD or an unexpected
 * error at a chosen moment, several exits inside one SIGCHLD, an unrecognised status) cannot be produced on
 * demand with real processes. The real-process side of the same rules is in
 * {@link SafeChildWatcherContractTest}.
 */
class SafeChildWatcherRaceTest extends SignalChildWatcherRaceTestSupport {
    private static final String SIGCHLD_ERROR = "Unknown exception in SIGCHLD handler";

    @Override
    SignalChildWatcher create(ScriptedWaiter w) {
        return new SafeChildWatcher(w);
    }

    private SafeChildWatcher safe() {
        return (SafeChildWatcher) watcher;
    }

    @Test
    @DisplayName("WCH-14 WCH-15 WCH-16 creating has no side effect; attach adds SIGCHLD once and sweeps; re-attach removes and re-adds")
    void createAndAttach() {
        SignalRecordingLoop other = new SignalRecordingLoop();
        try {
            SafeChildWatcher fresh = new SafeChildWatcher(waiter);
            assertEquals(List.of(), other.signalCalls);
            fresh.attachLoop(other);
            assertEquals(List.of("add 17"), other.signalCalls);
            fresh.attachLoop(other);
            assertEquals(List.of("add 17", "remove 17", "add 17"), other.signalCalls);
            fresh.close();
            assertEquals(List.of("add 17", "remove 17", "add 17", "remove 17"), other.signalCalls);
        } finally {
            other.close();
        }
    }

    @Test
    @DisplayName("RACE-02 RACE-12 RACE-16 SAFE-01 SAFE-02 SAFE-03 two children on separate SIGCHLDs: (43, -3) then (44, 108)")
    void twoChildrenOnSeparateSigchlds() {
        waiter.setRunning(true);
        register(43, exits);
        register(44, exits);
        waiter.clearCalls();
        watcher.sweep();
        assertEquals(0, exits.total());
        assertEquals(2, waiter.calls().size(), "one waitpid per registered child");
        assertTrue(waiter.calls().containsAll(List.of(43L, 44L)));

        waiter.addZombie(43, killedBy(3));
        watcher.sweep();
        assertEquals(List.of(-3), exits.codes(43));
        assertEquals(List.of(), exits.codes(44));

        watcher.sweep();
        assertEquals(1, exits.total(), "44 still running");

        waiter.addZombie(44, exited(108));
        waiter.setRunning(false);
        watcher.sweep();
        assertEquals(List.of(108), exits.codes(44));

        // effectively reaped: the same pids as zombies again are not polled at all
        waiter.addZombie(43, exited(14));
        waiter.addZombie(44, exited(15));
        waiter.clearCalls();
        watcher.sweep();
        assertEquals(List.of(), waiter.calls());
        assertEquals(2, exits.total());
        assertEquals(2, waiter.zombieCount(), "Safe never reaps children it does not know (SAFE-06)");
        assertTrue(waiter.calls().stream().allMatch(pid -> pid > 0));
    }

    @Test
    @DisplayName("RACE-11 two children terminating together: one SIGCHLD reports (45, 78) and (46, -5)")
    void twoChildrenTogether() {
        waiter.setRunning(true);
        register(45, exits);
        register(46, exits);
        watcher.sweep();
        waiter.addZombie(45, exited(78));
        waiter.addZombie(46, killedBy(5));
        waiter.setRunning(false);
        watcher.sweep();
        assertEquals(List.of(78), exits.codes(45));
        assertEquals(List.of(-5), exits.codes(46));
    }

    @Test
    @DisplayName("RACE-01 SAFE-05 SAFE-06 exit before registration: the sweep ignores pid 50, addChildHandler fires (50, 4) at once")
    void exitBeforeRegistration() {
        inWindow(() -> {
            waiter.addZombie(50, exited(4));
            watcher.sweep();
            assertEquals(0, exits.total(), "an unregistered pid is not polled");
            watcher.addChildHandler(50, exits);
            assertEquals(List.of(4), exits.codes(50), "synchronously, inside addChildHandler");
        });
        waiter.addZombie(50, killedBy(1));
        watcher.sweep();
        assertEquals(List.of(4), exits.codes(50), "no second call");
        assertEquals(List.of(), logs.loopWarnings());
    }

    @Test
    @DisplayName("RACE-07 WCH-02 a replaced handler: only the second fires, (51, -8)")
    void replacedHandler() {
        ExitRecorder first = new ExitRecorder();
        waiter.setRunning(true);
        register(51, first);
        register(51, exits);
        waiter.setRunning(false);
        waiter.addZombie(51, killedBy(8));
        watcher.sweep();
        assertEquals(List.of(-8), exits.codes(51));
        assertEquals(0, first.total());
    }

    @Test
    @DisplayName("RACE-06 SAFE-08 a removed handler never fires and its child is no longer polled")
    void removedHandler() {
        waiter.setRunning(true);
        register(52, exits);
        assertTrue(watcher.removeChildHandler(52));
        waiter.setRunning(false);
        waiter.addZombie(52, exited(99));
        waiter.clearCalls();
        watcher.sweep();
        assertEquals(0, exits.total());
        assertEquals(List.of(), waiter.calls());
        assertEquals(1, waiter.zombieCount(), "left for its owner");
    }

    @Test
    @DisplayName("WCH-03 removeChildHandler: true once, then false; the one left fires (56, 2)")
    void removeChildHandler() {
        ExitRecorder removed = new ExitRecorder();
        waiter.setRunning(true);
        register(54, removed);
        register(55, removed);
        register(56, exits);
        assertTrue(watcher.removeChildHandler(54));
        assertTrue(watcher.removeChildHandler(55));
        assertFalse(watcher.removeChildHandler(55));
        assertFalse(watcher.removeChildHandler(55));
        waiter.addZombie(54, exited(0));
        waiter.addZombie(55, exited(1));
        waiter.addZombie(56, exited(2));
        waiter.setRunning(false);
        watcher.sweep();
        assertEquals(0, removed.total());
        assertEquals(List.of(2), exits.codes(56));
    }

    @Test
    @DisplayName("RACE-13 WCH-08 an unrecognised status (stopped, 0x137f) is passed through unchanged as 4991 and consumes the registration")
    void unknownStatus() {
        waiter.setRunning(true);
        register(53, exits);
        waiter.setRunning(false);
        waiter.addZombie(53, 0x137f);
        watcher.sweep();
        assertEquals(List.of(4991), exits.codes(53));
        waiter.addZombie(53, exited(101));
        watcher.sweep();
        assertEquals(1, exits.total());
    }

    @Test
    @DisplayName("RACE-09 WCH-22 waitpid failing unexpectedly: the sweep returns and the loop's handler gets 'Unknown exception in SIGCHLD handler'")
    void unexpectedWaitpidError() {
        waiter.setRunning(true);
        register(57, exits);
        IllegalArgumentException valueError = new IllegalArgumentException("ValueError");
        waiter.failWith(valueError);
        watcher.sweep();
        assertEquals(1, errors.size());
        assertEquals(SIGCHLD_ERROR, errors.get(0).get("message"));
        assertSame(valueError, errors.get(0).get("exception"));
        assertEquals(0, exits.total());
    }

    @Test
    @DisplayName("RACE-09 the default exception handler logs 'Unknown exception in SIGCHLD handler' at ERROR")
    void unexpectedWaitpidErrorWithDefaultHandler() {
        loop.setExceptionHandler(null);
        waiter.setRunning(true);
        register(57, exits);
        waiter.failWith(new IllegalArgumentException("ValueError"));
        watcher.sweep();
        assertEquals(List.of(SIGCHLD_ERROR), logs.log(Level.SEVERE));
    }

    @Test
    @DisplayName("RACE-05 WCH-09 SAFE-04 status reaped elsewhere: (58, 255) and 'Unknown child process pid 58, will report returncode 255'")
    void childReapedElsewhere() {
        waiter.setRunning(true);
        register(58, exits);
        waiter.setRunning(false);
        waiter.reapElsewhere(58);
        watcher.sweep();
        assertEquals(List.of(255), exits.codes(58));
        assertEquals(List.of("Unknown child process pid 58, will report returncode 255"), logs.loopWarnings());
    }

    @Test
    @DisplayName("RACE-04 an unknown pid exits during a registration window: (591, 7) once, 592 pending, 593 left unreaped and unlogged")
    void unknownPidDuringRegistration() {
        ExitRecorder second = new ExitRecorder();
        inWindow(() -> {
            waiter.setRunning(true);
            waiter.addZombie(591, exited(7));
            waiter.addZombie(593, exited(17));
            watcher.sweep();
            watcher.addChildHandler(591, exits);
            watcher.addChildHandler(592, second);
        });
        assertEquals(List.of(7), exits.codes(591));
        assertEquals(0, second.total());
        assertEquals(1, waiter.zombieCount(), "593 stays for its owner");
        assertEquals(List.of(), logs.loopWarnings());
    }

    @Test
    @DisplayName("RACE-15 WCH-16 moving to another loop: old loop loses SIGCHLD once, new one gains it once, (60, 9) still reported")
    void moveToAnotherLoop() {
        SignalRecordingLoop other = new SignalRecordingLoop();
        try {
            waiter.setRunning(true);
            register(60, exits);
            loop.signalCalls.clear();
            watcher.attachLoop(other);
            assertEquals(List.of("remove 17"), loop.signalCalls);
            assertEquals(List.of("add 17"), other.signalCalls);
            waiter.setRunning(false);
            waiter.addZombie(60, exited(9));
            watcher.sweep();
            assertEquals(List.of(9), exits.codes(60));
            assertEquals(List.of(), logs.runtimeWarnings());
        } finally {
            watcher.close();
            other.close();
        }
    }

    @Test
    @DisplayName("RACE-14 WCH-17 WCH-18 detach with pending children warns; the re-attach reports (61, 11) and (62, -5) inside the call; (622, 19) later")
    void detachThenReattach() {
        SignalRecordingLoop other = new SignalRecordingLoop();
        try {
            waiter.setRunning(true);
            register(61, exits);
            register(62, exits);
            register(622, exits);
            loop.signalCalls.clear();
            watcher.attachLoop(null);
            assertEquals(List.of("RuntimeWarning: A loop is being detached from a child watcher with pending handlers"),
                    logs.runtimeWarnings());
            assertEquals(List.of("remove 17"), loop.signalCalls);
            waiter.addZombie(61, exited(11));
            waiter.addZombie(62, killedBy(5));
            assertEquals(0, exits.total());
            watcher.attachLoop(other);
            assertEquals(List.of("add 17"), other.signalCalls);
            assertEquals(List.of(11), exits.codes(61));
            assertEquals(List.of(-5), exits.codes(62));
            assertEquals(List.of(), exits.codes(622));
            waiter.setRunning(false);
            waiter.addZombie(622, exited(19));
            watcher.sweep();
            assertEquals(List.of(19), exits.codes(622));
            assertEquals(3, exits.total());
        } finally {
            watcher.close();
            other.close();
        }
    }

    @Test
    @DisplayName("WCH-17 no warning when detaching with nothing pending or when not attached")
    void detachWithoutPendingDoesNotWarn() {
        watcher.attachLoop(null);
        watcher.attachLoop(null);
        assertEquals(List.of(), logs.runtimeWarnings());
    }

    @Test
    @DisplayName("RACE-10 WCH-24 close with a pending handler: SIGCHLD removed exactly once, registry empty, no warning, 64 never reported")
    void closeWithPendingHandlers() {
        inWindow(() -> {
            waiter.setRunning(true);
            waiter.addZombie(63, exited(9));
            waiter.addZombie(65, exited(18));
            watcher.sweep();
            watcher.addChildHandler(63, exits);
            watcher.addChildHandler(64, exits);
            assertEquals(List.of(9), exits.codes(63));
            assertEquals(1, safe().registeredCount());
            loop.signalCalls.clear();
            watcher.close();
            assertEquals(List.of("remove 17"), loop.signalCalls);
            assertEquals(0, safe().registeredCount());
        });
        waiter.addZombie(64, exited(5));
        watcher.sweep();
        assertEquals(1, exits.total());
        assertEquals(List.of(), logs.runtimeWarnings());
        assertEquals(List.of(), logs.loopWarnings());
        watcher.close();
        assertEquals(List.of("remove 17"), loop.signalCalls, "closing twice removes nothing more");
    }

    @Test
    @DisplayName("RACE-08 WCH-22 a callback raising inside a sweep goes to the handler; the other exit of that sweep is still delivered")
    void callbackRaisingInSweep() {
        RuntimeException boom = new RuntimeException("boom");
        waiter.setRunning(true);
        register(45, (pid, rc) -> {
            exits.childExited(pid, rc);
            throw boom;
        });
        register(46, exits);
        waiter.addZombie(45, exited(78));
        waiter.addZombie(46, killedBy(5));
        watcher.sweep();
        assertEquals(List.of(78), exits.codes(45));
        assertEquals(List.of(-5), exits.codes(46));
        assertEquals(1, errors.size());
        assertEquals(SIGCHLD_ERROR, errors.get(0).get("message"));
        assertSame(boom, errors.get(0).get("exception"));
        waiter.addZombie(45, exited(1));
        watcher.sweep();
        assertEquals(2, exits.total(), "the registration that raised was consumed");
    }

    @Test
    @DisplayName("WCH-23 RACE-08 a callback raising inside addChildHandler (child already exited) propagates to the caller")
    void callbackRaisingInsideAdd() {
        RuntimeException boom = new RuntimeException("boom");
        waiter.addZombie(47, exited(3));
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> register(47, (pid, rc) -> {
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertEquals(List.of(), errors);
        assertEquals(0, safe().registeredCount());
    }

    @Test
    @DisplayName("RACE-18 WCH-26 addChildHandler with no loop attached is refused before anything is registered or polled")
    void registrationWithoutLoop() {
        SafeChildWatcher detached = new SafeChildWatcher(waiter);
        waiter.clearCalls();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> detached.addChildHandler(70, exits));
        assertEquals("Cannot add child handler, the child watcher does not have a loop attached", e.getMessage());
        assertEquals(List.of(), waiter.calls());
        assertEquals(0, detached.registeredCount());
    }

    @Test
    @DisplayName("RACE-19 the loop closed before the child exits: its SIGCHLD handler is gone, a later detach is harmless")
    void loopClosedBeforeExit() {
        waiter.setRunning(true);
        register(71, exits);
        loop.signalCalls.clear();
        loop.close();
        assertFalse(loop.removeSignalHandler(Signals.SIGCHLD), "close removed the SIGCHLD handler (LOOP-19)");
        watcher.attachLoop(null);
        assertEquals(0, exits.total());
    }

    @Test
    @DisplayName("WCH-20 attaching to a closed loop fails before the watcher changes: it stays on its loop")
    void attachToClosedLoopFailsBeforeMutating() {
        SignalRecordingLoop closed = new SignalRecordingLoop();
        closed.close();
        waiter.setRunning(true);
        register(72, exits);
        assertThrows(IllegalStateException.class, () -> watcher.attachLoop(closed));
        assertSame(loop, safe().loop());
        waiter.setRunning(false);
        waiter.addZombie(72, exited(2));
        watcher.sweep();
        assertEquals(List.of(2), exits.codes(72));
    }

    @Test
    @DisplayName("WCH-27 in debug mode each reaped child is logged 'process <pid> exited with returncode <rc>'")
    void debugLogOfReapedChild() {
        loop.setDebug(true);
        waiter.setRunning(true);
        register(73, exits);
        waiter.addZombie(73, exited(3));
        watcher.sweep();
        assertEquals(List.of("process 73 exited with returncode 3"), logs.log(Level.FINE));
    }

    @Test
    @DisplayName("WCH-25 isActive only while attached to a running loop")
    void activeOnlyOnARunningLoop() {
        assertFalse(watcher.isActive(), "attached, loop not running");
        loop.callSoon(() -> {
            assertTrue(watcher.isActive());
            loop.stop();
        });
        loop.runForever();
        assertFalse(watcher.isActive(), "loop stopped");
        watcher.attachLoop(null);
        assertFalse(watcher.isActive());
    }
}
