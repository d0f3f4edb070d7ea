package org.asyncio4j.sockets;

import static org.asyncio4j.sockets.SocketFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.ConnectionOptions;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Protocol;
import org.asyncio4j.Server;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.StreamConnection;
import org.asyncio4j.StreamWriter;
import org.asyncio4j.TlsOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.sockets.SocketFixtures.Echo;
import org.asyncio4j.sockets.SocketFixtures.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS over real loopback connections on both loops, through the JDK's SSLEngine at both ends: echo, large
 * transfers with flow control, STARTTLS, streams, a certificate that is not trusted, a host name that does not
 * match, a silent server, a plain peer, the close_notify exchange and its timeout.
 */
class TlsTest {
    private static final double TIMEOUT = 30;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    private static Throwable failure(EventLoop loop, AsyncFuture<?> f) {
        return assertThrows(CompletionException.class, () -> await(loop, f)).getCause();
    }

    /** Runs the loop until {@code condition} holds, for at most {@link #TIMEOUT} seconds. */
    private static void until(EventLoop loop, java.util.function.BooleanSupplier condition) {
        for (int i = 0; i < TIMEOUT * 1000 && !condition.getAsBoolean(); i++) {
            await(loop, AsyncFutures.sleep(loop, 0.001));
        }
        assertTrue(condition.getAsBoolean(), "not reached in " + TIMEOUT + " s");
    }

    private static ServerOptions tlsServer() {
        return ServerOptions.builder().ssl(TlsFixtures.serverContext()).build();
    }

    private static ConnectionOptions tlsClient() {
        return ConnectionOptions.builder().ssl(TlsFixtures.clientContext()).build();
    }

    private static int port(Server server) {
        return server.addresses().get(0).getPort();
    }

    private static void closeServer(EventLoop loop, Server server) {
        server.close();
        await(loop, server.waitClosed());
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void echoesOverTls13WithTheSessionInTheExtraInfo(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Echo> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Echo echo = new Echo(loop);
                served.add(echo);
                return echo;
            }, "127.0.0.1", 0, tlsServer()));
            TransportAndProtocol<Transport, Recorder> tp = await(loop,
                    loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server), tlsClient()));
            Recorder client = tp.protocol();
            Transport transport = tp.transport();
            assertEquals(List.of("made"), client.events, "connectionMade after the handshake, before the future");
            client.expected = 5;
            transport.write("hello".getBytes());
            await(loop, client.gotAll);
            assertEquals("hello", client.received.toString());

            SSLSession session = (SSLSession) transport.getExtraInfo("sslsession");
            assertEquals("TLSv1.3", session.getProtocol());
            assertEquals("TLSv1.3", transport.getExtraInfo("tls_protocol"));
            assertEquals(session.getCipherSuite(), transport.getExtraInfo("cipher"));
            assertInstanceOf(SSLContext.class, transport.getExtraInfo("sslcontext"));
            assertInstanceOf(SSLEngine.class, transport.getExtraInfo("ssl_object"));
            X509Certificate peer = (X509Certificate) transport.getExtraInfo("peercert");
            assertTrue(peer.getSubjectX500Principal().getName().contains("CN=localhost"), peer.toString());
            assertEquals(port(server), ((InetSocketAddress) transport.getExtraInfo("peername")).getPort(),
                    "the plain transport's keys too");
            assertNotNull(transport.getExtraInfo("socket"));
            assertNull(served.get(0).transport.getExtraInfo("peercert"), "the client sent no certificate");
            assertFalse(transport.canWriteEof());
            assertThrows(UnsupportedOperationException.class, transport::writeEof);
            assertEquals(new Transport.WriteBufferLimits(128 * 1024, 512 * 1024), transport.getWriteBufferLimits());

            transport.close();
            assertTrue(transport.isClosing());
            assertNull(await(loop, client.lost));
            assertNull(await(loop, served.get(0).lost));
            assertEquals(List.of("made", "data", "eof", "lost"), client.events,
                    "the server's close_notify answers ours; lost once, last");
            assertEquals(List.of("made", "data", "eof", "lost"), served.get(0).events);
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void tls12ClosesWithTheSameCloseNotifyExchange(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Echo> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Echo echo = new Echo(loop);
                served.add(echo);
                return echo;
            }, "127.0.0.1", 0, tlsServer()));
            SSLParameters tls12 = new SSLParameters();
            tls12.setProtocols(new String[] {"TLSv1.2"});
            TransportAndProtocol<Transport, Recorder> tp = await(loop, loop.createConnection(() -> new Recorder(loop),
                    "127.0.0.1", port(server),
                    ConnectionOptions.builder().ssl(TlsFixtures.clientContext()).sslParameters(tls12).build()));
            assertEquals("TLSv1.2", tp.transport().getExtraInfo("tls_protocol"));
            tp.protocol().expected = 5;
            tp.transport().write("hello".getBytes());
            await(loop, tp.protocol().gotAll);
            tp.transport().close();
            assertNull(await(loop, tp.protocol().lost));
            assertNull(await(loop, served.get(0).lost));
            assertEquals(List.of("made", "data", "eof", "lost"), tp.protocol().events);
            assertEquals(List.of("made", "data", "eof", "lost"), served.get(0).events);
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void severalMebibytesEachWayThroughStreams(Supplier<EventLoop> loops) {
        int size = 6 << 20;
        byte[] toServer = pattern(size);
        byte[] toClient = new byte[size];
        for (int i = 0; i < size; i++) {
            toClient[i] = (byte) ~toServer[i];
        }
        List<byte[]> serverGot = new ArrayList<>();
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.startServer((reader, writer) -> {
                AsyncFuture<Void> written = loop.createFuture();
                writeAll(writer, toClient, 0, written);
                reader.readExactly(size).addDoneCallback(all -> {
                    serverGot.add(all.result());
                    written.addDoneCallback(w -> writer.close());
                });
            }, "127.0.0.1", 0, tlsServer()));
            StreamConnection c = await(loop, loop.openConnection("127.0.0.1", port(server), tlsClient()));
            AsyncFuture<Void> sent = loop.createFuture();
            writeAll(c.writer(), toServer, 0, sent);
            AsyncFuture<byte[]> received = c.reader().readExactly(size);
            await(loop, sent);
            assertArrayEquals(toClient, await(loop, received));
            assertEquals(0, await(loop, c.reader().read(-1)).length, "the server's close_notify is end of stream");
            assertArrayEquals(toServer, serverGot.get(0));
            c.writer().close();
            await(loop, c.writer().waitClosed());
            closeServer(loop, server);
        }
    }

    /** Writes {@code data} from {@code off} in 256 KiB pieces, draining after each. */
    private static void writeAll(StreamWriter writer, byte[] data, int off, AsyncFuture<Void> done) {
        if (off == data.length) {
            done.setResult(null);
            return;
        }
        int end = Math.min(data.length, off + (256 << 10));
        writer.write(Arrays.copyOfRange(data, off, end));
        writer.drain().addDoneCallback(d -> writeAll(writer, data, end, done));
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aPeerThatStopsReadingPausesTheWriterWithABoundedBuffer(Supplier<EventLoop> loops) {
        int size = 8 << 20;
        int chunk = 64 << 10;
        byte[] data = pattern(size);
        try (EventLoop loop = loops.get()) {
            List<Recorder> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop) {
                    @Override
                    public void connectionMade(BaseTransport transport) {
                        super.connectionMade(transport);
                        this.transport.pauseReading();
                    }
                };
                r.expected = size;
                served.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer()));
            TransportAndProtocol<Transport, Recorder> tp = await(loop,
                    loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server), tlsClient()));
            Transport transport = tp.transport();
            Recorder client = tp.protocol();
            int written = 0;
            int largest = 0;
            while (written < size && !client.paused.done()) {
                transport.write(Arrays.copyOfRange(data, written, written + chunk));
                written += chunk;
                largest = Math.max(largest, transport.getWriteBufferSize());
                await(loop, AsyncFutures.sleep(loop, 0.001));
            }
            assertTrue(client.paused.done(), "paused before 8 MiB went into a peer that reads nothing");
            assertTrue(largest <= 512 * 1024 + chunk + 64 * 1024,
                    "the buffer stays near the high-water mark: " + largest);
            // The server's connectionMade follows its own end of the handshake, which a TLS 1.3 client does not
            // wait for: it may come after the client has already filled the buffers.
            for (int i = 0; i < 10_000 && served.get(0).transport == null; i++) {
                await(loop, AsyncFutures.sleep(loop, 0.001));
            }
            assertFalse(served.get(0).transport.isReading());
            served.get(0).transport.resumeReading();
            while (written < size) {
                if (transport.getWriteBufferSize() < 128 * 1024) {
                    transport.write(Arrays.copyOfRange(data, written, written + chunk));
                    written += chunk;
                } else {
                    await(loop, AsyncFutures.sleep(loop, 0.001));
                }
            }
            await(loop, served.get(0).gotAll);
            assertArrayEquals(data, served.get(0).received.toByteArray());
            assertTrue(client.events.contains("resume"), client.events.toString());
            transport.close();
            await(loop, client.lost);
            await(loop, served.get(0).lost);
            closeServer(loop, server);
        }
    }

    /**
     * A plain line protocol that answers "STARTTLS" with "OK" and upgrades, then echoes over TLS. What arrives with
     * the handshake's last record, before the upgrade's future has given the TLS transport, is echoed once it has.
     */
    private static final class StartTlsServer extends Recorder {
        private boolean upgraded;
        private Transport tls;
        private final java.io.ByteArrayOutputStream early = new java.io.ByteArrayOutputStream();

        StartTlsServer(EventLoop loop) {
            super(loop);
        }

        @Override
        public void dataReceived(byte[] data) {
            super.dataReceived(data);
            if (upgraded) {
                if (tls == null) {
                    early.writeBytes(data);
                } else {
                    tls.write(data);
                }
                return;
            }
            assertEquals("STARTTLS\n", new String(data));
            transport.write("OK\n".getBytes());
            upgraded = true;
            loop.startTls(transport, this, TlsOptions.server(TlsFixtures.serverContext()).build())
                    .addDoneCallback(f -> {
                        tls = f.result();
                        tls.write(early.toByteArray());
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void startTlsUpgradesAPlainConnection(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<StartTlsServer> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                StartTlsServer s = new StartTlsServer(loop);
                served.add(s);
                return s;
            }, "127.0.0.1", 0, null));
            TransportAndProtocol<Transport, Recorder> tp = await(loop,
                    loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server), null));
            Recorder client = tp.protocol();
            client.expected = 3;
            tp.transport().write("STARTTLS\n".getBytes());
            await(loop, client.gotAll);
            assertEquals("OK\n", client.received.toString());
            assertNull(tp.transport().getExtraInfo("sslcontext"));
            Transport tls = await(loop, loop.startTls(tp.transport(), client,
                    TlsOptions.client(TlsFixtures.clientContext()).serverHostname("localhost").build()));
            assertNotNull(tls.getExtraInfo("sslsession"));
            assertEquals(List.of("made", "data"), client.events, "no second connectionMade");
            tls.write("ping".getBytes());
            until(loop, () -> client.received.size() == 3 + 4);
            assertEquals("OK\nping", client.received.toString());
            tls.close();
            assertNull(await(loop, client.lost));
            await(loop, served.get(0).lost);
            assertEquals("lost", client.events.get(client.events.size() - 1));
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void streamsUpgradeWithTheWritersStartTls(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.startServer((reader, writer) -> reader.readLine().addDoneCallback(l -> {
                assertEquals("STARTTLS\n", new String(l.result()));
                writer.write("OK\n".getBytes());
                writer.startTls(TlsOptions.server(TlsFixtures.serverContext()).build()).addDoneCallback(
                        up -> reader.readLine().addDoneCallback(line -> {
                            writer.write(new String(line.result()).toUpperCase().getBytes());
                            writer.close();
                        }));
            }), "127.0.0.1", 0, null));
            StreamConnection c = await(loop, loop.openConnection("127.0.0.1", port(server), null));
            c.writer().write("STARTTLS\n".getBytes());
            assertEquals("OK\n", new String(await(loop, c.reader().readLine())));
            Transport plain = (Transport) c.writer().transport();
            await(loop, c.writer().startTls(
                    TlsOptions.client(TlsFixtures.clientContext()).serverHostname("localhost").build()));
            assertTrue(c.writer().transport() != plain, "the writer writes to the TLS transport now");
            assertNotNull(c.writer().getExtraInfo("sslsession", null));
            c.writer().write("ping\n".getBytes());
            assertEquals("PING\n", new String(await(loop, c.reader().readLine())));
            assertEquals(0, await(loop, c.reader().read(-1)).length, "the server's close_notify ends the stream");
            c.writer().close();
            await(loop, c.writer().waitClosed());
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aClientRejectsACertificateItDoesNotTrust(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Recorder> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop);
                served.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer()));
            List<Recorder> made = new ArrayList<>();
            Throwable e = failure(loop, loop.createConnection(() -> {
                Recorder r = new Recorder(loop);
                made.add(r);
                return r;
            }, "127.0.0.1", port(server), ConnectionOptions.builder().ssl(TlsFixtures.defaultTrustContext()).build()));
            assertInstanceOf(SSLHandshakeException.class, e);
            assertTrue(String.valueOf(e.getMessage()).contains("certification path"), e.getMessage());
            assertEquals(List.of(), made.get(0).events, "the application never saw the connection");
            await(loop, AsyncFutures.sleep(loop, 0.1));
            assertTrue(served.isEmpty() || served.get(0).events.isEmpty(), "nor did the server's");
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aHostNameTheCertificateDoesNotNameIsRejected(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.createServer(() -> new Recorder(loop), "127.0.0.1", 0, tlsServer()));
            Throwable e = failure(loop, loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server),
                    ConnectionOptions.builder().ssl(TlsFixtures.clientContext()).serverHostname("other.invalid")
                            .build()));
            assertInstanceOf(SSLHandshakeException.class, e);
            assertTrue(String.valueOf(e.getMessage()).contains("other.invalid"), e.getMessage());
            // the same connection with the host name check off ("" as CPython's server_hostname='') is accepted
            TransportAndProtocol<Transport, Recorder> tp = await(loop, loop.createConnection(() -> new Recorder(loop),
                    "127.0.0.1", port(server),
                    ConnectionOptions.builder().ssl(TlsFixtures.clientContext()).serverHostname("").build()));
            tp.transport().close();
            await(loop, tp.protocol().lost);
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void theCallersParametersStillCheckTheHostNameAndCanAskForAClientCertificate(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            SSLParameters needClient = new SSLParameters();
            needClient.setNeedClientAuth(true);
            List<Recorder> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop);
                served.add(r);
                return r;
            }, "127.0.0.1", 0, ServerOptions.builder().ssl(TlsFixtures.serverContext()).sslParameters(needClient)
                    .build()));
            SSLParameters tls13 = new SSLParameters();
            tls13.setProtocols(new String[] {"TLSv1.3"});
            Throwable e = failure(loop, loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server),
                    ConnectionOptions.builder().ssl(TlsFixtures.serverContext()).sslParameters(tls13)
                            .serverHostname("other.invalid").build()));
            assertInstanceOf(SSLHandshakeException.class, e, "parameters without an algorithm still check the name");
            assertNull(tls13.getEndpointIdentificationAlgorithm(), "the caller's parameters are left as they were");

            // the test context holds the key too: the client presents it, and the server sees it
            TransportAndProtocol<Transport, Recorder> tp = await(loop, loop.createConnection(() -> new Recorder(loop),
                    "localhost", port(server), ConnectionOptions.builder().ssl(TlsFixtures.serverContext())
                            .sslParameters(tls13).family(java.net.StandardProtocolFamily.INET).build()));
            until(loop, () -> served.stream().anyMatch(r -> !r.events.isEmpty()));
            Recorder accepted = served.stream().filter(r -> !r.events.isEmpty()).findFirst().orElseThrow();
            X509Certificate client = (X509Certificate) accepted.transport.getExtraInfo("peercert");
            assertTrue(client.getSubjectX500Principal().getName().contains("CN=localhost"), client.toString());
            tp.transport().close();
            await(loop, tp.protocol().lost);
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aSilentServerTimesTheHandshakeOut(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Recorder> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop);
                served.add(r);
                return r;
            }, "127.0.0.1", 0, null));
            Throwable e = failure(loop, loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server),
                    ConnectionOptions.builder().ssl(TlsFixtures.clientContext()).sslHandshakeTimeout(0.3).build()));
            assertInstanceOf(SocketTimeoutException.class, e);
            assertEquals("SSL handshake is taking longer than 0.3 seconds: aborting the connection", e.getMessage());
            await(loop, served.get(0).lost);
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aPlainClientOfATlsServerIsDisconnected(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<java.util.Map<String, Object>> errors = SocketFixtures.captureErrors(loop);
            List<Recorder> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop);
                served.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer()));
            TransportAndProtocol<Transport, Recorder> tp = await(loop,
                    loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server), null));
            tp.transport().write("GET / HTTP/1.0\r\n\r\n".getBytes());
            await(loop, tp.protocol().lost);
            assertEquals(List.of(), served.get(0).events, "the server's protocol never saw the connection");
            closeServer(loop, server);
            assertEquals(List.of(), errors, "a failed handshake is an IOException: logged in debug mode only");
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aPeerThatDoesNotSpeakTlsFailsTheHandshake(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.createServer(() -> new Recorder(loop) {
                @Override
                public void dataReceived(byte[] data) {
                    transport.write("220 plain text greeting, not TLS\r\n".getBytes());
                }
            }, "127.0.0.1", 0, null));
            Throwable e = failure(loop, loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server),
                    tlsClient()));
            assertInstanceOf(SSLHandshakeException.class, e);
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aPeerThatNeverAnswersCloseNotifyIsAbortedAfterTheShutdownTimeout(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Recorder> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop) {
                    @Override
                    public void connectionMade(BaseTransport transport) {
                        super.connectionMade(transport);
                        this.transport.pauseReading(); // so its TLS layer never reads our close_notify
                    }
                };
                served.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer()));
            TransportAndProtocol<Transport, Recorder> tp = await(loop, loop.createConnection(() -> new Recorder(loop),
                    "127.0.0.1", port(server),
                    ConnectionOptions.builder().ssl(TlsFixtures.clientContext()).sslShutdownTimeout(0.3).build()));
            tp.transport().close();
            Throwable e = await(loop, tp.protocol().lost);
            assertInstanceOf(SocketTimeoutException.class, e);
            assertEquals("SSL shutdown timed out", e.getMessage());
            assertEquals(List.of("made", "lost:SocketTimeoutException"), tp.protocol().events);
            await(loop, AsyncFutures.sleep(loop, 0.1));
            assertFalse(served.get(0).lost.done(), "a TLS layer whose reading is paused waits for it at end of stream");
            served.get(0).transport.resumeReading();
            await(loop, served.get(0).lost);
            assertEquals("lost", served.get(0).events.get(served.get(0).events.size() - 1));
            closeServer(loop, server);
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void abortLosesTheConnectionOnceWithoutCloseNotify(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            List<Recorder> served = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Recorder r = new Recorder(loop);
                served.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer()));
            TransportAndProtocol<Transport, Recorder> tp = await(loop,
                    loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server), tlsClient()));
            tp.transport().abort();
            tp.transport().write("dropped".getBytes());
            assertNull(await(loop, tp.protocol().lost));
            assertEquals(List.of("made", "lost"), tp.protocol().events);
            closeServer(loop, server); // waits until the server's connection is lost too
            // a TLS 1.3 client is done before its server: the abort may end the server's handshake, or its connection
            List<String> serverEvents = served.get(0).events;
            assertTrue(serverEvents.isEmpty() || serverEvents.get(0).equals("made")
                    && serverEvents.get(serverEvents.size() - 1).startsWith("lost"), serverEvents.toString());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("serverHostname is only meaningful with ssl: localhost", assertThrows(
                IllegalArgumentException.class,
                () -> ConnectionOptions.builder().serverHostname("localhost").build()).getMessage());
        assertEquals("sslHandshakeTimeout is only meaningful with ssl: 5.0", assertThrows(
                IllegalArgumentException.class,
                () -> ServerOptions.builder().sslHandshakeTimeout(5).build()).getMessage());
        assertEquals("sslShutdownTimeout should be a positive number, got 0.0", assertThrows(
                IllegalArgumentException.class, () -> ConnectionOptions.builder().sslShutdownTimeout(0)).getMessage());
        assertEquals("sslHandshakeTimeout should be a positive number, got -1.0", assertThrows(
                IllegalArgumentException.class,
                () -> TlsOptions.client(TlsFixtures.clientContext()).handshakeTimeout(-1)).getMessage());
        assertEquals("serverHostname is only meaningful for a client: localhost", assertThrows(
                IllegalArgumentException.class,
                () -> TlsOptions.server(TlsFixtures.serverContext()).serverHostname("localhost")).getMessage());
        assertThrows(NullPointerException.class, () -> TlsOptions.client(null));
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void startTlsRefusesAClosingTransport(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.createServer(() -> new Recorder(loop), "127.0.0.1", 0, null));
            TransportAndProtocol<Transport, Recorder> tp = await(loop,
                    loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port(server), null));
            tp.transport().close();
            Protocol protocol = tp.protocol();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.startTls(
                    tp.transport(), protocol, TlsOptions.client(TlsFixtures.clientContext()).build()));
            assertTrue(e.getMessage().startsWith("transport is closing: "), e.getMessage());
            await(loop, tp.protocol().lost);
            closeServer(loop, server);
        }
    }
}
