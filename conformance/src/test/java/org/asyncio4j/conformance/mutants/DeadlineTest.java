package org.asyncio4j.conformance.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.KitRun;
import org.asyncio4j.conformance.PropertyOutcome;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A hung implementation fails, it does not hang the kit: a loop whose runUntilComplete never returns by
 * itself is run through one selected property with deadlines scaled down, and the property fails on its
 * rule with the overrun named.
 */
class DeadlineTest {
    /** A loop whose runUntilComplete runs until something stops it, whatever its future does. */
    public static final class HangsInRunUntilComplete extends DefaultEventLoopPolicy {
        @Override
        protected EventLoop createEventLoop() {
            return new SelectorEventLoop() {
                @Override
                public <T> T runUntilComplete(AsyncFuture<T> future) {
                    runForever();
                    return future.done() ? future.result() : null;
                }
            };
        }
    }

    @Test
    @DisplayName("a try that hangs overruns its deadline and fails on the property's rule; one property can be selected")
    void aHungTryFailsOnItsRule() throws IOException {
        List<PropertyOutcome> outcomes = KitRun.run(new KitRun.Request(HangsInRunUntilComplete.class, EnumSet.of(KitRun.Kit.LOOP),
                EnumSet.noneOf(Capability.class), EnumSet.noneOf(Capability.class), MutantsTest.runDirectory("deadline"), false,
                3, null, 0.02, "runUntilCompleteEndsAsItsFutureEnds"));
        assertEquals(1, outcomes.size(), "outcomes of one selected property: " + outcomes);
        PropertyOutcome o = outcomes.get(0);
        assertEquals(PropertyOutcome.Status.FAILED, o.status(), o.toString() + " " + o.message());
        assertEquals("LOOP-12", o.violatedRule());
        assertTrue(o.message().contains("overran its deadline"), o.message());
    }
}
