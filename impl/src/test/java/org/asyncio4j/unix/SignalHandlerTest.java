package org.asyncio4j.unix;

import static org.asyncio4j.support.Loops.SIGKILL;
import static org.asyncio4j.support.Loops.SIGSTOP;
import static org.asyncio4j.support.Loops.SIGURG;
import static org.asyncio4j.support.Loops.SIGUSR1;
import static org.asyncio4j.support.Loops.SIGWINCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.asyncio4j.internal.signal.SignalDispatcher;
import org.asyncio4j.internal.signal.SignalSubscription;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Signal handlers with real signals sent to this process (LOOP-19, LOOP-55..60). Only signals whose default
 * action is harmless or that stay subscribed while raised are sent: SIGUSR1 (terminates by default, so raised
 * only while a handler is installed), SIGWINCH and SIGURG (ignored by default).
 */
class SignalHandlerTest {
    private final SelectorEventLoop loop = new SelectorEventLoop();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    @DisplayName("LOOP-58 LOOP-59 a real signal runs the handler as a loop callback on the loop thread, waking a blocked loop")
    void deliveredOnTheLoopThread() {
        CountDownLatch ran = new CountDownLatch(1);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        loop.addSignalHandler(SIGUSR1, () -> {
            ranOn.add(Thread.currentThread());
            ran.countDown();
        });
        try (LoopThread lt = LoopThread.start(loop, "signal-loop")) {
            Loops.pause(50); // let it block: no timers, no ready callbacks
            Loops.raise(SIGUSR1);
            Loops.await(ran, "the SIGUSR1 handler");
            assertEquals(List.of(lt.thread()), ranOn);
            lt.stop();
        }
    }

    @Test
    @DisplayName("LOOP-58 adding a handler again for the same signal replaces it")
    void handlerIsReplaced() {
        CountDownLatch ran = new CountDownLatch(1);
        loop.addSignalHandler(SIGWINCH, () -> log.add("first"));
        loop.addSignalHandler(SIGWINCH, () -> {
            log.add("second");
            ran.countDown();
        });
        try (LoopThread lt = LoopThread.start(loop, "signal-loop")) {
            Loops.raise(SIGWINCH);
            Loops.await(ran, "the replacing handler");
            lt.stop();
        }
        assertEquals(List.of("second"), log);
    }

    @Test
    @DisplayName("LOOP-60 removeSignalHandler answers true, restores the disposition, then answers false")
    void removeRestoresTheDisposition() {
        boolean before = Loops.caught(SIGURG);
        loop.addSignalHandler(SIGURG, () -> log.add("urg"));
        assertTrue(Loops.caught(SIGURG));
        assertTrue(loop.removeSignalHandler(SIGURG));
        assertEquals(before, Loops.caught(SIGURG));
        assertFalse(loop.removeSignalHandler(SIGURG));
        assertFalse(loop.removeSignalHandler(SIGWINCH), "never registered");
        assertFalse(loop.removeSignalHandler(SIGKILL), "never registrable");
    }

    @Test
    @DisplayName("LOOP-55 LOOP-60 an out-of-range number: IllegalArgumentException \"invalid signal number N\"")
    void invalidNumbers() {
        for (int signum : new int[] {0, -1, 65, 1000}) {
            assertEquals("invalid signal number " + signum,
                    assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(signum, () -> { })).getMessage());
            assertEquals("invalid signal number " + signum,
                    assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler(signum)).getMessage());
        }
        loop.close();
        assertEquals("invalid signal number 0",
                assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(0, () -> { })).getMessage(),
                "the number is checked before the closed state");
    }

    @Test
    @DisplayName("LOOP-57 SIGKILL, SIGSTOP and JVM-reserved signals: IllegalStateException \"sig N cannot be caught\", nothing registered")
    void uncatchableSignals() {
        for (int signum : new int[] {SIGKILL, SIGSTOP, 12 /* SIGUSR2: HotSpot's */, 7 /* SIGBUS */}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.addSignalHandler(signum, () -> { }));
            assertEquals("sig " + signum + " cannot be caught", e.getMessage());
            assertFalse(loop.removeSignalHandler(signum), "rolled back");
        }
    }

    @Test
    @DisplayName("LOOP-19 close removes the loop's signal handlers and restores the dispositions")
    void closeRemovesHandlers() {
        boolean before = Loops.caught(SIGURG);
        loop.addSignalHandler(SIGURG, () -> { });
        loop.close();
        assertEquals(before, Loops.caught(SIGURG));
        assertFalse(loop.removeSignalHandler(SIGURG));
    }

    @Test
    @DisplayName("LOOP-56 (asyncio4j: any thread) two loops in two threads both get the same signal")
    void fanOutToLoopsInTwoThreads() {
        try (SelectorEventLoop other = new SelectorEventLoop()) {
            CountDownLatch both = new CountDownLatch(2);
            List<String> seen = new CopyOnWriteArrayList<>();
            loop.addSignalHandler(SIGUSR1, () -> {
                seen.add(Thread.currentThread().getName());
                both.countDown();
            });
            other.addSignalHandler(SIGUSR1, () -> {
                seen.add(Thread.currentThread().getName());
                both.countDown();
            });
            try (LoopThread a = LoopThread.start(loop, "loop-a"); LoopThread b = LoopThread.start(other, "loop-b")) {
                Loops.raise(SIGUSR1);
                Loops.await(both, "both loops' handlers");
                assertEquals(List.of("loop-a", "loop-b"), seen.stream().sorted().collect(Collectors.toList()));
                a.stop();
                b.stop();
            }
        }
    }

    @Test
    @DisplayName("LOOP-58 (asyncio4j: coalescing) deliveries that arrive while the handler is queued run it once")
    void deliveriesCoalesceWhileQueued() throws InterruptedException {
        Semaphore delivered = new Semaphore(0);
        loop.addSignalHandler(SIGURG, () -> log.add("urg"));
        // Subscribed after the loop: within one delivery the dispatcher calls it after the loop's listener.
        SignalSubscription witness = SignalDispatcher.get().subscribe(SIGURG, s -> delivered.release());
        try {
            for (int i = 0; i < 3; i++) {
                Loops.raise(SIGURG);
                assertTrue(delivered.tryAcquire(Loops.TIMEOUT_SECONDS, TimeUnit.SECONDS), "delivery " + i);
            }
            Loops.runOnce(loop);
            assertEquals(List.of("urg"), log);
            Loops.raise(SIGURG);
            assertTrue(delivered.tryAcquire(Loops.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            Loops.runOnce(loop);
            assertEquals(List.of("urg", "urg"), log);
        } finally {
            witness.close();
        }
    }

    @Test
    @DisplayName("LOOP-18 LOOP-55 addSignalHandler on a closed loop: \"Event loop is closed\"")
    void closedLoop() {
        loop.close();
        assertEquals("Event loop is closed",
                assertThrows(IllegalStateException.class, () -> loop.addSignalHandler(SIGWINCH, () -> { })).getMessage());
        assertSame(false, loop.removeSignalHandler(SIGWINCH));
    }
}
