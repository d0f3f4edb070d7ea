package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link PidfdChildWatcher} with registrations it drops or refuses (issue 8, item 6), on real children and real
 * pidfds: a child whose registration {@code attachLoop} dropped is not reaped by a reader callback already
 * queued; a registration refused by a closed loop keeps no pidfd open.
 */
class PidfdChildWatcherDropTest {
    private final PidfdChildWatcher watcher = new PidfdChildWatcher();

    @BeforeEach
    void requirePidfd() {
        assumeTrue(PidfdChildWatcher.isSupported(), "pidfd_open is not available here");
    }

    @AfterEach
    void close() {
        watcher.close();
    }

    @Test
    @DisplayName("issue 8 a reader callback queued before attachLoop dropped the registration leaves the child unreaped")
    void droppedRegistrationIsNotReaped() {
        long child = TestChildren.sleeper();
        SelectorEventLoop other = new SelectorEventLoop();
        try (LoopThread loopThread = LoopThread.recordingErrors()) {
            ExitRecorder exits = new ExitRecorder();
            loopThread.run(() -> {
                watcher.attachLoop(loopThread.loop());
                watcher.addChildHandler(child, exits);
            });
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loopThread.loop().callSoonThreadsafe(() -> {
                holding.countDown();
                Loops.await(release, "the test to let the loop go on");
            });
            Loops.await(holding, "the loop to be held");
            TestChildren.kill(child, Signals.SIGKILL);
            TestChildren.awaitZombie(child);
            // queued before the next poll, which will also find the pidfd readable: same batch, this one first
            CountDownLatch holding2 = new CountDownLatch(1);
            CountDownLatch release2 = new CountDownLatch(1);
            loopThread.loop().callSoonThreadsafe(() -> {
                holding2.countDown();
                Loops.await(release2, "the test to let the reader run");
            });
            release.countDown();
            Loops.await(holding2, "the loop to be held with the reader callback queued");
            watcher.attachLoop(other); // drops the registration while the reader callback waits its turn
            release2.countDown();
            loopThread.roundTrip();
            loopThread.roundTrip();
            assertEquals(0, exits.total());
            assertTrue(TestChildren.isZombie(child), "the dropped child was reaped, its status lost");
            assertEquals(-9, TestChildren.reap(child));
        } finally {
            TestChildren.killAndReap(child);
            watcher.attachLoop(null);
            other.close();
        }
    }

    @Test
    @DisplayName("issue 8 a registration refused because the attached loop is closed leaves no pidfd open")
    void refusedRegistrationClosesItsPidfd() {
        long child = TestChildren.sleeper();
        try {
            SelectorEventLoop closed = new SelectorEventLoop();
            watcher.attachLoop(closed);
            closed.close();
            Set<String> before = Set.copyOf(ProcessTable.leakableFds());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> watcher.addChildHandler(child, (pid, rc) -> { }));
            assertTrue(e.getMessage().startsWith("Cannot add child handler"), e.getMessage());
            assertEquals(before, Set.copyOf(ProcessTable.leakableFds()));
            assertEquals(0, watcher.registeredCount());
        } finally {
            TestChildren.killAndReap(child);
        }
    }
}
