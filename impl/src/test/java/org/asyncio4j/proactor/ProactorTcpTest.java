package org.asyncio4j.proactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Real loopback TCP (127.0.0.1 only) through the proactor's completion-based I/O. The class timeout is a
 * safety net for a lost completion, which would otherwise park the loop forever.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProactorTcpTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int PAYLOAD_BYTES = 8 * 1024 * 1024;

    private ProactorEventLoop loop;
    private final AtomicInteger offLoopCallbacks = new AtomicInteger();

    @BeforeAll
    static void createTheJdksProcessWideDescriptors() {
        NioWarmUp.once();
    }

    /** After NoLeaks' snapshot: the group's threads and every socket must be gone once the loop is closed. */
    @BeforeEach
    void openLoop() {
        loop = new ProactorEventLoop();
    }

    @AfterEach
    void closeLoop() {
        loop.close();
        assertEquals(0, offLoopCallbacks.get(), "callbacks ran off the loop thread");
    }

    @Test
    @DisplayName("PROACTOR-IO echo of 8 MiB over loopback; every future completes on the loop thread")
    void echoesALargePayload() throws IOException {
        loop.setDebug(true); // a future settled off the loop thread would then fail its callSoon (LOOP-40)
        byte[] payload = new byte[PAYLOAD_BYTES];
        new Random(42).nextBytes(payload);
        AsynchronousServerSocketChannel server = loop.openServer(ANY_LOOPBACK_PORT);
        AsyncFuture<byte[]> echoed = loop.createFuture();

        then(loop.accept(server), echoed, this::echo);
        AsynchronousSocketChannel client = loop.openClient();
        then(loop.connect(client, server.getLocalAddress()), echoed, connected -> {
            ByteBuffer out = ByteBuffer.wrap(payload);
            writeAll(client, out, echoed, () -> shutdownOutput(client, echoed));
            readToEnd(client, ByteBuffer.allocate(PAYLOAD_BYTES + 1), echoed);
        });

        byte[] received = loop.runUntilComplete(echoed);
        assertEquals(PAYLOAD_BYTES, received.length);
        assertArrayEquals(payload, received);
    }

    @Test
    @DisplayName("PROACTOR-IO a connect stays pending until the loop runs, though NIO.2 has already connected")
    void completionWaitsForTheLoop() throws Exception {
        AsynchronousServerSocketChannel server = loop.openServer(ANY_LOOPBACK_PORT);
        AsyncFuture<AsynchronousSocketChannel> accepted = loop.accept(server);
        AsynchronousSocketChannel client = loop.openClient();
        AsyncFuture<Void> connected = loop.connect(client, server.getLocalAddress());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.getRemoteAddress() == null) { // NIO.2 sets it just before calling the handler
            assertTrue(System.nanoTime() < deadline, "never connected");
            Thread.sleep(1);
        }
        assertFalse(connected.done(), "the connect completed off the loop thread");
        assertFalse(accepted.done(), "the accept completed off the loop thread");

        assertNull(loop.runUntilComplete(connected));
        AsynchronousSocketChannel peer = loop.runUntilComplete(accepted);
        assertEquals(client.getLocalAddress(), peer.getRemoteAddress());
    }

    @Test
    @DisplayName("PROACTOR-IO a refused connection fails the future with the ConnectException")
    void refusedConnectionFailsTheFuture() throws IOException {
        SocketAddress nobodyListens;
        try (AsynchronousServerSocketChannel s = loop.openServer(ANY_LOOPBACK_PORT)) {
            nobodyListens = s.getLocalAddress();
        }
        AsynchronousSocketChannel client = loop.openClient();
        AsyncFuture<Void> connected = loop.connect(client, nobodyListens);
        CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(connected));
        assertInstanceOf(ConnectException.class, e.getCause());
        assertInstanceOf(ConnectException.class, connected.exception());
    }

    @Test
    @DisplayName("PROACTOR-IO a read of a peer that closed completes with -1 (end of stream)")
    void readAtEndOfStreamGivesMinusOne() throws Exception {
        AsynchronousServerSocketChannel server = loop.openServer(ANY_LOOPBACK_PORT);
        AsyncFuture<AsynchronousSocketChannel> accepted = loop.accept(server);
        AsynchronousSocketChannel client = loop.openClient();
        loop.runUntilComplete(loop.connect(client, server.getLocalAddress()));
        loop.runUntilComplete(accepted).close();
        assertEquals(-1, loop.runUntilComplete(loop.read(client, ByteBuffer.allocate(16))));
    }

    @Test
    @DisplayName("LOOP-17 close abandons pending operations and closes the loop's channels")
    void closeClosesTheChannels() throws IOException {
        AsynchronousServerSocketChannel server = loop.openServer(ANY_LOOPBACK_PORT);
        AsyncFuture<AsynchronousSocketChannel> pending = loop.accept(server);
        AsynchronousSocketChannel client = loop.openClient();
        loop.close();
        assertFalse(server.isOpen());
        assertFalse(client.isOpen());
        assertFalse(pending.done());
    }

    @Test
    @DisplayName("LOOP-18 a closed proactor refuses new I/O with \"Event loop is closed\"")
    void closedLoopRefusesIo() throws IOException {
        AsynchronousServerSocketChannel server = loop.openServer(ANY_LOOPBACK_PORT);
        AsynchronousSocketChannel client = loop.openClient();
        loop.close();
        ByteBuffer buffer = ByteBuffer.allocate(1);
        assertClosed(() -> loop.read(client, buffer));
        assertClosed(() -> loop.write(client, buffer));
        assertClosed(() -> loop.accept(server));
        assertClosed(() -> loop.connect(client, ANY_LOOPBACK_PORT));
        assertClosed(() -> loop.openServer(ANY_LOOPBACK_PORT));
        assertClosed(loop::openClient);
    }

    @Test
    @DisplayName("PROACTOR-IO null arguments are rejected, naming the argument")
    void nullArgumentsAreNamed() throws IOException {
        AsynchronousSocketChannel client = loop.openClient();
        ByteBuffer buffer = ByteBuffer.allocate(1);
        assertEquals("channel", assertThrows(NullPointerException.class, () -> loop.read(null, buffer)).getMessage());
        assertEquals("dst", assertThrows(NullPointerException.class, () -> loop.read(client, null)).getMessage());
        assertEquals("src", assertThrows(NullPointerException.class, () -> loop.write(client, null)).getMessage());
        assertEquals("server", assertThrows(NullPointerException.class, () -> loop.accept(null)).getMessage());
        assertEquals("remote", assertThrows(NullPointerException.class, () -> loop.connect(client, null)).getMessage());
        assertEquals("local", assertThrows(NullPointerException.class, () -> loop.openServer(null)).getMessage());
    }

    private static void assertClosed(Executable call) {
        assertEquals("Event loop is closed", assertThrows(IllegalStateException.class, call).getMessage());
    }

    // ----- the echo, as chains of completions --------------------------------------------------------

    /** Server side: read a chunk, write it all back, repeat; close at end of stream. */
    private void echo(AsynchronousSocketChannel peer) {
        AsyncFuture<Void> failures = loop.createFuture();
        failures.addDoneCallback(f -> f.exception()); // retrieved: the client side reports what matters
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        Runnable[] next = new Runnable[1];
        next[0] = () -> then(loop.read(peer, chunk.clear()), failures, n -> {
            if (n < 0) {
                closeQuietly(peer);
                return;
            }
            writeAll(peer, chunk.flip(), failures, next[0]);
        });
        next[0].run();
    }

    private void writeAll(AsynchronousSocketChannel ch, ByteBuffer src, AsyncFuture<?> outcome, Runnable whenDone) {
        then(loop.write(ch, src), outcome, n -> {
            if (src.hasRemaining()) {
                writeAll(ch, src, outcome, whenDone);
            } else {
                whenDone.run();
            }
        });
    }

    private void readToEnd(AsynchronousSocketChannel ch, ByteBuffer dst, AsyncFuture<byte[]> outcome) {
        then(loop.read(ch, dst), outcome, n -> {
            if (n >= 0) {
                readToEnd(ch, dst, outcome);
                return;
            }
            byte[] bytes = new byte[dst.flip().remaining()];
            dst.get(bytes);
            closeQuietly(ch);
            outcome.setResult(bytes);
        });
    }

    private static void shutdownOutput(AsynchronousSocketChannel ch, AsyncFuture<?> outcome) {
        try {
            ch.shutdownOutput();
        } catch (IOException e) {
            outcome.setException(e);
        }
    }

    /** On success runs {@code next} with the result; otherwise fails {@code outcome}. Notes off-loop callbacks. */
    private <T> void then(AsyncFuture<T> step, AsyncFuture<?> outcome, Consumer<T> next) {
        step.addDoneCallback(done -> {
            if (EventLoops.runningLoopOrNull() != loop) { // set only in the thread running the loop
                offLoopCallbacks.incrementAndGet();
            }
            if (outcome.done()) {
                return;
            }
            Throwable failure = done.exception();
            if (failure != null) {
                outcome.setException(failure);
                return;
            }
            try {
                next.accept(done.result());
            } catch (RuntimeException e) {
                outcome.setException(e);
            }
        });
    }

    private static void closeQuietly(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the loop's close() closes it anyway
        }
    }
}
