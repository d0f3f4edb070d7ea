package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ExceptionHandler;
import org.asyncio4j.Handle;
import org.asyncio4j.support.Loops;
import org.asyncio4j.testing.LogCapture;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Errors from callbacks, the default and custom exception handlers (LOOP-47..54). */
class ExceptionHandlerTest {
    private final SelectorEventLoop loop = new SelectorEventLoop();
    private final List<Map<String, Object>> contexts = new ArrayList<>();
    private final ExceptionHandler recording = (l, ctx) -> {
        assertSame(loop, l);
        contexts.add(ctx);
    };

    /** A loop whose default handler itself fails (CPython: a subclass overriding it). */
    static final class BrokenDefaultLoop extends SelectorEventLoop {
        @Override
        public void defaultExceptionHandler(Map<String, Object> context) {
            throw new IllegalStateException("default handler broke");
        }
    }

    @AfterEach
    void close() {
        loop.close();
    }

    private static Map<String, Object> context(String message) {
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("message", message);
        return ctx;
    }

    @Test
    @DisplayName("LOOP-47 an exception from a callback goes to the handler with message, exception and handle; the loop runs on")
    void callbackExceptionGoesToTheHandler() {
        loop.setExceptionHandler(recording);
        RuntimeException boom = new RuntimeException("boom");
        Runnable failing = new Runnable() {
            @Override
            public void run() {
                throw boom;
            }

            @Override
            public String toString() {
                return "failing()";
            }
        };
        Handle handle = loop.callSoon(failing);
        List<String> after = new ArrayList<>();
        loop.callSoon(() -> after.add("still running"));
        Loops.runOnce(loop);
        assertEquals(1, contexts.size());
        Map<String, Object> ctx = contexts.get(0);
        assertEquals("Exception in callback failing()", ctx.get("message"));
        assertSame(boom, ctx.get("exception"));
        assertSame(handle, ctx.get("handle"));
        assertEquals(List.of("still running"), after);
        assertEquals(false, loop.isRunning());
    }

    @Test
    @DisplayName("LOOP-48 no custom handler by default; set installs one; null restores the default")
    void setAndRestore() {
        assertNull(loop.getExceptionHandler());
        loop.setExceptionHandler(recording);
        assertSame(recording, loop.getExceptionHandler());
        loop.setExceptionHandler(null);
        assertNull(loop.getExceptionHandler());
        try (LogCapture log = LogCapture.loop()) {
            loop.callExceptionHandler(context("to the default"));
            assertEquals(1, log.at(Level.SEVERE).size());
        }
        assertTrue(contexts.isEmpty());
    }

    @Test
    @DisplayName("LOOP-49 a custom handler gets the same context map and the default handler is not called")
    void customHandlerGetsTheSameMap() {
        loop.setExceptionHandler(recording);
        Map<String, Object> ctx = context("custom");
        try (LogCapture log = LogCapture.loop()) {
            loop.callExceptionHandler(ctx);
            assertEquals(List.of(), log.records());
        }
        assertEquals(1, contexts.size());
        assertSame(ctx, contexts.get(0));
    }

    @Test
    @DisplayName("LOOP-50 the default handler logs one ERROR: the message, then the other keys sorted, with the exception attached")
    void defaultHandlerFormat() {
        RuntimeException boom = new RuntimeException("boom");
        Map<String, Object> ctx = context("Something broke");
        ctx.put("zeta", 1);
        ctx.put("alpha", "two");
        ctx.put("exception", boom);
        try (LogCapture log = LogCapture.loop()) {
            loop.callExceptionHandler(ctx);
            List<LogRecord> records = log.records();
            assertEquals(1, records.size());
            LogRecord r = records.get(0);
            assertEquals(Level.SEVERE, r.getLevel());
            assertEquals("Something broke\nalpha: two\nzeta: 1", r.getMessage());
            assertSame(boom, r.getThrown());
        }
    }

    @Test
    @DisplayName("LOOP-50 a missing or empty message logs \"Unhandled exception in event loop\"")
    void defaultMessage() {
        try (LogCapture log = LogCapture.loop()) {
            loop.defaultExceptionHandler(context(""));
            Map<String, Object> noMessage = new HashMap<>();
            noMessage.put("key", "value");
            loop.defaultExceptionHandler(noMessage);
            List<LogRecord> records = log.records();
            assertEquals("Unhandled exception in event loop", records.get(0).getMessage());
            assertEquals("Unhandled exception in event loop\nkey: value", records.get(1).getMessage());
        }
    }

    @Test
    @DisplayName("LOOP-51 a failing custom handler: the default gets \"Unhandled error in exception handler\" with the original context")
    void brokenCustomHandler() {
        IllegalArgumentException broke = new IllegalArgumentException("handler broke");
        loop.setExceptionHandler((l, ctx) -> {
            throw broke;
        });
        Map<String, Object> original = context("original problem");
        try (LogCapture log = LogCapture.loop()) {
            loop.callExceptionHandler(original);
            List<LogRecord> records = log.records();
            assertEquals(1, records.size());
            LogRecord r = records.get(0);
            assertEquals(Level.SEVERE, r.getLevel());
            assertEquals("Unhandled error in exception handler\ncontext: " + original, r.getMessage());
            assertSame(broke, r.getThrown());
        }
    }

    @Test
    @DisplayName("LOOP-52 a failing default handler is logged as \"Exception in default exception handler\" and swallowed")
    void brokenDefaultHandler() {
        try (BrokenDefaultLoop broken = new BrokenDefaultLoop(); LogCapture log = LogCapture.loop()) {
            broken.callExceptionHandler(context("x"));
            broken.setExceptionHandler((l, ctx) -> {
                throw new IllegalArgumentException("custom broke too");
            });
            broken.callExceptionHandler(context("y"));
            List<LogRecord> records = log.records();
            assertEquals(2, records.size());
            assertEquals("Exception in default exception handler", records.get(0).getMessage());
            assertEquals("default handler broke", records.get(0).getThrown().getMessage());
            assertEquals("Exception in default exception handler while handling an unexpected error in custom "
                    + "exception handler", records.get(1).getMessage());
            assertEquals("default handler broke", records.get(1).getThrown().getMessage());
        }
    }

    @Test
    @DisplayName("LOOP-53 an Error in a handler propagates (asyncio4j: Errors play KeyboardInterrupt/SystemExit)")
    void errorsInHandlersPropagate() {
        AssertionError fatal = new AssertionError("fatal");
        loop.setExceptionHandler((l, ctx) -> {
            throw fatal;
        });
        assertSame(fatal, assertThrows(AssertionError.class, () -> loop.callExceptionHandler(context("x"))));
        try (SelectorEventLoop broken = new SelectorEventLoop() {
            @Override
            public void defaultExceptionHandler(Map<String, Object> context) {
                throw fatal;
            }
        }) {
            assertSame(fatal, assertThrows(AssertionError.class, () -> broken.callExceptionHandler(context("y"))));
        }
    }

    @Test
    @DisplayName("LOOP-54 a callback error's context holds exactly message, exception and handle (debug off)")
    void contextKeys() {
        loop.setExceptionHandler(recording);
        loop.callSoon(() -> {
            throw new RuntimeException("x");
        });
        Loops.runOnce(loop);
        assertEquals(Set.of("message", "exception", "handle"), contexts.get(0).keySet());
        EventLoop self = loop;
        assertSame(self, ((Handle) contexts.get(0).get("handle")).loop());
    }
}
