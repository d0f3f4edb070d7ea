package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * FUT-18: a future whose exception nobody retrieved reports it to the loop's exception handler once it is
 * garbage-collected. Collection is up to the GC, so the test only asks that the report arrives within a
 * generous number of {@code System.gc()} rounds, and that futures whose exception was looked at never report.
 */
class UnretrievedExceptionTest {
    private final SelectorEventLoop loop = new SelectorEventLoop();
    private final List<Map<String, Object>> reports = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        loop.close();
    }

    private void abandon(Throwable e) {
        AsyncFuture<Object> f = loop.createFuture();
        f.setException(e);
    }

    private void abandonAfterRetrieving(Throwable e) {
        AsyncFuture<Object> f = loop.createFuture();
        f.setException(e);
        f.exception();
    }

    private void abandonAfterResult(Throwable e) {
        AsyncFuture<Object> f = loop.createFuture();
        f.setException(e);
        try {
            f.result();
        } catch (RuntimeException expected) {
            // retrieved
        }
    }

    private void abandonAfterCancel(Throwable e) {
        AsyncFuture<Object> f = loop.createFuture();
        f.setException(e);
        f.cancel();
    }

    private boolean reported(Throwable e) {
        return reports.stream().anyMatch(r -> r.get("exception") == e);
    }

    @Test
    @DisplayName("FUT-18 an unretrieved exception is reported after GC: \"Future exception was never retrieved\"; retrieved ones never are")
    void reportedOnlyWhenNeverRetrieved() {
        loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
        RuntimeException lost = new RuntimeException("lost");
        RuntimeException seen = new RuntimeException("seen");
        RuntimeException thrown = new RuntimeException("thrown");
        RuntimeException cancelled = new RuntimeException("cancelled");
        abandon(lost);
        abandonAfterRetrieving(seen);
        abandonAfterResult(thrown);
        abandonAfterCancel(cancelled);
        for (int round = 0; round < 300 && !reported(lost); round++) {
            System.gc();
            Loops.pause(10);
            Loops.runOnce(loop); // the report reaches the handler through callSoonThreadsafe
        }
        assertTrue(reported(lost), "no report after 300 GC rounds");
        for (int round = 0; round < 5; round++) { // the others were collected together with it
            System.gc();
            Loops.pause(10);
            Loops.runOnce(loop);
        }
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        Map<String, Object> report = reports.get(0);
        assertEquals("Future exception was never retrieved", report.get("message"));
        assertSame(lost, report.get("exception"));
        assertEquals("<Future finished exception=java.lang.RuntimeException: lost>", String.valueOf(report.get("future")));
    }
}
