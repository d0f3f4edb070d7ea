package org.asyncio4j.sockets;

import static org.asyncio4j.sockets.SocketFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.DatagramOptions;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.DatagramTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.testing.LogCapture;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * UDP endpoints ({@code createDatagramEndpoint}) on real loopback sockets, on both loops: echo over IPv4 and IPv6,
 * connected and unconnected endpoints, ICMP's port unreachable reaching {@code errorReceived} as ECONNREFUSED,
 * sendto's address checks, many datagrams, close and abort ordering, and bad input.
 */
class DatagramEndpointTest {
    private static final double TIMEOUT = 30;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    private static Throwable failure(EventLoop loop, AsyncFuture<?> f) {
        return assertThrows(CompletionException.class, () -> await(loop, f)).getCause();
    }

    static Stream<Arguments> loopsAndHosts() {
        return SocketFixtures.loops().flatMap(loop -> Stream.of(Arguments.of(loop, Named.of("IPv4", "127.0.0.1")),
                Arguments.of(loop, Named.of("IPv6", "::1"))));
    }

    /** Records callbacks ("made", "datagram", "error:Type", "lost") and keeps datagrams and errors. */
    static class Datagrams implements DatagramProtocol {
        final List<String> events = new ArrayList<>();
        final List<byte[]> received = new ArrayList<>();
        final List<InetSocketAddress> senders = new ArrayList<>();
        final List<Exception> errors = new ArrayList<>();
        final AsyncFuture<Throwable> lost;
        final AsyncFuture<Exception> firstError;
        AsyncFuture<Void> gotEnough;
        int expected = Integer.MAX_VALUE;
        DatagramTransport transport;
        private final EventLoop loop;

        Datagrams(EventLoop loop) {
            this.loop = loop;
            lost = loop.createFuture();
            firstError = loop.createFuture();
            gotEnough = loop.createFuture();
        }

        /** A future done once {@code n} more datagrams have arrived. */
        AsyncFuture<Void> expect(int n) {
            expected = received.size() + n;
            gotEnough = loop.createFuture();
            return gotEnough;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (DatagramTransport) transport;
            events.add("made");
        }

        @Override
        public void datagramReceived(byte[] data, InetSocketAddress addr) {
            if (events.isEmpty() || !events.get(events.size() - 1).equals("datagram")) {
                events.add("datagram");
            }
            received.add(data);
            senders.add(addr);
            if (received.size() >= expected && !gotEnough.done()) {
                gotEnough.setResult(null);
            }
        }

        @Override
        public void errorReceived(Exception exc) {
            events.add("error:" + exc.getClass().getSimpleName());
            errors.add(exc);
            if (!firstError.done()) {
                firstError.setResult(exc);
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add(exc == null ? "lost" : "lost:" + exc.getClass().getSimpleName());
            if (!lost.done()) {
                lost.setResult(exc);
            }
        }
    }

    /** Sends every datagram back to its sender. */
    static final class Echo extends Datagrams {
        Echo(EventLoop loop) {
            super(loop);
        }

        @Override
        public void datagramReceived(byte[] data, InetSocketAddress addr) {
            super.datagramReceived(data, addr);
            transport.sendto(data, addr);
        }
    }

    private static <P extends DatagramProtocol> TransportAndProtocol<DatagramTransport, P> endpoint(EventLoop loop,
            Supplier<P> factory, InetSocketAddress local, InetSocketAddress remote) {
        return await(loop, loop.createDatagramEndpoint(factory, local, remote, null));
    }

    private static InetSocketAddress address(String host, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("loopsAndHosts")
    void aConnectedEndpointTalksToAnEchoServer(Supplier<EventLoop> loops, String host) throws Exception {
        try (EventLoop loop = loops.get()) {
            var server = endpoint(loop, () -> new Echo(loop), address(host, 0), null);
            InetSocketAddress serverAddress = (InetSocketAddress) server.transport().getExtraInfo("sockname");
            assertEquals(InetAddress.getByName(host), serverAddress.getAddress());
            assertNull(server.transport().getExtraInfo("peername"), "unconnected");
            var client = endpoint(loop, () -> new Datagrams(loop), null, serverAddress);
            assertEquals(serverAddress, client.transport().getExtraInfo("peername"));
            assertInstanceOf(LoopSocket.class, client.transport().getExtraInfo("socket"));
            AsyncFuture<Void> three = client.protocol().expect(3);
            for (String word : List.of("one", "two", "three")) {
                client.transport().sendto(word.getBytes());
            }
            await(loop, three);
            assertEquals(List.of("one", "two", "three"),
                    client.protocol().received.stream().map(String::new).toList());
            assertEquals(List.of(serverAddress, serverAddress, serverAddress), client.protocol().senders);
            InetSocketAddress clientAddress = (InetSocketAddress) client.transport().getExtraInfo("sockname");
            assertEquals(clientAddress, server.protocol().senders.get(0));
            client.transport().close();
            server.transport().close();
            assertTrue(client.transport().isClosing());
            await(loop, client.protocol().lost);
            await(loop, server.protocol().lost);
            assertEquals(List.of("made", "datagram", "lost"), client.protocol().events);
            assertEquals(List.of("made", "datagram", "lost"), server.protocol().events);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("loopsAndHosts")
    void anUnconnectedEndpointSendsToEachAddressGiven(Supplier<EventLoop> loops, String host) throws Exception {
        try (EventLoop loop = loops.get()) {
            var a = endpoint(loop, () -> new Datagrams(loop), address(host, 0), null);
            var b = endpoint(loop, () -> new Datagrams(loop), address(host, 0), null);
            InetSocketAddress aAddress = (InetSocketAddress) a.transport().getExtraInfo("sockname");
            InetSocketAddress bAddress = (InetSocketAddress) b.transport().getExtraInfo("sockname");
            AsyncFuture<Void> got = b.protocol().expect(2);
            a.transport().sendto("x".getBytes(), bAddress);
            a.transport().sendto(new byte[0], bAddress); // CPython 3.11 sends no empty datagram
            a.transport().sendto("y".getBytes(), bAddress);
            await(loop, got);
            assertEquals(List.of("x", "y"), b.protocol().received.stream().map(String::new).toList());
            assertEquals(List.of(aAddress, aAddress), b.protocol().senders);
            IllegalArgumentException noAddress = assertThrows(IllegalArgumentException.class,
                    () -> a.transport().sendto("z".getBytes()));
            assertTrue(noAddress.getMessage().startsWith("addr must be given"), noAddress.getMessage());
            a.transport().abort();
            b.transport().abort();
            await(loop, a.protocol().lost);
            await(loop, b.protocol().lost);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aConnectedEndpointRefusesAnotherAddressWithCPythonsMessage(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            var server = endpoint(loop, () -> new Datagrams(loop), address("127.0.0.1", 0), null);
            InetSocketAddress serverAddress = (InetSocketAddress) server.transport().getExtraInfo("sockname");
            var client = endpoint(loop, () -> new Datagrams(loop), null, serverAddress);
            InetSocketAddress other = address("127.0.0.1", serverAddress.getPort() == 9 ? 10 : 9);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.transport().sendto("x".getBytes(), other));
            assertEquals("Invalid address: must be null or " + serverAddress, e.getMessage());
            AsyncFuture<Void> got = server.protocol().expect(1);
            client.transport().sendto("ok".getBytes(), serverAddress); // its own address is accepted
            await(loop, got);
            IllegalArgumentException unresolved = assertThrows(IllegalArgumentException.class,
                    () -> client.transport().sendto("x".getBytes(), InetSocketAddress.createUnresolved("a.b", 1)));
            assertTrue(unresolved.getMessage().contains("a.b"), unresolved.getMessage());
            client.transport().close();
            server.transport().close();
            await(loop, client.protocol().lost);
            await(loop, server.protocol().lost);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aDatagramToAClosedPortReachesErrorReceivedAsEconnrefused(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            var gone = endpoint(loop, () -> new Datagrams(loop), address("127.0.0.1", 0), null);
            InetSocketAddress closedPort = (InetSocketAddress) gone.transport().getExtraInfo("sockname");
            gone.transport().close();
            await(loop, gone.protocol().lost);
            var client = endpoint(loop, () -> new Datagrams(loop), null, closedPort);
            client.transport().sendto("anyone?".getBytes());
            Exception error = await(loop, client.protocol().firstError);
            assertInstanceOf(ConnectException.class, error);
            assertTrue(error.getMessage().contains("ECONNREFUSED"), error.getMessage());
            assertFalse(client.transport().isClosing(), "an error received leaves the endpoint open");
            client.transport().close();
            await(loop, client.protocol().lost);
            assertEquals("made", client.protocol().events.get(0));
            assertEquals("lost", client.protocol().events.get(client.protocol().events.size() - 1));
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void manyDatagramsComeBackInBatches(Supplier<EventLoop> loops) throws Exception {
        int batches = 20;
        int perBatch = 50; // 50 KiB in flight at most: within the kernel's default receive buffer on loopback
        try (EventLoop loop = loops.get()) {
            var server = endpoint(loop, () -> new Echo(loop), address("127.0.0.1", 0), null);
            InetSocketAddress serverAddress = (InetSocketAddress) server.transport().getExtraInfo("sockname");
            var client = endpoint(loop, () -> new Datagrams(loop), null, serverAddress);
            for (int b = 0; b < batches; b++) {
                AsyncFuture<Void> batch = client.protocol().expect(perBatch);
                for (int i = 0; i < perBatch; i++) {
                    byte[] data = pattern(1024);
                    data[0] = (byte) b;
                    data[1] = (byte) i;
                    client.transport().sendto(data);
                }
                await(loop, batch);
            }
            assertEquals(batches * perBatch, client.protocol().received.size());
            assertEquals(batches * perBatch, server.protocol().received.size());
            assertEquals(0, client.transport().getWriteBufferSize());
            client.transport().close();
            server.transport().close();
            await(loop, client.protocol().lost);
            await(loop, server.protocol().lost);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void closeAndAbortCallConnectionLostOnceAndLast(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get(); LogCapture warnings = LogCapture.warnings()) {
            var closed = endpoint(loop, () -> new Datagrams(loop), address("127.0.0.1", 0), null);
            InetSocketAddress address = (InetSocketAddress) closed.transport().getExtraInfo("sockname");
            closed.transport().close();
            closed.transport().close();
            closed.transport().abort();
            for (int i = 0; i < 7; i++) {
                closed.transport().sendto("dropped".getBytes(), address); // after close: dropped, counted
            }
            await(loop, closed.protocol().lost);
            await(loop, AsyncFutures.sleep(loop, 0.01));
            assertEquals(List.of("made", "lost"), closed.protocol().events);
            assertEquals(0, closed.transport().getWriteBufferSize());

            var aborted = endpoint(loop, () -> new Datagrams(loop), address("127.0.0.1", 0), null);
            aborted.transport().abort();
            aborted.transport().close();
            await(loop, aborted.protocol().lost);
            await(loop, AsyncFutures.sleep(loop, 0.01));
            assertEquals(List.of("made", "lost"), aborted.protocol().events);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void badInputIsNamed(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            IllegalArgumentException noFamily = assertThrows(IllegalArgumentException.class,
                    () -> loop.createDatagramEndpoint(() -> new Datagrams(loop), null, null, null));
            assertEquals("unexpected address family", noFamily.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> DatagramOptions.builder().family(StandardProtocolFamily.UNIX));

            var first = endpoint(loop, () -> new Datagrams(loop), address("127.0.0.1", 0), null);
            InetSocketAddress taken = (InetSocketAddress) first.transport().getExtraInfo("sockname");
            Throwable inUse = failure(loop, loop.createDatagramEndpoint(() -> new Datagrams(loop), taken, null, null));
            assertInstanceOf(BindException.class, inUse);
            assertTrue(inUse.getMessage().contains("EADDRINUSE"), inUse.getMessage());

            Throwable unknown = failure(loop, loop.createDatagramEndpoint(() -> new Datagrams(loop), null,
                    InetSocketAddress.createUnresolved("no-such-host.invalid", 9), null));
            assertInstanceOf(UnknownHostException.class, unknown);
            assertTrue(unknown.getMessage().contains("no-such-host.invalid"), unknown.getMessage());

            Throwable mixed = failure(loop, loop.createDatagramEndpoint(() -> new Datagrams(loop),
                    address("127.0.0.1", 0), address("::1", 9), null));
            assertInstanceOf(UnknownHostException.class, mixed, "no local and remote address of one family");

            var unbound = await(loop, loop.createDatagramEndpoint(() -> new Datagrams(loop), null, null,
                    DatagramOptions.builder().family(StandardProtocolFamily.INET).build()));
            assertEquals(new InetSocketAddress("0.0.0.0", 0), unbound.transport().getExtraInfo("sockname"),
                    "not bound yet");
            unbound.transport().sendto("to myself".getBytes(), taken);
            assertThrows(IllegalArgumentException.class, () -> unbound.transport().setWriteBufferLimits(1, 2));
            unbound.transport().close();
            first.transport().close();
            await(loop, unbound.protocol().lost);
            await(loop, first.protocol().lost);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void reusePortLetsTwoEndpointsShareAPortAndBroadcastIsAllowed(Supplier<EventLoop> loops) throws Exception {
        DatagramOptions reuse = DatagramOptions.builder().reusePort(true).allowBroadcast(true).build();
        try (EventLoop loop = loops.get()) {
            var a = await(loop, loop.createDatagramEndpoint(() -> new Datagrams(loop), address("127.0.0.1", 0),
                    null, reuse));
            InetSocketAddress shared = (InetSocketAddress) a.transport().getExtraInfo("sockname");
            var b = await(loop, loop.createDatagramEndpoint(() -> new Datagrams(loop), shared, null, reuse));
            assertEquals(shared, b.transport().getExtraInfo("sockname"));
            // allow_broadcast with a remote address: not connected, the address is only sendto's default
            var c = await(loop, loop.createDatagramEndpoint(() -> new Datagrams(loop), null, shared, reuse));
            assertNull(c.transport().getExtraInfo("peername"));
            c.transport().sendto("default address".getBytes());
            for (var t : List.of(a, b, c)) {
                t.transport().close();
                await(loop, t.protocol().lost);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aLoopClosedWithAnOpenEndpointClosesItWithAWarning(Supplier<EventLoop> loops) throws Exception {
        try (LogCapture warnings = LogCapture.warnings()) {
            EventLoop loop = loops.get();
            endpoint(loop, () -> new Datagrams(loop), address("127.0.0.1", 0), null);
            loop.close(); // NoLeaks fails the test if the descriptor stays open
            List<String> unclosed = warnings.runtimeWarnings();
            assertEquals(1, unclosed.size(), unclosed.toString());
            assertTrue(unclosed.get(0).startsWith("ResourceWarning: unclosed transport"), unclosed.toString());
        }
    }
}
