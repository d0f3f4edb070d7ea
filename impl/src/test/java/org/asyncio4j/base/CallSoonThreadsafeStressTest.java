package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Many producers, one running loop (LOOP-24, LOOP-38): nothing lost, nothing doubled, FIFO per producer. */
class CallSoonThreadsafeStressTest {
    private static final int PRODUCERS = 8;
    private static final int PER_PRODUCER = 100_000;

    @Test
    @DisplayName("LOOP-24 LOOP-38 8 threads x 100,000 callSoonThreadsafe: each runs once, in order per producer")
    void everyCallbackRunsOnceInProducerOrder() {
        try (SelectorEventLoop loop = new SelectorEventLoop()) {
            int[] next = new int[PRODUCERS];    // loop thread only
            long[] outOfOrder = new long[1];
            long[] total = new long[1];
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers.add(new Thread(() -> {
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        int seq = i;
                        loop.callSoonThreadsafe(() -> {
                            if (next[producer] != seq) {
                                outOfOrder[0]++;
                            }
                            next[producer] = seq + 1;
                            if (++total[0] == (long) PRODUCERS * PER_PRODUCER) {
                                loop.stop();
                            }
                        });
                    }
                }, "producer-" + p));
            }
            loop.callSoon(() -> producers.forEach(Thread::start));
            loop.callLater(Loops.TIMEOUT_SECONDS * 4, loop::stop); // safety net against a lost callback
            loop.runForever();
            producers.forEach(Loops::join);
            assertEquals((long) PRODUCERS * PER_PRODUCER, total[0]);
            assertEquals(0, outOfOrder[0]);
            int[] all = new int[PRODUCERS];
            Arrays.fill(all, PER_PRODUCER);
            assertEquals(Arrays.toString(all), Arrays.toString(next));
            Loops.runOnce(loop);
            assertEquals((long) PRODUCERS * PER_PRODUCER, total[0], "no extra run");
        }
    }
}
