package org.asyncio4j.benchmarks.sockets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every peer's server echoes exactly what a plain socket sends it, its clients' rounds complete (a miscount would
 * time out or fail the round), and closing leaves no thread of the peer running and no port listening.
 */
class SocketPeerTest {
    /** Threads made once per JVM on first use and kept: the JDK's cleaners, jnr's finalizer, asyncio4j's. */
    private static final List<String> LASTING = List.of("Cleaner-", "jnr.ffi.util.ref.internal.Finalizer",
            "asyncio4j-future-cleaner");

    @ParameterizedTest
    @CsvSource({"asyncio4j-selector, 1024, 3", "asyncio4j-selector, 65536, 2", "asyncio4j-proactor, 1024, 3",
            "asyncio4j-proactor, 65536, 2", "netty-epoll, 1024, 3", "netty-epoll, 65536, 2"})
    void roundsCompleteAndTheServerEchoesEveryByte(String name, int size, int connections) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        int port;
        try (SocketPeer peer = SocketPeer.open(name, size, connections)) {
            port = peer.serverPort();
            for (int round = 0; round < 20; round++) {
                peer.echo(round % 2 == 0 ? 1 : EchoSocketsBenchmark.DEPTH);
            }
            byte[] sent = SocketPeer.message(3 * size + 7);
            assertArrayEquals(sent, echoedByPlainSocket(port, sent), name + " echoed other bytes than were sent");
            peer.echo(EchoSocketsBenchmark.DEPTH);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> peer.echo(0));
            assertEquals("depth must be at least 1, got 0", e.getMessage());
            peer.echo(1);
        }
        assertNoNewThreadAlive(before, name);
        assertThrows(IOException.class, () -> echoedByPlainSocket(port, new byte[1]),
                name + " still listens after close");
    }

    @ParameterizedTest
    @ValueSource(strings = {"asyncio4j", "epoll"})
    void anUnknownPeerIsRefusedByName(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SocketPeer.open(name, 1, 1));
        assertTrue(e.getMessage().endsWith("got " + name), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SocketPeer.open("netty-epoll", 0, 1));
        assertEquals("messageBytes must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SocketPeer.open("netty-epoll", 1, 0));
        assertEquals("connections must be at least 1, got 0", e.getMessage());
    }

    /** Sends {@code data} on a blocking socket and reads as many bytes back, with a read timeout. */
    private static byte[] echoedByPlainSocket(int port, byte[] data) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            s.setSoTimeout(10_000);
            byte[] back = new byte[data.length];
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(data);
                    out.flush();
                } catch (IOException e) {
                    // the read below fails or times out and says so
                }
            }, "plain-socket-writer");
            writer.start();
            try {
                new DataInputStream(s.getInputStream()).readFully(back);
            } finally {
                s.shutdownOutput();
                writer.join(10_000);
            }
            return back;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Threads a peer started end with its close; the waits are bounded. */
    private static void assertNoNewThreadAlive(Set<Thread> before, String name) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<Thread> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && LASTING.stream().noneMatch(t.getName()::startsWith))
                    .collect(Collectors.toSet());
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        fail(name + " left threads running: " + left);
    }
}
