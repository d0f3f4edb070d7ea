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
import org.asyncio4j.SpawnScope;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CPython's {@code ChildWatcherTestsMixin} for {@link FastChildWatcher}, replayed through the scripted
 * waitpid: the OS is faked because these outcomes (a status collected elsewhere, ECHILD or an unexpected
 * error at a chosen moment, an unknown pid's exit inside a spawn window, an unrecognised status) cannot be
 * produced on demand with real processes. The real-process side is {@link FastChildWatcherContractTest}.
 */
class FastChildWatcherRaceTest extends SignalChildWatcherRaceTestSupport {
    private static final String SIGCHLD_ERROR = "Unknown exception in SIGCHLD handler";

    @Override
    SignalChildWatcher create(ScriptedWaiter w) {
        return new FastChildWatcher(w);
    }

    private FastChildWatcher fast() {
        return (FastChildWatcher) watcher;
    }

    @Test
    @DisplayName("FAST-01 RACE-02 a sweep calls waitpid(-1) until 0; with no children at all ECHILD ends it quietly")
    void sweepUntilNothingLeft() {
        waiter.clearCalls();
        watcher.sweep();
        assertEquals(List.of(-1L), waiter.calls(), "no children: one call, ECHILD");
        assertEquals(List.of(), logs.loopWarnings());
        assertEquals(List.of(), errors);

        waiter.setRunning(true);
        register(43, exits);
        register(44, exits);
        waiter.addZombie(43, exited(1));
        waiter.addZombie(44, exited(2));
        waiter.clearCalls();
        watcher.sweep();
        assertEquals(List.of(-1L, -1L, -1L), waiter.calls(), "two exits, then 0");
        assertEquals(List.of(1), exits.codes(43));
        assertEquals(List.of(2), exits.codes(44));
    }

    @Test
    @DisplayName("RACE-12 RACE-16 FAST-02 FAST-04 two children on separate SIGCHLDs; re-added zombies are reaped as unknown pids")
    void twoChildrenOnSeparateSigchlds() {
        waiter.setRunning(true);
        register(43, exits);
        register(44, exits);
        watcher.sweep();
        assertEquals(0, exits.total());
        waiter.addZombie(43, killedBy(3));
        watcher.sweep();
        assertEquals(List.of(-3), exits.codes(43));
        assertEquals(List.of(), exits.codes(44));
        waiter.addZombie(44, exited(108));
        waiter.setRunning(false);
        watcher.sweep();
        assertEquals(List.of(108), exits.codes(44));

        waiter.addZombie(43, exited(14));
        waiter.addZombie(44, exited(15));
        watcher.sweep();
        assertEquals(2, exits.total());
        assertEquals(List.of("Caught subprocess termination from unknown pid: 43 -> 14",
                "Caught subprocess termination from unknown pid: 44 -> 15"), logs.loopWarnings());
    }

    @Test
    @DisplayName("RACE-11 two children terminating together: one SIGCHLD reports (45, 78) and (46, -5)")
    void twoChildrenTogether() {
        waiter.setRunning(true);
        register(45, exits);
        register(46, exits);
        waiter.addZombie(45, exited(78));
        waiter.addZombie(46, killedBy(5));
        waiter.setRunning(false);
        watcher.sweep();
        assertEquals(List.of(78), exits.codes(45));
        assertEquals(List.of(-5), exits.codes(46));
    }

    @Test
    @DisplayName("RACE-01 FAST-03 FAST-07 exit before registration: buffered {50: 4}, addChildHandler fires (50, 4) at once")
    void exitBeforeRegistration() {
        inWindow(() -> {
            waiter.addZombie(50, exited(4));
            watcher.sweep();
            assertEquals(1, fast().zombieCount());
            assertEquals(0, exits.total());
            waiter.clearCalls();
            watcher.addChildHandler(50, exits);
            assertEquals(List.of(4), exits.codes(50), "synchronously, inside addChildHandler");
            assertEquals(List.of(), waiter.calls(), "addChildHandler never calls waitpid");
            assertEquals(0, fast().zombieCount());
            assertEquals(0, fast().registeredCount());
        });
        waiter.addZombie(50, killedBy(1));
        watcher.sweep();
        assertEquals(List.of(4), exits.codes(50), "no second call");
        assertEquals(List.of("Caught subprocess termination from unknown pid: 50 -> -1"), logs.loopWarnings());
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
    @DisplayName("RACE-06 FAST-09 a removed handler never fires; the child is reaped as an unknown pid")
    void removedHandler() {
        waiter.setRunning(true);
        register(52, exits);
        assertTrue(watcher.removeChildHandler(52));
        assertFalse(watcher.removeChildHandler(52));
        waiter.setRunning(false);
        waiter.addZombie(52, exited(99));
        watcher.sweep();
        assertEquals(0, exits.total());
        assertEquals(List.of("Caught subprocess termination from unknown pid: 52 -> 99"), logs.loopWarnings());
    }

    @Test
    @DisplayName("RACE-13 WCH-08 an unrecognised status (stopped, 0x137f) is passed through unchanged as 4991")
    void unknownStatus() {
        waiter.setRunning(true);
        register(53, exits);
        waiter.setRunning(false);
        waiter.addZombie(53, 0x137f);
        watcher.sweep();
        assertEquals(List.of(4991), exits.codes(53));
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
    }

    @Test
    @DisplayName("RACE-05 FAST-08 status reaped elsewhere: Fast never learns of it, the callback never fires")
    void childReapedElsewhere() {
        waiter.setRunning(true);
        register(58, exits);
        waiter.setRunning(false);
        waiter.reapElsewhere(58);
        watcher.sweep();
        assertEquals(0, exits.total());
        assertEquals(1, fast().registeredCount(), "pending forever: the deadlock CPython's test accepts");
    }

    @Test
    @DisplayName("RACE-04 RACE-03 FAST-05 an unknown pid exits during a registration window: (591, 7) once; {593: 17} logged at the window's end")
    void unknownPidDuringRegistration() {
        ExitRecorder second = new ExitRecorder();
        inWindow(() -> {
            waiter.setRunning(true);
            waiter.addZombie(591, exited(7));
            waiter.addZombie(593, exited(17));
            watcher.sweep();
            watcher.addChildHandler(591, exits);
            watcher.addChildHandler(592, second);
            assertEquals(List.of(), logs.loopWarnings(), "nothing logged while the window is open");
        });
        assertEquals(List.of(7), exits.codes(591));
        assertEquals(0, second.total());
        assertEquals(List.of("Caught subprocesses termination from unknown pids: {593: 17}"), logs.loopWarnings());
    }

    @Test
    @DisplayName("FAST-05 nested windows: the buffer is flushed only when the outermost one closes")
    void nestedWindows() {
        try (SpawnScope outer = watcher.spawning()) {
            try (SpawnScope inner = watcher.spawning()) {
                waiter.addZombie(80, exited(1));
                waiter.addZombie(81, killedBy(9));
                watcher.sweep();
            }
            assertEquals(List.of(), logs.loopWarnings());
            assertEquals(2, fast().zombieCount());
        }
        assertEquals(List.of("Caught subprocesses termination from unknown pids: {80: 1, 81: -9}"), logs.loopWarnings());
        assertEquals(0, fast().zombieCount());
    }

    @Test
    @DisplayName("FAST-06 RACE-17 addChildHandler outside spawning() is refused")
    void registrationOutsideWindow() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> watcher.addChildHandler(82, exits));
        assertTrue(e.getMessage().startsWith("Must use the context manager"), e.getMessage());
        assertEquals(0, fast().registeredCount());
    }

    @Test
    @DisplayName("RACE-15 WCH-16 moving to another loop: SIGCHLD removed from the old once, added to the new once, (60, 9) reported")
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
        } finally {
            watcher.close();
            other.close();
        }
    }

    @Test
    @DisplayName("RACE-14 WCH-17 WCH-18 detach with pending children warns; the re-attach reports (61, 11) and (62, -5); (622, 19) later")
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
            watcher.attachLoop(other);
            assertEquals(List.of("add 17"), other.signalCalls);
            assertEquals(List.of(11), exits.codes(61));
            assertEquals(List.of(-5), exits.codes(62));
            assertEquals(List.of(), exits.codes(622));
            waiter.setRunning(false);
            waiter.addZombie(622, exited(19));
            watcher.sweep();
            assertEquals(List.of(19), exits.codes(622));
        } finally {
            watcher.close();
            other.close();
        }
    }

    @Test
    @DisplayName("RACE-10 FAST-10 WCH-24 close inside a window: handlers and buffered zombies dropped, SIGCHLD removed once, no warning at the window's end")
    void closeWithBufferedZombies() {
        inWindow(() -> {
            waiter.setRunning(true);
            waiter.addZombie(63, exited(9));
            waiter.addZombie(65, exited(18));
            watcher.sweep();
            watcher.addChildHandler(63, exits);
            watcher.addChildHandler(64, exits);
            assertEquals(List.of(9), exits.codes(63));
            assertEquals(1, fast().registeredCount());
            assertEquals(1, fast().zombieCount());
            loop.signalCalls.clear();
            watcher.close();
            assertEquals(List.of("remove 17"), loop.signalCalls);
            assertEquals(0, fast().registeredCount());
            assertEquals(0, fast().zombieCount());
        });
        assertEquals(List.of(), logs.loopWarnings());
        assertEquals(List.of(), logs.runtimeWarnings());
        assertEquals(1, exits.total());
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
    }

    @Test
    @DisplayName("WCH-23 a callback raising inside addChildHandler (buffered zombie) propagates to the caller")
    void callbackRaisingInsideAdd() {
        RuntimeException boom = new RuntimeException("boom");
        inWindow(() -> {
            waiter.addZombie(47, exited(3));
            watcher.sweep();
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> watcher.addChildHandler(47, (pid, rc) -> {
                throw boom;
            }));
            assertSame(boom, thrown);
        });
        assertEquals(List.of(), errors);
    }

    @Test
    @DisplayName("RACE-18 WCH-26 addChildHandler with no loop attached is refused")
    void registrationWithoutLoop() {
        FastChildWatcher detached = new FastChildWatcher(waiter);
        try (SpawnScope scope = detached.spawning()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> detached.addChildHandler(70, exits));
            assertEquals("Cannot add child handler, the child watcher does not have a loop attached", e.getMessage());
        }
        assertEquals(0, detached.registeredCount());
    }

    @Test
    @DisplayName("WCH-27 FAST-03 debug logs: 'process <pid> exited with returncode <rc>' and 'unknown process <pid> exited with returncode <rc>'")
    void debugLogs() {
        loop.setDebug(true);
        waiter.setRunning(true);
        inWindow(() -> {
            watcher.addChildHandler(73, exits);
            waiter.addZombie(73, exited(3));
            waiter.addZombie(74, exited(4));
            watcher.sweep();
            watcher.addChildHandler(74, exits);
        });
        assertEquals(List.of("process 73 exited with returncode 3", "unknown process 74 exited with returncode 4"),
                logs.log(Level.FINE));
    }
}
