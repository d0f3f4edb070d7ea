package org.asyncio4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.asyncio4j.internal.posix.ChildWaiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The power self-test's seam: switched on by a system property, adding counted work, refusing bad values. */
class SlowChildWaiterTest {

    @AfterEach
    void clear() {
        System.clearProperty(SlowChildWaiter.PROPERTY);
    }

    @Test
    void unsetOrZeroMeansTheSystemWaiterUnwrapped() {
        assertFalse(SlowChildWaiter.fromSystemProperty() instanceof SlowChildWaiter);
        System.setProperty(SlowChildWaiter.PROPERTY, "0");
        assertFalse(SlowChildWaiter.fromSystemProperty() instanceof SlowChildWaiter);
    }

    @Test
    void aFractionWrapsTheSystemWaiterAndPassesEveryCallOn() {
        System.setProperty(SlowChildWaiter.PROPERTY, "150");
        ChildWaiter slow = SlowChildWaiter.fromSystemProperty();
        assertTrue(slow instanceof SlowChildWaiter, slow.getClass().getName());
        ChildWaiter answers = new ChildWaiter() {   // a stand-in: only the decorator's pass-through is under test
            @Override
            public long waitpid(long pid, int options) {
                return pid * 1000 + options;
            }

            @Override
            public int pidfdOpen(long pid) {
                return (int) pid + 1;
            }
        };
        CountingChildWaiter counting = new CountingChildWaiter(new SlowChildWaiter(answers, 150));
        assertEquals(7001, counting.waitpid(7, 1));
        assertEquals(8, counting.pidfdOpen(7));
        assertEquals(1, counting.waitpidCalls());
    }

    @Test
    void theExtraIsACountOfRoundsScaledFromTheMeasuredCostOfARound() {
        assertEquals(75, new SlowChildWaiter(ChildWaiter.system(), 150, 2.0).rounds());
        assertEquals(0, new SlowChildWaiter(ChildWaiter.system(), 0, 2.0).rounds());
        double perRound = SlowChildWaiter.nanosPerRound();
        assertTrue(perRound > 0.01 && perRound < 100, "one round of a multiply-add in ns: " + perRound);
    }

    @Test
    void theWorkIsTheGeneratorsStepsOneByOne() {
        long x = 7;
        for (int i = 0; i < 5; i++) {
            x = SlowChildWaiter.work(x, 1);
        }
        assertEquals(x, SlowChildWaiter.work(7, 5));
        assertEquals(7, SlowChildWaiter.work(7, 0));
    }

    @Test
    void badValuesAreRefusedWithTheValue() {
        System.setProperty(SlowChildWaiter.PROPERTY, "a quarter");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SlowChildWaiter::fromSystemProperty);
        assertTrue(e.getMessage().contains("a quarter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SlowChildWaiter(ChildWaiter.system(), -5));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SlowChildWaiter(ChildWaiter.system(), 5, 0));
        assertTrue(e.getMessage().contains("nanosPerRound"), e.getMessage());
    }
}
