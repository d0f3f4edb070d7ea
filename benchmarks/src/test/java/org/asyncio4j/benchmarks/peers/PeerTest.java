package org.asyncio4j.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every peer does each workload right on real children, and leaves none behind: asyncio4j with Safe and
 * Pidfd, and the JDK. NuProcess is left to the benchmark runs, which fork a JVM per peer: it initialises the
 * JDK's process classes, which must not happen in the JVM that runs the asyncio4j peers.
 */
class PeerTest {

    @ParameterizedTest
    @ValueSource(strings = {"asyncio4j-safe", "asyncio4j-pidfd", "processbuilder"})
    void everyWorkloadReadsWhatTheChildWroteAndReapsIt(String name) throws Exception {
        Path lines = OutputPeersBenchmark.writeLinesFile();
        try (Peer peer = Peer.named(name)) {
            assertEquals(64 * 1024, Files.size(lines));
            peer.runAll(List.of("/bin/true"), 1);
            peer.runAll(List.of("/bin/true"), 64);
            assertEquals(OutputPeersBenchmark.MIB, peer.readAll(OutputPeersBenchmark.ONE_MIB));
            assertEquals(OutputPeersBenchmark.LINES, peer.readLines(List.of("/bin/cat", lines.toString())));
            assertEquals(OutputPeersBenchmark.LINES, peer.readLines(List.of("/bin/cat", lines.toString())));

            List<Peer.IdleChild> idle = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                idle.add(peer.spawnIdle());
            }
            for (int round = 0; round < 20; round++) {
                Peer.IdleChild victim = idle.remove(0);
                victim.kill();
                int code = victim.awaitExit();
                assertTrue(code == -9 || code == 137, name + " reported exit code " + code + " for SIGKILL");
                idle.add(peer.spawnIdle());
            }
        } finally {
            Files.delete(lines);
        }
        assertFalse(hasChildren(), "a child of this JVM is still alive or a zombie after close");
    }

    @Test
    void anUnknownPeerIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Peer.named("jnr"));
        assertTrue(e.getMessage().contains("got jnr"), e.getMessage());
    }

    /** Whether this JVM has a child process (live or zombie), from /proc's children lists of its threads. */
    static boolean hasChildren() throws Exception {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (!Files.readString(task.resolve("children")).isBlank()) {
                    return true;
                }
            }
        }
        return false;
    }
}
