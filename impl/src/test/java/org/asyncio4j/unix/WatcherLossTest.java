package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.asyncio4j.internal.signal.SignalDispatcher;
import org.asyncio4j.internal.signal.SignalSubscription;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.asyncio4j.testing.LogCapture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Exits that used to be lost or stolen (issue 8, items 3 and 6), with real children and real SIGCHLD: Safe
 * with a handler that throws an {@link Error}; Fast's sweep queued before {@code close()}; MultiLoop
 * registrations after {@code close()}.
 */
class WatcherLossTest {
    /** The Java counterpart of KeyboardInterrupt (LOOP-15). */
    static final class Interrupt extends Error {
        Interrupt() {
            super("interrupt");
        }
    }

    @Test
    @DisplayName("issue 8 Safe: a handler throwing an Error in a sweep of 40 exits loses none of the other 39")
    void safeLosesNothingWhenAHandlerThrowsAnError() {
        int n = 40;
        SelectorEventLoop loop = new SelectorEventLoop();
        SafeChildWatcher watcher = new SafeChildWatcher();
        int[] gate = TestChildren.POSIX.pipe();
        try {
            watcher.attachLoop(loop);
            Set<Long> delivered = ConcurrentHashMap.newKeySet();
            long[] pids = new long[n];
            for (int i = 0; i < n; i++) {
                pids[i] = TestChildren.spawnReading(gate[0], "/bin/sh", "-c", "read x; exit 3");
                watcher.addChildHandler(pids[i], (pid, rc) -> {
                    assertEquals(3, rc);
                    boolean first = delivered.isEmpty();
                    delivered.add(pid);
                    if (first) {
                        throw new Interrupt();
                    }
                });
            }
            TestChildren.POSIX.close(gate[1]);
            gate[1] = -1;
            for (long pid : pids) {
                TestChildren.awaitZombie(pid); // all exited: one sweep will reap them all
            }
            loop.callLater(Loops.TIMEOUT_SECONDS, () -> {
                throw new AssertionError("no sweep delivered the exits"); // fail rather than hang
            });
            assertThrows(Interrupt.class, loop::runForever);
            assertEquals(n, delivered.size(), "exits reported before the Error propagated");
            assertEquals(0, watcher.registeredCount());
        } finally {
            TestChildren.POSIX.close(gate[0]);
            if (gate[1] >= 0) {
                TestChildren.POSIX.close(gate[1]);
            }
            watcher.close();
            loop.close();
        }
    }

    @Test
    @DisplayName("issue 8 Fast: a SIGCHLD delivery queued before close() reaps nothing once closed")
    void fastSweepsNothingAfterClose() {
        SelectorEventLoop loop = new SelectorEventLoop();
        FastChildWatcher watcher = new FastChildWatcher();
        try (LogCapture logs = LogCapture.loop()) {
            watcher.attachLoop(loop);
            CountDownLatch dispatched = new CountDownLatch(1);
            long child;
            // subscribed after the loop: the dispatcher calls subscribers in order, so once this one has run
            // the loop's SIGCHLD handler is queued
            SignalSubscription after = SignalDispatcher.get().subscribe(Signals.SIGCHLD, s -> dispatched.countDown());
            try {
                child = TestChildren.exiting(5);
                TestChildren.awaitZombie(child);
                Loops.await(dispatched, "SIGCHLD to be dispatched");
            } finally {
                after.close();
            }
            watcher.close();
            Loops.runOnce(loop); // runs the queued delivery
            assertTrue(TestChildren.isZombie(child), "the closed watcher reaped the child");
            assertEquals(5, TestChildren.reap(child));
            assertEquals(List.of(), logs.loopWarnings());
        } finally {
            watcher.close();
            loop.close();
        }
    }

    @Test
    @DisplayName("issue 8 MultiLoop: addChildHandler after close() is refused, like the other four watchers")
    void multiLoopRefusesAfterClose() {
        MultiLoopChildWatcher watcher = new MultiLoopChildWatcher();
        long child = TestChildren.sleeper();
        try (LoopThread loopThread = LoopThread.recordingErrors()) {
            watcher.attachLoop(loopThread.loop());
            watcher.close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loopThread.run(() -> watcher.addChildHandler(child, (pid, rc) -> { })));
            assertTrue(e.getMessage().startsWith("Cannot add child handler, the child watcher is closed"), e.getMessage());
            assertTrue(!watcher.isActive());
        } finally {
            TestChildren.killAndReap(child);
        }
    }
}
