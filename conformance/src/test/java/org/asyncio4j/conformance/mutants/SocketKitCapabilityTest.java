package org.asyncio4j.conformance.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.KitRun;
import org.asyncio4j.conformance.PropertyOutcome;
import org.asyncio4j.conformance.RuleCatalogue;
import org.asyncio4j.conformance.SocketConformance;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A policy whose loops lack sockets ({@code --lack SOCKETS}) has every property of the socket kit skipped, none passed. */
class SocketKitCapabilityTest {
    @Test
    @DisplayName("--kits socket --lack SOCKETS: every socket property is skipped, naming the capability")
    void lackingSocketsSkipsEverySocketProperty() throws IOException {
        List<PropertyOutcome> outcomes = KitRun.run(new KitRun.Request(DefaultEventLoopPolicy.class, EnumSet.of(KitRun.Kit.SOCKET),
                EnumSet.noneOf(Capability.class), EnumSet.of(Capability.SOCKETS), MutantsTest.runDirectory("lacking-sockets"), false,
                1, null, null, null));
        assertEquals(RuleCatalogue.propertyMethods(SocketConformance.class).size(), outcomes.size(), "outcomes " + outcomes);
        for (PropertyOutcome o : outcomes) {
            assertEquals(PropertyOutcome.Status.SKIPPED, o.status(), o.toString());
            assertTrue(String.valueOf(o.message()).contains("SOCKETS"), o + ": " + o.message());
        }
    }
}
