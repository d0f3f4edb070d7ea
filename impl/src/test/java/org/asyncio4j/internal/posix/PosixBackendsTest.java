package org.asyncio4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which backend {@link PosixBackends} chooses, and how it refuses what it cannot give. */
class PosixBackendsTest {
    private static final int FEATURE = Runtime.version().feature();

    @Test
    void ffmByDefaultFromJava22WhenPresentElseJnr() {
        assertEquals("ffm", PosixBackends.choose(null, 22, true));
        assertEquals("ffm", PosixBackends.choose(null, 25, true));
        assertEquals("jnr", PosixBackends.choose(null, 25, false));
        assertEquals("jnr", PosixBackends.choose(null, 21, false));
        assertEquals("jnr", PosixBackends.choose(null, 17, false));
    }

    @Test
    void thePropertyWins() {
        assertEquals("jnr", PosixBackends.choose("jnr", 25, true));
        assertEquals("ffm", PosixBackends.choose("ffm", 25, true));
    }

    @Test
    void anUnknownBackendIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PosixBackends.named("jna"));
        assertTrue(e.getMessage().contains("jna"), e.getMessage());
    }

    @Test
    void thisJvmRunsFfmFrom22AndJnrBefore() {
        if (FEATURE >= 22) {
            assertEquals(List.of("jnr", "ffm"), PosixBackends.available());
        } else {
            assertEquals(List.of("jnr"), PosixBackends.available());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> PosixBackends.named("ffm"));
            assertTrue(e.getMessage().contains("Java 22"), e.getMessage());
        }
        String forced = System.getProperty(PosixBackends.PROPERTY);
        assertEquals(forced != null ? forced : FEATURE >= 22 ? "ffm" : "jnr", Posix.get().name());
    }
}
