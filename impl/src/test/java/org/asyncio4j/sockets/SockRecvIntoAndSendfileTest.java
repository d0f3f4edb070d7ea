package org.asyncio4j.sockets;

import static org.asyncio4j.sockets.SocketFixtures.loopback;
import static org.asyncio4j.sockets.SocketFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.net.StandardProtocolFamily;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.SendfileNotAvailableException;
import org.asyncio4j.Server;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.sockets.SocketFixtures.Recorder;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sockRecvInto}, {@code sockSendfile} and {@code sendfile} on real loopback sockets, on both loops: the
 * count and the buffer's position, end of stream, cancellation, a few MiB file whole and a range, zero-copy where
 * the loop has it and the read-and-send fallback where it has not, the file position rule, and bad arguments.
 */
class SockRecvIntoAndSendfileTest {
    private static final double TIMEOUT = 30;
    private static final int FILE_SIZE = 3 << 20;

    @TempDir
    Path dir;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    /** The future's failure: runUntilComplete rethrows an unchecked one as it is, a checked one wrapped. */
    private static Throwable failure(EventLoop loop, AsyncFuture<?> f) {
        Throwable e = assertThrows(Throwable.class, () -> await(loop, f));
        return e instanceof CompletionException ? e.getCause() : e;
    }

    /** A connected pair: [client, accepted peer]. */
    private static LoopSocket[] pair(EventLoop loop) throws Exception {
        try (LoopSocket server = loop.openSocket(StandardProtocolFamily.INET)) {
            server.bind(loopback(0));
            server.listen(1);
            LoopSocket client = loop.openSocket(StandardProtocolFamily.INET);
            AsyncFuture<LoopSocket> accepting = loop.sockAccept(server);
            await(loop, loop.sockConnect(client, server.localAddress()));
            return new LoopSocket[] {client, await(loop, accepting)};
        }
    }

    /** Reads {@code n} bytes from {@code sock} with sockRecvInto. */
    private static byte[] receive(EventLoop loop, LoopSocket sock, long n) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < n) {
            buf.clear();
            int count = await(loop, loop.sockRecvInto(sock, buf));
            assertTrue(count > 0, "end of stream after " + got.size() + " of " + n);
            assertEquals(count, buf.position());
            got.write(buf.array(), 0, count);
        }
        return got.toByteArray();
    }

    private byte[] content;

    private Path file() throws Exception {
        content = pattern(FILE_SIZE);
        Path file = dir.resolve("data.bin");
        Files.write(file, content);
        return file;
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void recvIntoFillsTheBufferFromItsPositionAndSaysZeroAtEndOfStream(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            LoopSocket[] p = pair(loop);
            try (LoopSocket client = p[0]; LoopSocket peer = p[1]) {
                await(loop, loop.sockSendall(client, "hello".getBytes()));
                ByteBuffer buf = ByteBuffer.allocate(16);
                buf.put((byte) '>');
                assertEquals(5, receive(loop, peer, 0).length + await(loop, loop.sockRecvInto(peer, buf)));
                assertEquals(6, buf.position());
                assertEquals(">hello", new String(buf.array(), 0, 6));
                assertEquals(0, await(loop, loop.sockRecvInto(peer, ByteBuffer.allocate(0))), "no room: 0");
                client.close();
                assertEquals(0, await(loop, loop.sockRecvInto(peer, ByteBuffer.allocate(8))), "end of stream");
                IllegalArgumentException readOnly = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockRecvInto(peer, ByteBuffer.allocate(4).asReadOnlyBuffer()));
                assertTrue(readOnly.getMessage().startsWith("buf must be writable"), readOnly.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aCancelledRecvIntoFillsNothingAndTheNextOneGetsTheData(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            LoopSocket[] p = pair(loop);
            try (LoopSocket client = p[0]; LoopSocket peer = p[1]) {
                ByteBuffer first = ByteBuffer.allocate(10);
                AsyncFuture<Integer> waiting = loop.sockRecvInto(peer, first);
                await(loop, AsyncFutures.sleep(loop, 0.01));
                assertFalse(waiting.done());
                assertTrue(waiting.cancel());
                await(loop, loop.sockSendall(client, "abc".getBytes()));
                await(loop, AsyncFutures.sleep(loop, 0.01));
                assertEquals(0, first.position(), "the cancelled call filled nothing");
                assertEquals("abc", new String(receive(loop, peer, 3)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void sockSendfileSendsAFileByPathWholeAndARange(Supplier<EventLoop> loops) throws Exception {
        Path file = file();
        try (EventLoop loop = loops.get()) {
            LoopSocket[] p = pair(loop);
            try (LoopSocket client = p[0]; LoopSocket peer = p[1]) {
                AsyncFuture<Long> whole = loop.sockSendfile(client, file, 0, null, true);
                assertArrayEquals(content, receive(loop, peer, FILE_SIZE));
                assertEquals(FILE_SIZE, await(loop, whole));
                AsyncFuture<Long> range = loop.sockSendfile(client, file, 1000, 100_000L, true);
                assertArrayEquals(Arrays.copyOfRange(content, 1000, 101_000), receive(loop, peer, 100_000));
                assertEquals(100_000, await(loop, range));
                assertEquals(0, await(loop, loop.sockSendfile(client, file, FILE_SIZE + 10, null, true)),
                        "from beyond the end: nothing");
                AsyncFuture<Long> zeroCopyOnly = loop.sockSendfile(client, file, FILE_SIZE - 10, null, false);
                if (loop instanceof SelectorEventLoop) {
                    assertEquals(10, await(loop, zeroCopyOnly), "sendfile(2)");
                    assertArrayEquals(Arrays.copyOfRange(content, FILE_SIZE - 10, FILE_SIZE), receive(loop, peer, 10));
                } else {
                    Throwable e = failure(loop, zeroCopyOnly);
                    assertInstanceOf(SendfileNotAvailableException.class, e);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aFileChannelGoesThroughTheFallbackAndItsPositionFollows(Supplier<EventLoop> loops) throws Exception {
        Path file = file();
        try (EventLoop loop = loops.get(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            LoopSocket[] p = pair(loop);
            try (LoopSocket client = p[0]; LoopSocket peer = p[1]) {
                AsyncFuture<Long> range = loop.sockSendfile(client, channel, 5, 600_000L, true);
                assertArrayEquals(Arrays.copyOfRange(content, 5, 600_005), receive(loop, peer, 600_000));
                assertEquals(600_000, await(loop, range));
                assertEquals(600_005, channel.position(), "CPython leaves the file at offset + sent");
                Throwable refused = failure(loop, loop.sockSendfile(client, channel, 0, null, false));
                assertInstanceOf(SendfileNotAvailableException.class, refused);
                assertEquals(600_005, channel.position(), "nothing sent: the position stays");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void badOffsetsAndCountsAreNamed(Supplier<EventLoop> loops) throws Exception {
        Path file = file();
        try (EventLoop loop = loops.get()) {
            LoopSocket[] p = pair(loop);
            try (LoopSocket client = p[0]; LoopSocket peer = p[1]) {
                IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockSendfile(client, file, 0, 0L, true));
                assertEquals("count must be a positive integer (got 0)", count.getMessage());
                IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockSendfile(client, file, -1, null, true));
                assertEquals("offset must be a non-negative integer (got -1)", offset.getMessage());
                Throwable missing = failure(loop, loop.sockSendfile(client, dir.resolve("missing"), 0, null, true));
                assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void sendfileThroughATransportIsPacedByItsFlowControl(Supplier<EventLoop> loops) throws Exception {
        Path file = file();
        try (EventLoop loop = loops.get(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Recorder[] accepted = new Recorder[1];
            Server server = await(loop, loop.createServer(() -> accepted[0] = new Recorder(loop), "127.0.0.1", 0,
                    ServerOptions.defaults()));
            int port = server.sockets().get(0).localAddress().getPort();
            TransportAndProtocol<Transport, Recorder> client = await(loop,
                    loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port, null));
            client.transport().setWriteBufferLimits(32 * 1024);
            AsyncFuture<Long> sending = loop.sendfile(client.transport(), channel, 0, null, true);
            assertEquals(FILE_SIZE, await(loop, sending));
            assertEquals(FILE_SIZE, channel.position());
            assertEquals(client.protocol(), client.transport().getProtocol(), "the protocol is restored");
            for (int i = 0; i < 3000 && accepted[0].received.size() < FILE_SIZE; i++) {
                await(loop, AsyncFutures.sleep(loop, 0.01)); // bounded: 30 s at most
            }
            assertArrayEquals(content, accepted[0].received.toByteArray());
            Throwable noFallback = failure(loop, loop.sendfile(client.transport(), channel, 0, null, false));
            assertInstanceOf(SendfileNotAvailableException.class, noFallback);
            client.transport().close();
            await(loop, client.protocol().lost);
            assertThrows(IllegalStateException.class, () -> loop.sendfile(client.transport(), channel, 0, null, true));
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void sendfileOfAPathThroughATransportIsZeroCopyWhereTheLoopHasIt(Supplier<EventLoop> loops) throws Exception {
        Path file = file();
        try (EventLoop loop = loops.get()) {
            Recorder[] accepted = new Recorder[1];
            Server server = await(loop, loop.createServer(() -> accepted[0] = new Recorder(loop), "127.0.0.1", 0,
                    ServerOptions.defaults()));
            int port = server.sockets().get(0).localAddress().getPort();
            TransportAndProtocol<Transport, Recorder> client = await(loop,
                    loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port, null));
            client.transport().write("head:".getBytes());
            boolean zeroCopy = loop instanceof SelectorEventLoop;
            AsyncFuture<Long> sending = loop.sendfile(client.transport(), file, 100, 2_000_000L, false);
            if (zeroCopy) {
                IllegalStateException busy = assertThrows(IllegalStateException.class,
                        () -> client.transport().write("x".getBytes()));
                assertEquals("unable to write; sendfile is in progress", busy.getMessage());
                assertEquals(2_000_000, await(loop, sending));
                assertTrue(client.transport().isReading(), "reading resumed");
            } else {
                assertInstanceOf(SendfileNotAvailableException.class, failure(loop, sending));
                assertEquals(2_000_000, await(loop, loop.sendfile(client.transport(), file, 100, 2_000_000L, true)));
            }
            client.transport().write(":tail".getBytes());
            int expected = 5 + 2_000_000 + 5;
            for (int i = 0; i < 3000 && accepted[0].received.size() < expected; i++) {
                await(loop, AsyncFutures.sleep(loop, 0.01)); // bounded: 30 s at most
            }
            byte[] got = accepted[0].received.toByteArray();
            assertEquals(expected, got.length);
            assertEquals("head:", new String(got, 0, 5));
            assertArrayEquals(Arrays.copyOfRange(content, 100, 2_000_100), Arrays.copyOfRange(got, 5, 2_000_005));
            assertEquals(":tail", new String(got, 2_000_005, 5));
            client.transport().close();
            await(loop, client.protocol().lost);
            server.close();
            await(loop, server.waitClosed());
        }
    }
}
