package org.asyncio4j.sockets;

import static org.asyncio4j.sockets.SocketFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.Server;
import org.asyncio4j.StreamConnection;
import org.asyncio4j.StreamReader;
import org.asyncio4j.StreamWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code openConnection} and {@code startServer} on real loopback connections: line echo, large transfers in
 * both directions with {@code drain()}, and the reader's limit pausing the socket as it pauses a pipe.
 */
class SocketStreamsTest {
    private static final double TIMEOUT = 30;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    /** Echoes each line in upper case until end of stream, then closes. */
    static void upperCaseLines(StreamReader reader, StreamWriter writer) {
        reader.readLine().addDoneCallback(line -> {
            byte[] bytes = line.result();
            if (bytes.length == 0) {
                writer.close();
                return;
            }
            writer.write(new String(bytes).toUpperCase().getBytes());
            upperCaseLines(reader, writer);
        });
    }

    /** Two lines to an {@link #upperCaseLines} server and back, then end of stream both ways and closed. */
    static void upperCaseRoundTrip(EventLoop loop, StreamConnection c) {
        c.writer().write("one\ntwo\n".getBytes());
        assertEquals("ONE\n", new String(await(loop, c.reader().readLine())));
        assertEquals("TWO\n", new String(await(loop, c.reader().readLine())));
        c.writer().writeEof();
        assertEquals(0, await(loop, c.reader().read(-1)).length, "the server closed after our end of stream");
        c.writer().close();
        await(loop, c.writer().waitClosed());
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void echoesLinesThroughStreams(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.startServer(SocketStreamsTest::upperCaseLines, "127.0.0.1", 0, null));
            StreamConnection c = await(loop, loop.openConnection("127.0.0.1", server.addresses().get(0).getPort(), null));
            upperCaseRoundTrip(loop, c);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void sixteenMebibytesEachWayWithDrain(Supplier<EventLoop> loops) {
        int size = 16 << 20;
        byte[] toServer = pattern(size);
        byte[] toClient = new byte[size];
        for (int i = 0; i < size; i++) {
            toClient[i] = (byte) ~toServer[i];
        }
        List<byte[]> serverGot = new ArrayList<>();
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.startServer((reader, writer) -> {
                AsyncFuture<Void> written = loop.createFuture();
                writeAll(loop, writer, toClient, 0, written);
                reader.read(-1).addDoneCallback(all -> {
                    serverGot.add(all.result());
                    written.addDoneCallback(w -> writer.close()); // both ways done
                });
            }, "127.0.0.1", 0, null));
            StreamConnection c = await(loop, loop.openConnection("127.0.0.1", server.addresses().get(0).getPort(), null));
            AsyncFuture<Void> sent = loop.createFuture();
            writeAll(loop, c.writer(), toServer, 0, sent);
            AsyncFuture<byte[]> received = c.reader().readExactly(size);
            await(loop, sent);
            c.writer().writeEof();
            assertArrayEquals(toClient, await(loop, received));
            assertEquals(0, await(loop, c.reader().read(-1)).length);
            assertArrayEquals(toServer, serverGot.get(0));
            c.writer().close();
            await(loop, c.writer().waitClosed());
            server.close();
            await(loop, server.waitClosed());
        }
    }

    /** Writes {@code data} from {@code off} in 256 KiB pieces, draining after each. */
    private static void writeAll(EventLoop loop, StreamWriter writer, byte[] data, int off, AsyncFuture<Void> done) {
        if (off == data.length) {
            done.setResult(null);
            return;
        }
        int end = Math.min(data.length, off + (256 << 10));
        writer.write(java.util.Arrays.copyOfRange(data, off, end));
        writer.drain().addDoneCallback(d -> writeAll(loop, writer, data, end, done));
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void theReadersLimitPausesTheSocketUntilItIsRead(Supplier<EventLoop> loops) {
        int limit = 16 << 10;
        int size = 4 << 20;
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.startServer((reader, writer) -> {
                writer.write(pattern(size));
                writer.drain().addDoneCallback(d -> writer.close());
            }, "127.0.0.1", 0, null));
            StreamConnection c = await(loop, loop.openConnection("127.0.0.1", server.addresses().get(0).getPort(), null,
                    limit));
            ReadTransport transport = (ReadTransport) c.writer().transport();
            for (int i = 0; i < 50 && transport.isReading(); i++) {
                await(loop, AsyncFutures.sleep(loop, 0.01));
            }
            assertFalse(transport.isReading(), "paused above twice the limit");
            int buffered = c.reader().bufferedSize();
            assertTrue(buffered > 2 * limit && buffered <= 2 * limit + (64 << 10),
                    "bounded by twice the limit plus one receive: " + buffered);
            assertArrayEquals(pattern(size), await(loop, c.reader().readExactly(size)));
            assertTrue(transport.isReading() || transport.isClosing());
            c.writer().close();
            await(loop, c.writer().waitClosed());
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aClientCallbackThatThrowsIsReportedAndItsConnectionClosed(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Map<String, Object>> errors = SocketFixtures.captureErrors(loop);
            Server server = await(loop, loop.startServer((reader, writer) -> {
                throw new IllegalStateException("boom");
            }, "127.0.0.1", 0, null));
            StreamConnection c = await(loop, loop.openConnection("127.0.0.1", server.addresses().get(0).getPort(), null));
            assertEquals(0, await(loop, c.reader().read(-1)).length, "the server side was closed");
            assertEquals(1, errors.size());
            assertEquals("Unhandled exception in client_connected_cb", errors.get(0).get("message"));
            assertEquals("boom", ((Throwable) errors.get(0).get("exception")).getMessage());
            c.writer().close();
            await(loop, c.writer().waitClosed());
            server.close();
            await(loop, server.waitClosed());
        }
    }
}
