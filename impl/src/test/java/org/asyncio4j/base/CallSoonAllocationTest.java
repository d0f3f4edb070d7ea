package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.asyncio4j.Handle;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates its Handle and nothing else (BaseEventLoop's documented allocation budget): bytes
 * allocated per callSoon + run, measured with HotSpot's per-thread counter after warm-up, stay within one
 * Handle's size (calibrated on this JVM) plus a little per-iteration overhead spread over the batch.
 */
class CallSoonAllocationTest {
    private static final int BATCH = 20_000;
    private static final Runnable NOOP = () -> { };
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    @DisplayName("LOOP-23 callSoon + run allocate about one Handle per callback")
    void oneHandlePerCallback() {
        try (SelectorEventLoop loop = new SelectorEventLoop()) {
            Handle[] keep = new Handle[BATCH];
            double handleBytes = 0;
            double perCallback = 0;
            for (int round = 0; round < 8; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < BATCH; i++) {
                    keep[i] = new Handle(NOOP, loop); // escapes into the array: really allocated
                }
                handleBytes = (threads.getCurrentThreadAllocatedBytes() - before) / (double) BATCH;

                before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < BATCH; i++) {
                    loop.callSoon(NOOP);
                }
                Loops.runOnce(loop);
                perCallback = (threads.getCurrentThreadAllocatedBytes() - before) / (double) BATCH;
            }
            assertTrue(handleBytes >= 16, "calibration: " + handleBytes + " bytes per Handle");
            assertTrue(perCallback <= handleBytes + 2, perCallback + " bytes per callback, a Handle is " + handleBytes);
        }
    }
}
