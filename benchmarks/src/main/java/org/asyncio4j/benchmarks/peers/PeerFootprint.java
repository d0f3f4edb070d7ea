package org.asyncio4j.benchmarks.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JVM threads and resident memory with n idle children alive, for one peer: a count, not a timing, so a plain
 * program rather than a JMH benchmark. Run it in a JVM of its own per peer (run-peers.sh does). Prints one
 * line: {@code peer children threadsBefore threadsWith rssKiBBefore rssKiBWith}, where "before" is after one
 * child was spawned and reaped (the library's lazy threads exist) and "with" is with the n children alive.
 */
public final class PeerFootprint {
    private PeerFootprint() {
    }

    /**
     * Measures one peer.
     *
     * @param args the peer name (asyncio4j-safe, asyncio4j-pidfd, nuprocess, processbuilder) and n (1..9999)
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PeerFootprint PEER CHILDREN, got " + List.of(args));
        }
        int n = Integer.parseInt(args[1]);
        if (n < 1 || n > 9_999) {
            throw new IllegalArgumentException("CHILDREN must be in 1..9999, got " + n);
        }
        try (Peer peer = Peer.named(args[0])) {
            peer.runAll(List.of("/bin/true"), 1);
            System.gc();
            long threadsBefore = status("Threads:");
            long rssBefore = status("VmRSS:");
            List<Peer.IdleChild> children = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                children.add(peer.spawnIdle());
            }
            Thread.sleep(500);
            System.gc();
            long threadsWith = status("Threads:");
            long rssWith = status("VmRSS:");
            System.out.println(args[0] + " " + n + " " + threadsBefore + " " + threadsWith + " " + rssBefore + " "
                    + rssWith);
        }
    }

    /** A number from /proc/self/status (VmRSS in KiB). */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }
}
