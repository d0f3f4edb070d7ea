package org.asyncio4j.unix;

import static org.asyncio4j.unix.ScriptedWaiter.exited;
import static org.asyncio4j.unix.ScriptedWaiter.killedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Race scenarios for {@link PidfdChildWatcher}, replayed through the scripted waiter: its "pidfd" is the
 * read end of a pipe that the test makes readable, and waitpid is scripted. The OS is faked because a status
 * collected elsewhere after the pidfd fired, and pidfd_open refusals (ESRCH, EPERM from a sandbox), cannot be
 * produced on demand with real processes.
 */
class PidfdChildWatcherRaceTest {
    private final ScriptedWaiter waiter = new ScriptedWaiter();
    private final PidfdChildWatcher watcher = new PidfdChildWatcher(waiter);
    private final LoopThread loopThread = LoopThread.recordingErrors();
    private final ExitRecorder exits = new ExitRecorder();
    private final LogCapture logs = LogCapture.loop();

    @AfterEach
    void close() {
        try {
            loopThread.run(watcher::close);
            loopThread.close();
            waiter.closePidfdWriters();
        } finally {
            logs.close();
        }
    }

    private void attachAndRegister(long pid, ChildHandler handler) {
        loopThread.run(() -> {
            watcher.attachLoop(loopThread.loop());
            watcher.addChildHandler(pid, handler);
        });
    }

    @Test
    @DisplayName("RACE-05 PFD-04 status already read elsewhere: 255 and 'child process pid 58 exit status already read:  will report returncode 255'")
    void childReapedElsewhere() {
        attachAndRegister(58, exits);
        waiter.reapElsewhere(58);
        waiter.signalPidfd(58);
        assertEquals(255, exits.await(58));
        assertEquals(List.of("child process pid 58 exit status already read:  will report returncode 255"), logs.loopWarnings());
    }

    @Test
    @DisplayName("RACE-07 PFD-03 a replaced handler keeps the same pidfd: one pidfd_open, only (51, -8) to the second handler")
    void replacedHandler() {
        ExitRecorder first = new ExitRecorder();
        attachAndRegister(51, first);
        loopThread.run(() -> watcher.addChildHandler(51, exits));
        assertEquals(List.of(51L), waiter.pidfdOpens());
        waiter.addZombie(51, killedBy(8));
        waiter.signalPidfd(51);
        assertEquals(-8, exits.await(51));
        loopThread.roundTrip();
        assertEquals(0, first.total());
        assertEquals(0, watcher.registeredCount());
    }

    @Test
    @DisplayName("RACE-06 PFD-05 a removed handler: pidfd closed, no callback; true once, then false")
    void removedHandler() {
        attachAndRegister(52, exits);
        assertTrue(loopThread.call(() -> watcher.removeChildHandler(52)));
        assertFalse(loopThread.call(() -> watcher.removeChildHandler(52)));
        waiter.addZombie(52, exited(99));
        PosixException closed = assertThrows(PosixException.class, () -> waiter.signalPidfd(52));
        assertEquals(32, closed.errno(), "EPIPE: the watcher closed its pidfd, nobody reads it any more");
        loopThread.roundTrip();
        assertEquals(0, exits.total());
        assertEquals(1, waiter.zombieCount(), "nobody waits for it");
    }

    @Test
    @DisplayName("RACE-14 RACE-15 PFD-06 PFD-07 detaching warns and drops registrations; moving to another loop drops them silently")
    void detachDropsRegistrations() {
        attachAndRegister(61, exits);
        try (LoopThread other = LoopThread.recordingErrors()) {
            loopThread.run(() -> watcher.attachLoop(other.loop()));
            assertEquals(List.of(), logs.runtimeWarnings());
            assertEquals(0, watcher.registeredCount());
            other.run(() -> watcher.addChildHandler(62, exits));
            other.run(() -> watcher.attachLoop(null));
            assertEquals(List.of("RuntimeWarning: A loop is being detached from a child watcher with pending handlers"),
                    logs.runtimeWarnings());
            assertEquals(0, watcher.registeredCount());
            waiter.addZombie(61, exited(1));
            waiter.addZombie(62, exited(2));
            loopThread.roundTrip();
            other.roundTrip();
        }
        assertEquals(0, exits.total());
    }

    @Test
    @DisplayName("RACE-18 PFD-03 addChildHandler with no loop attached is refused before any pidfd is opened")
    void registrationWithoutLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> watcher.addChildHandler(70, exits));
        assertEquals("Cannot add child handler, the child watcher does not have a loop attached", e.getMessage());
        assertEquals(List.of(), waiter.pidfdOpens());
    }

    @Test
    @DisplayName("PFD-03 pidfd_open refusals: ESRCH is IllegalArgumentException naming the pid, EPERM UnsupportedOperationException")
    void openRefusals() {
        loopThread.run(() -> watcher.attachLoop(loopThread.loop()));
        waiter.failOpenWith(new PosixException("pidfd_open", PosixException.ESRCH, null));
        IllegalArgumentException noSuch = assertThrows(IllegalArgumentException.class,
                () -> loopThread.run(() -> watcher.addChildHandler(99, exits)));
        assertEquals("No such process: pid 99", noSuch.getMessage());
        waiter.failOpenWith(new PosixException("pidfd_open", PosixException.EPERM, null));
        assertThrows(UnsupportedOperationException.class, () -> loopThread.run(() -> watcher.addChildHandler(98, exits)));
        assertEquals(0, watcher.registeredCount());
    }

    @Test
    @DisplayName("RACE-08 PFD-04 a raising callback is a reader-callback error ('Exception in callback')")
    void raisingCallback() {
        attachAndRegister(45, (pid, rc) -> {
            exits.childExited(pid, rc);
            throw new RuntimeException("boom");
        });
        waiter.addZombie(45, exited(3));
        waiter.signalPidfd(45);
        assertEquals(3, exits.await(45));
        loopThread.roundTrip();
        assertEquals(1, loopThread.errorsStartingWith("Exception in callback").size(), loopThread.errors::toString);
    }
}
