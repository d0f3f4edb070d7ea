package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.asyncio4j.support.Loops;
import org.asyncio4j.testing.LogCapture;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * LOOP-21: a loop collected without close() warns and releases its descriptors. Collection is up to the GC,
 * so the test only asks that the warning arrives within a generous number of {@code System.gc()} rounds.
 */
class UnclosedLoopTest {

    /** Creates a loop, runs it once and drops it unclosed; returns its description. */
    private static String abandonLoop(boolean close) {
        SelectorEventLoop loop = new SelectorEventLoop();
        Loops.runOnce(loop);
        String description = loop.toString();
        if (close) {
            loop.close();
        }
        return description.substring(0, description.indexOf(' ')); // "<SelectorEventLoop#N"
    }

    private static List<String> warningsAbout(LogCapture warnings, String loopId) {
        return warnings.records().stream().map(LogRecord::getMessage)
                .filter(m -> m.contains(loopId + " ")).collect(Collectors.toList());
    }

    @Test
    @DisplayName("LOOP-21 an unclosed loop that is collected warns \"ResourceWarning: unclosed event loop <loop>\" and closes its fds")
    void unclosedLoopWarnsAndReleases() {
        try (LogCapture warnings = LogCapture.warnings()) {
            List<String> fdsBefore = ProcessTable.leakableFds();
            String closedId = abandonLoop(true);
            String leakedId = abandonLoop(false);
            for (int round = 0; round < 300 && warningsAbout(warnings, leakedId).isEmpty(); round++) {
                System.gc();
                Loops.pause(10);
            }
            List<String> about = warningsAbout(warnings, leakedId);
            assertEquals(1, about.size(), () -> "warnings: " + warnings.records());
            assertTrue(about.get(0).startsWith("ResourceWarning: unclosed event loop " + leakedId + " running=false closed=false"),
                    about.get(0));
            assertEquals(List.of(), warningsAbout(warnings, closedId), "a closed loop never warns");
            List<String> leaked = ProcessTable.leakableFds();
            leaked.removeAll(fdsBefore);
            assertEquals(List.of(), leaked.stream().filter(f -> f.contains("[eventpoll]") || f.contains("[eventfd]"))
                    .collect(Collectors.toList()), "the collected loop's epoll and eventfd are closed");
        }
    }
}
