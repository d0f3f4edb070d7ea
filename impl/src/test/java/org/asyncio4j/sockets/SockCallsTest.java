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
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Server;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.sockets.SocketFixtures.Recorder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loop's low-level socket calls ({@code sockConnect}, {@code sockAccept}, {@code sockRecv},
 * {@code sockSendall}) on real loopback sockets, their cancellation, and the failures a user meets: a refused
 * connection, a port in use, a name that does not resolve, bad arguments.
 */
class SockCallsTest {
    private static final double TIMEOUT = 30;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    private static Throwable failure(EventLoop loop, AsyncFuture<?> f) {
        return assertThrows(CompletionException.class, () -> await(loop, f)).getCause();
    }

    private static LoopSocket listening(EventLoop loop) throws Exception {
        LoopSocket server = loop.openSocket(StandardProtocolFamily.INET);
        server.bind(loopback(0));
        server.listen(8);
        return server;
    }

    /** A port nobody listens on: bound, then released. */
    private static int freePort(EventLoop loop) throws Exception {
        try (LoopSocket s = loop.openSocket(StandardProtocolFamily.INET)) {
            s.bind(loopback(0));
            return s.localAddress().getPort();
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void connectAcceptSendallAndRecvMoveEveryByte(Supplier<EventLoop> loops) throws Exception {
        byte[] data = pattern(3 << 20);
        try (EventLoop loop = loops.get(); LoopSocket server = listening(loop);
                LoopSocket client = loop.openSocket(StandardProtocolFamily.INET)) {
            AsyncFuture<LoopSocket> accepting = loop.sockAccept(server);
            await(loop, loop.sockConnect(client, server.localAddress()));
            try (LoopSocket peer = await(loop, accepting)) {
                assertEquals(client.localAddress(), peer.remoteAddress());
                assertEquals(server.localAddress(), client.remoteAddress());
                AsyncFuture<Void> sending = loop.sockSendall(client, data);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                while (got.size() < data.length) {
                    byte[] chunk = await(loop, loop.sockRecv(peer, 1 << 20));
                    assertTrue(chunk.length > 0 && chunk.length <= 1 << 20, "chunk of " + chunk.length);
                    got.write(chunk);
                }
                await(loop, sending);
                assertArrayEquals(data, got.toByteArray());
                client.close();
                assertEquals(0, await(loop, loop.sockRecv(peer, 100)).length, "end of stream");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void anAcceptedSocketBecomesATransportThatOwnsIt(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get(); LoopSocket server = listening(loop);
                LoopSocket client = loop.openSocket(StandardProtocolFamily.INET)) {
            AsyncFuture<LoopSocket> accepting = loop.sockAccept(server);
            await(loop, loop.sockConnect(client, server.localAddress()));
            LoopSocket peer = await(loop, accepting);
            SocketFixtures.Echo echo = await(loop, loop.connectAcceptedSocket(() -> new SocketFixtures.Echo(loop), peer))
                    .protocol();
            assertEquals(peer, echo.transport.getExtraInfo("socket"));
            assertThrows(IllegalStateException.class, () -> loop.sockRecv(peer, 1), "the transport owns it now");
            await(loop, loop.sockSendall(client, "echo me".getBytes()));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (got.size() < 7) {
                got.write(await(loop, loop.sockRecv(client, 100)));
            }
            assertEquals("echo me", got.toString());
            client.close();
            await(loop, echo.lost);
            assertTrue(peer.isClosed(), "closed by its transport after connectionLost");
            assertEquals(java.util.List.of("made", "data", "eof", "lost"), echo.events);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aCancelledRecvReceivesNothingAndTheNextOneGetsTheData(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get(); LoopSocket server = listening(loop);
                LoopSocket client = loop.openSocket(StandardProtocolFamily.INET)) {
            AsyncFuture<LoopSocket> accepting = loop.sockAccept(server);
            await(loop, loop.sockConnect(client, server.localAddress()));
            try (LoopSocket peer = await(loop, accepting)) {
                AsyncFuture<byte[]> first = loop.sockRecv(peer, 10);
                await(loop, AsyncFutures.sleep(loop, 0.01));
                assertFalse(first.done());
                assertTrue(first.cancel());
                AsyncFuture<byte[]> second = loop.sockRecv(peer, 10); // at once, as CPython allows
                await(loop, loop.sockSendall(client, "abc".getBytes()));
                assertTrue(first.cancelled());
                assertEquals("abc", new String(await(loop, second)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aCancelledAcceptTakesNoConnectionAndTheNextOneDoes(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get(); LoopSocket server = listening(loop);
                LoopSocket client = loop.openSocket(StandardProtocolFamily.INET)) {
            AsyncFuture<LoopSocket> first = loop.sockAccept(server);
            await(loop, AsyncFutures.sleep(loop, 0.01));
            assertTrue(first.cancel());
            AsyncFuture<LoopSocket> second = loop.sockAccept(server); // at once, as CPython allows
            await(loop, loop.sockConnect(client, server.localAddress()));
            try (LoopSocket peer = await(loop, second)) {
                assertEquals(client.localAddress(), peer.remoteAddress());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void closingASocketFailsTheCallWaitingOnIt(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            LoopSocket server = listening(loop);
            AsyncFuture<LoopSocket> accepting = loop.sockAccept(server);
            server.close();
            assertTrue(server.isClosed());
            Throwable closed = failure(loop, accepting);
            assertInstanceOf(SocketException.class, closed);
            assertEquals("Socket closed", closed.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aRefusedConnectionNamesEconnrefused(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            int port = freePort(loop);
            try (LoopSocket client = loop.openSocket(StandardProtocolFamily.INET)) {
                Throwable refused = failure(loop, loop.sockConnect(client, loopback(port)));
                assertInstanceOf(ConnectException.class, refused);
                assertTrue(refused.getMessage().contains("ECONNREFUSED"), refused.getMessage());
            }
            Throwable viaCreate = failure(loop, loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port, null));
            assertInstanceOf(ConnectException.class, viaCreate);
            assertTrue(viaCreate.getMessage().contains("connect failed: ECONNREFUSED (Connection refused)"),
                    viaCreate.getMessage());
            assertTrue(viaCreate.getMessage().contains(":" + port), "names the address: " + viaCreate.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void everyAddressOfAHostIsTriedAndAllTheirErrorsAreNamed(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            int port = freePort(loop);
            // "localhost" may resolve to 127.0.0.1 alone or to ::1 as well: one error, or one per address
            Throwable refused = failure(loop, loop.createConnection(() -> new Recorder(loop), "localhost", port, null));
            assertInstanceOf(ConnectException.class, refused);
            assertTrue(refused.getMessage().contains("ECONNREFUSED"), refused.getMessage());
            int addresses = java.net.InetAddress.getAllByName("localhost").length;
            assertEquals(addresses > 1, refused.getMessage().startsWith("Multiple exceptions: "), refused.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aPortInUseNamesEaddrinuse(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            Server first = await(loop, loop.createServer(() -> new Recorder(loop), "127.0.0.1", 0, null));
            int port = first.addresses().get(0).getPort();
            Throwable inUse = failure(loop, loop.createServer(() -> new Recorder(loop), "127.0.0.1", port, null));
            assertInstanceOf(BindException.class, inUse);
            assertTrue(inUse.getMessage().contains("bind failed: EADDRINUSE (Address already in use)"), inUse.getMessage());
            assertTrue(inUse.getMessage().contains("127.0.0.1:" + port), inUse.getMessage());
            Server shared = await(loop, loop.createServer(() -> new Recorder(loop), "127.0.0.1", 0,
                    ServerOptions.builder().reusePort(true).build()));
            int sharedPort = shared.addresses().get(0).getPort();
            Server second = await(loop, loop.createServer(() -> new Recorder(loop), "127.0.0.1", sharedPort,
                    ServerOptions.builder().reusePort(true).build()));
            assertEquals(sharedPort, second.addresses().get(0).getPort(), "SO_REUSEPORT lets both listen");
            first.close();
            shared.close();
            second.close();
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aServerListensOnEveryHostGiven(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.createServer(() -> new Recorder(loop), java.util.List.of("127.0.0.1", "::1"),
                    0, ServerOptions.builder().startServing(false).build()));
            assertFalse(server.isServing());
            assertEquals(2, server.sockets().size());
            assertTrue(server.addresses().get(1).getAddress() instanceof java.net.Inet6Address, server.addresses().toString());
            await(loop, server.startServing());
            assertTrue(server.isServing());
            for (InetSocketAddress address : server.addresses()) {
                Recorder client = await(loop, loop.createConnection(() -> new Recorder(loop),
                        address.getAddress().getHostAddress(), address.getPort(), null)).protocol();
                client.transport.close();
                await(loop, client.lost);
            }
            AsyncFuture<Void> forever = server.serveForever();
            assertThrows(IllegalStateException.class, server::serveForever);
            forever.cancel();
            await(loop, server.waitClosed());
            assertTrue(server.sockets().isEmpty(), "cancelling serveForever closed the server");
            assertThrows(IllegalStateException.class, server::startServing);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aNameThatDoesNotResolveIsNamed(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            Throwable unknown = failure(loop, loop.createConnection(() -> new Recorder(loop), "no-such-host.invalid", 80,
                    null));
            assertInstanceOf(UnknownHostException.class, unknown);
            assertTrue(unknown.getMessage().contains("no-such-host.invalid"), unknown.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void badArgumentsAreNamed(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get(); LoopSocket socket = loop.openSocket(StandardProtocolFamily.INET)) {
            assertEquals("port out of range: 65536", assertThrows(IllegalArgumentException.class,
                    () -> loop.createConnection(() -> new Recorder(loop), "127.0.0.1", 65536, null)).getMessage());
            assertEquals("port out of range: -1", assertThrows(IllegalArgumentException.class,
                    () -> loop.createServer(() -> new Recorder(loop), "127.0.0.1", -1, null)).getMessage());
            assertEquals("n must be >= 0: -1", assertThrows(IllegalArgumentException.class,
                    () -> loop.sockRecv(socket, -1)).getMessage());
            assertEquals("backlog must be >= 0: -2", assertThrows(IllegalArgumentException.class,
                    () -> ServerOptions.builder().backlog(-2)).getMessage());
            assertEquals("family must be INET or INET6: UNIX", assertThrows(IllegalArgumentException.class,
                    () -> loop.openSocket(StandardProtocolFamily.UNIX)).getMessage());
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.invalid", 80);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> loop.sockConnect(socket, unresolved))
                    .getMessage().contains("example.invalid"));
            assertEquals("Limit cannot be <= 0: limit=0", assertThrows(IllegalArgumentException.class,
                    () -> loop.openConnection("127.0.0.1", 1, null, 0)).getMessage());
            assertEquals("Limit cannot be <= 0: limit=-1", assertThrows(IllegalArgumentException.class,
                    () -> loop.startServer((reader, writer) -> { }, "127.0.0.1", 0, null, -1)).getMessage());
            assertEquals("hosts must not be empty", assertThrows(IllegalArgumentException.class,
                    () -> loop.createServer(() -> new Recorder(loop), java.util.List.of(), 0, null)).getMessage());
            try (EventLoop other = loops.get()) {
                assertTrue(assertThrows(IllegalArgumentException.class, () -> other.sockRecv(socket, 1))
                        .getMessage().startsWith("sock is not a socket of "));
            }
        }
    }
}
