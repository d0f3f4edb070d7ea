package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.asyncio4j.Handle;
import org.asyncio4j.support.Loops;
import org.asyncio4j.testing.LogCapture;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What happens to {@code callSoonThreadsafe} calls made between {@code stop()} and {@code close()}: they are
 * dropped, as in CPython (LOOP-17), and {@code close()} says how many at DEBUG level (issue 8).
 */
class DroppedCallbacksTest {

    @Test
    @DisplayName("LOOP-17 callbacks queued after stop() never run; close() logs at DEBUG how many it dropped")
    void closeCountsWhatItDrops() {
        AtomicInteger ran = new AtomicInteger();
        SelectorEventLoop loop = new SelectorEventLoop();
        try (LogCapture log = LogCapture.loop()) {
            Loops.runOnce(loop);
            // the loop has stopped; another thread still schedules work
            Thread other = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    loop.callSoonThreadsafe(ran::incrementAndGet);
                }
                loop.callSoonThreadsafe(ran::incrementAndGet).cancel();
            });
            other.start();
            Loops.join(other);
            loop.close();
            assertEquals(0, ran.get());
            List<String> debug = log.at(Level.FINE).stream().map(LogRecord::getMessage).toList();
            assertEquals(1, debug.size(), debug.toString());
            assertTrue(debug.get(0).endsWith(" dropped 3 callback(s) that had not run"), debug.get(0));
            assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(ran::incrementAndGet));
        }
    }

    @Test
    @DisplayName("LOOP-17 a loop closed with nothing queued logs nothing")
    void nothingDroppedNothingLogged() {
        try (LogCapture log = LogCapture.loop()) {
            SelectorEventLoop loop = new SelectorEventLoop();
            Handle h = loop.callSoon(() -> { });
            h.cancel();
            loop.close();
            assertEquals(List.of(), log.at(Level.FINE));
        }
    }
}
