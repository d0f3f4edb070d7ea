package org.asyncio4j.sockets;

import static org.asyncio4j.sockets.SocketFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Server;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.sockets.SocketFixtures.Echo;
import org.asyncio4j.sockets.SocketFixtures.Recorder;
import org.asyncio4j.testing.LogCapture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Socket transports on real loopback connections: CPython's {@code _SelectorSocketTransport} behaviour (echo,
 * large transfers, a peer that stops reading, half-close, abort, a server closed with live connections, a loop
 * closed with open transports). Every wait is bounded by {@link AsyncFutures#waitFor}.
 */
class SocketTransportTest {
    private static final double TIMEOUT = 30;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    private static Server echoServer(EventLoop loop, List<Echo> accepted) {
        return await(loop, loop.createServer(() -> {
            Echo echo = new Echo(loop);
            accepted.add(echo);
            return echo;
        }, "127.0.0.1", 0, null));
    }

    private static int port(Server server) {
        return server.addresses().get(0).getPort();
    }

    private static TransportAndProtocol<Transport, Recorder> connect(EventLoop loop, int port) {
        return await(loop, loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port, null));
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void echoesThroughAServerAndKeepsCallbackOrder(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, accepted);
            assertTrue(server.isServing());
            TransportAndProtocol<Transport, Recorder> client = connect(loop, port(server));
            Recorder recorder = client.protocol();
            recorder.expected = 5;
            client.transport().write("hello".getBytes());
            await(loop, recorder.gotAll);
            assertEquals("hello", recorder.received.toString());
            assertEquals(server.addresses().get(0), client.transport().getExtraInfo("peername"));
            assertInstanceOf(InetSocketAddress.class, client.transport().getExtraInfo("sockname"));
            assertInstanceOf(LoopSocket.class, client.transport().getExtraInfo("socket"));

            client.transport().close();
            assertTrue(client.transport().isClosing());
            assertNull(await(loop, recorder.lost));
            assertEquals(List.of("made", "data", "lost"), recorder.events);
            Echo echo = accepted.get(0);
            assertNull(await(loop, echo.lost), "the server side sees end of stream, then closes");
            assertEquals(List.of("made", "data", "eof", "lost"), echo.events);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void carriesEightMebibytesEachWayAtOnce(Supplier<EventLoop> loops) {
        int size = 8 << 20;
        byte[] data = pattern(size);
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, accepted);
            TransportAndProtocol<Transport, Recorder> client = connect(loop, port(server));
            Recorder recorder = client.protocol();
            recorder.expected = size;
            for (int off = 0; off < size; off += 1 << 20) {
                client.transport().write(java.util.Arrays.copyOfRange(data, off, off + (1 << 20)));
            }
            await(loop, recorder.gotAll);
            assertArrayEquals(data, recorder.received.toByteArray());
            assertEquals(0, client.transport().getWriteBufferSize());
            client.transport().close();
            await(loop, accepted.get(0).lost);
            await(loop, recorder.lost);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aPeerThatStopsReadingPausesTheWriterAndTheBufferStaysBounded(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            AtomicReference<Recorder> serverSide = new AtomicReference<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop) {
                    @Override
                    public void connectionMade(org.asyncio4j.BaseTransport transport) {
                        super.connectionMade(transport);
                        this.transport.pauseReading(); // never reads until told
                    }
                };
                serverSide.set(r);
                return r;
            }, "127.0.0.1", 0, null));
            TransportAndProtocol<Transport, Recorder> client = connect(loop, port(server));
            Transport transport = client.transport();
            Recorder writer = client.protocol();
            byte[] chunk = new byte[16 * 1024];
            long written = 0;
            int rounds = 0;
            // A protocol that honours pauseWriting: write while not paused, let the loop flush in between.
            while (!writer.paused.done()) {
                assertTrue(++rounds < 100_000, "the transport never paused its protocol");
                transport.write(chunk);
                written += chunk.length;
                if (!writer.paused.done()) {
                    loop.runUntilComplete(AsyncFutures.sleep(loop, 0));
                }
            }
            int buffered = transport.getWriteBufferSize();
            WriteTransport.WriteBufferLimits limits = transport.getWriteBufferLimits();
            assertTrue(buffered > limits.high(), "paused above the high-water mark: " + buffered);
            assertTrue(buffered <= limits.high() + chunk.length, "buffer bounded by the mark plus one write: " + buffered);

            Recorder reader = serverSide.get();
            reader.expected = (int) written;
            reader.transport.resumeReading();
            await(loop, reader.gotAll);
            assertEquals(written, reader.received.size());
            assertEquals(List.of("made", "pause", "resume"), writer.events, "resumed once drained below the low mark");
            transport.close();
            await(loop, reader.lost);
            await(loop, writer.lost);
            server.close();
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void halfCloseLetsThePeerAnswerAfterEndOfStream(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            AtomicReference<Recorder> serverSide = new AtomicReference<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop) {
                    @Override
                    public boolean eofReceived() {
                        super.eofReceived();
                        transport.write(("got " + received.size()).getBytes());
                        transport.close(); // flushes, then closes
                        return true;
                    }
                };
                serverSide.set(r);
                return r;
            }, "127.0.0.1", 0, null));
            TransportAndProtocol<Transport, Recorder> client = connect(loop, port(server));
            Recorder recorder = client.protocol();
            recorder.keepOpenOnEof = true;
            assertTrue(client.transport().canWriteEof());
            client.transport().write("12345".getBytes());
            client.transport().writeEof();
            assertFalse(client.transport().isClosing(), "half-closed, still reading");
            assertThrows(IllegalStateException.class, () -> client.transport().write("x".getBytes()),
                    "Cannot call write() after writeEof()");
            await(loop, recorder.eof);
            assertEquals("got 5", recorder.received.toString());
            client.transport().close();
            await(loop, recorder.lost);
            assertEquals(List.of("made", "data", "eof", "lost"), recorder.events);
            assertEquals(List.of("made", "data", "eof", "lost"), serverSide.get().events);
            server.close();
        }
    }

    /**
     * Closing a transport fails the read it has in flight (the proactor's AsynchronousCloseException): an
     * expected outcome, which must not surface as "Future exception was never retrieved" once the GC collects
     * the read's future. A sentinel future abandoned on purpose shows that collection and reporting happened.
     */
    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void closingWithAReadInFlightReportsNothingAfterCollection(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, accepted);
            List<Map<String, Object>> errors = SocketFixtures.captureErrors(loop);
            for (int i = 0; i < 3; i++) {
                TransportAndProtocol<Transport, Recorder> client = connect(loop, port(server));
                client.transport().close();
                assertNull(await(loop, client.protocol().lost));
            }
            RuntimeException sentinel = new RuntimeException("sentinel");
            loop.createFuture().setException(sentinel);
            for (int round = 0; round < 300 && errors.stream().noneMatch(c -> c.get("exception") == sentinel); round++) {
                System.gc();
                await(loop, AsyncFutures.sleep(loop, 0.01));
            }
            assertTrue(errors.stream().anyMatch(c -> c.get("exception") == sentinel), "no collection in 300 GC rounds");
            for (int round = 0; round < 5; round++) {
                System.gc();
                await(loop, AsyncFutures.sleep(loop, 0.01));
            }
            assertEquals(List.of(sentinel), errors.stream().map(c -> c.get("exception")).toList(),
                    () -> "reports: " + errors);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void abortDropsTheBufferAndThePeerSeesTheConnectionEnd(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, accepted);
            TransportAndProtocol<Transport, Recorder> client = connect(loop, port(server));
            await(loop, AsyncFutures.sleep(loop, 0.01));
            client.transport().abort();
            client.transport().abort(); // idempotent: connectionLost once
            assertNull(await(loop, client.protocol().lost));
            await(loop, accepted.get(0).lost);
            assertEquals(List.of("made", "lost"), client.protocol().events);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aResetConnectionEndsWithEconnresetNamed(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            AtomicReference<Recorder> serverSide = new AtomicReference<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop) {
                    @Override
                    public void connectionMade(org.asyncio4j.BaseTransport transport) {
                        super.connectionMade(transport);
                        this.transport.pauseReading(); // what the client sends stays unread
                    }
                };
                serverSide.set(r);
                return r;
            }, "127.0.0.1", 0, null));
            TransportAndProtocol<Transport, Recorder> client = connect(loop, port(server));
            client.transport().write("unread".getBytes());
            await(loop, AsyncFutures.sleep(loop, 0.05));
            serverSide.get().transport.abort(); // closing with unread data sends a reset, not an end of stream
            Throwable reset = await(loop, client.protocol().lost);
            assertInstanceOf(java.net.SocketException.class, reset);
            assertTrue(reset.getMessage().contains("ECONNRESET (Connection reset by peer)"), reset.getMessage());
            assertEquals(List.of("made", "lost:SocketException"), client.protocol().events);
            await(loop, serverSide.get().lost);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void closingAServerLeavesItsConnectionsOpenAndWaitClosedWaitsForThem(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, accepted);
            int port = port(server);
            TransportAndProtocol<Transport, Recorder> client = connect(loop, port);
            await(loop, AsyncFutures.sleep(loop, 0.01));
            AsyncFuture<Void> closed = server.waitClosed();
            server.close();
            assertFalse(server.isServing());
            assertTrue(server.sockets().isEmpty());
            Recorder recorder = client.protocol();
            recorder.expected = 4;
            client.transport().write("ping".getBytes());
            await(loop, recorder.gotAll);
            assertEquals("ping", recorder.received.toString(), "the accepted connection still echoes");
            assertFalse(closed.done(), "waitClosed waits for the live connection");
            Throwable refused = assertThrows(java.util.concurrent.CompletionException.class,
                    () -> connect(loop, port)).getCause();
            assertInstanceOf(java.net.ConnectException.class, refused, "nobody listens any more");
            client.transport().close();
            await(loop, closed);
            await(loop, accepted.get(0).lost);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aLoopClosedWithOpenTransportsClosesTheirSocketsWithAWarning(Supplier<EventLoop> loops) {
        try (LogCapture warnings = LogCapture.warnings()) {
            EventLoop loop = loops.get();
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, accepted);
            TransportAndProtocol<Transport, Recorder> client = connect(loop, port(server));
            await(loop, AsyncFutures.sleep(loop, 0.01));
            assertEquals(1, accepted.size());
            loop.close(); // NoLeaks fails the test if a descriptor stays open
            List<String> unclosed = warnings.runtimeWarnings();
            assertEquals(3, unclosed.size(), "client, accepted connection, listening socket: " + unclosed);
            assertTrue(unclosed.stream().allMatch(w -> w.startsWith("ResourceWarning: unclosed")), unclosed.toString());
            assertFalse(client.protocol().lost.done(), "nothing runs on a closed loop");
        }
    }
}
