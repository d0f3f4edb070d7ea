package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.asyncio4j.testing.LogCapture;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cross-thread wake-ups and debug mode (LOOP-38..44). */
class DebugAndThreadsTest {
    private static final String WRONG_THREAD = "Non-thread-safe operation invoked on an event loop other than the current one";
    private final PollRecordingLoop loop = new PollRecordingLoop();

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    @DisplayName("LOOP-38 callSoonThreadsafe from another thread wakes a loop blocked without a timeout")
    void callSoonThreadsafeWakesABlockedLoop() {
        CountDownLatch ran = new CountDownLatch(1);
        try (LoopThread lt = LoopThread.start(loop, "blocked-loop")) {
            Loops.await(loop.blocking, "the loop to block without a timeout");
            Loops.pause(50);
            loop.callSoonThreadsafe(() -> {
                assertTrue(Thread.currentThread() == lt.thread());
                ran.countDown();
            });
            Loops.await(ran, "the callback to run on the woken loop");
            lt.stop();
        }
    }

    @Test
    @DisplayName("LOOP-39 callSoonThreadsafe racing close never fails except with \"Event loop is closed\"")
    void wakeupRacingCloseNeverFails() {
        for (int round = 0; round < 30; round++) {
            SelectorEventLoop racing = new SelectorEventLoop();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            CountDownLatch producing = new CountDownLatch(2);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                Thread t = new Thread(() -> {
                    producing.countDown();
                    while (true) {
                        try {
                            racing.callSoonThreadsafe(() -> { });
                        } catch (Throwable e) {
                            errors.add(e);
                            return;
                        }
                    }
                }, "producer-" + p);
                producers.add(t);
                t.start();
            }
            Loops.await(producing, "producers");
            Loops.runOnce(racing);
            racing.close();
            producers.forEach(Loops::join);
            assertEquals(2, errors.size());
            for (Throwable e : errors) {
                assertInstanceOf(IllegalStateException.class, e);
                assertEquals("Event loop is closed", e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "debug={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("LOOP-40 callSoon, callLater and callAt from another thread while running are refused, debug or not")
    void foreignThreadsAreRefusedWhileRunning(boolean debug) {
        loop.setDebug(debug);
        try (LoopThread lt = LoopThread.start(loop, "debug-loop")) {
            assertEquals(WRONG_THREAD, assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { })).getMessage());
            assertEquals(WRONG_THREAD, assertThrows(IllegalStateException.class, () -> loop.callLater(1, () -> { })).getMessage());
            assertEquals(WRONG_THREAD, assertThrows(IllegalStateException.class, () -> loop.callAt(1, () -> { })).getMessage());
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoonThreadsafe(ran::countDown);
            Loops.await(ran, "callSoonThreadsafe's callback");
            lt.stop();
        }
    }

    @Test
    @DisplayName("LOOP-40 no thread check while the loop is not running")
    void noCheckWhenIdle() {
        AtomicInteger ran = new AtomicInteger();
        LoopThread lt = LoopThread.start(loop, "plain-loop");
        lt.stop(); // leaves the loop open, no longer running
        loop.setDebug(true);
        loop.callSoon(ran::incrementAndGet); // not running: no check, from any thread
        Loops.runOnce(loop);
        assertEquals(1, ran.get());
    }

    @Test
    @DisplayName("LOOP-42 setDebug/getDebug round-trip at any time, even while running")
    void debugRoundTrip() {
        assertFalse(loop.getDebug());
        loop.setDebug(true);
        assertTrue(loop.getDebug());
        List<Boolean> inside = new ArrayList<>();
        loop.callSoon(() -> {
            loop.setDebug(false);
            inside.add(loop.getDebug());
        });
        Loops.runOnce(loop);
        assertEquals(List.of(false), inside);
        assertFalse(loop.getDebug());
    }

    @Test
    @DisplayName("LOOP-43 debug mode logs a slow callback at WARNING: \"Executing <handle> took X seconds\"")
    void slowCallbackIsLogged() {
        loop.setDebug(true);
        loop.setSlowCallbackDuration(1e-6);
        try (LogCapture log = LogCapture.loop()) {
            loop.callSoon(new Runnable() {
                @Override
                public void run() {
                    Loops.pause(2);
                }

                @Override
                public String toString() {
                    return "slowpoke";
                }
            });
            Loops.runOnce(loop);
            List<LogRecord> warnings = log.at(Level.WARNING);
            assertEquals(1, warnings.size(), () -> "records: " + log.records());
            String text = warnings.get(0).getMessage();
            assertTrue(text.matches("Executing <Handle slowpoke> took \\d+\\.\\d{3} seconds"), text);
        }
    }

    @Test
    @DisplayName("LOOP-43 without debug mode nothing is timed or logged")
    void noSlowCallbackLogWithoutDebug() {
        loop.setSlowCallbackDuration(0);
        try (LogCapture log = LogCapture.loop()) {
            loop.callSoon(() -> Loops.pause(2));
            Loops.runOnce(loop);
            assertEquals(List.of(), log.records());
        }
        assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(-1));
        assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(Double.NaN));
    }

    @Test
    @DisplayName("LOOP-44 debug mode: an error context carries source_traceback, and the default handler adds handle_traceback")
    void debugAddsTracebacks() {
        List<Map<String, Object>> contexts = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> contexts.add(ctx));
        loop.callSoon(() -> {
            throw new IllegalStateException("plain");
        });
        loop.setDebug(true);
        loop.callSoon(() -> {
            throw new IllegalStateException("debug");
        });
        Loops.runOnce(loop);
        assertEquals(2, contexts.size());
        assertNull(contexts.get(0).get("source_traceback"));
        assertInstanceOf(Throwable.class, contexts.get(1).get("source_traceback"));

        loop.setExceptionHandler(null);
        try (LogCapture log = LogCapture.loop()) {
            loop.callSoon(() -> {
                throw new IllegalStateException("logged");
            });
            Loops.runOnce(loop);
            List<LogRecord> errors = log.at(Level.SEVERE);
            assertEquals(1, errors.size());
            String text = errors.get(0).getMessage();
            assertTrue(text.contains("\nhandle_traceback: ") && text.contains("\nsource_traceback: "), text);
            assertTrue(text.indexOf("handle_traceback") < text.indexOf("source_traceback"), "keys sorted: " + text);
        }
    }
}
