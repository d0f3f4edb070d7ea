package org.asyncio4j.sockets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Server;
import org.asyncio4j.StreamConnection;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.UnixServerOptions;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.proactor.NioWarmUp;
import org.asyncio4j.proactor.ProactorEventLoop;
import org.asyncio4j.sockets.SocketFixtures.Echo;
import org.asyncio4j.sockets.SocketFixtures.Recorder;
import org.asyncio4j.testing.LogCapture;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CPython's {@code create_unix_connection}, {@code create_unix_server}, {@code open_unix_connection} and
 * {@code start_unix_server} on real AF_UNIX sockets of both loops: a path, the socket files a server finds and
 * leaves, and each refusal named. A Linux abstract name works on the selector loop; the proactor loop (the JDK's
 * {@code UnixDomainSocketAddress}) refuses it, saying why.
 */
class UnixDomainSocketsTest {
    private static final String LOOPS = "org.asyncio4j.sockets.SocketFixtures#loops";
    private static final double TIMEOUT = 30;

    @TempDir
    Path dir;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    private static Throwable failure(EventLoop loop, AsyncFuture<?> f) {
        return assertThrows(CompletionException.class, () -> await(loop, f)).getCause();
    }

    private static Server echoServer(EventLoop loop, String path, List<Echo> accepted, UnixServerOptions options) {
        return await(loop, loop.createUnixServer(() -> {
            Echo echo = new Echo(loop);
            accepted.add(echo);
            return echo;
        }, path, options));
    }

    /** Connects to {@code path}, sends "hello", checks the echo and the transport's paths, and closes. */
    private static void echoOnce(EventLoop loop, String path, List<Echo> accepted) {
        TransportAndProtocol<Transport, Recorder> client =
                await(loop, loop.createUnixConnection(() -> new Recorder(loop), path));
        Recorder recorder = client.protocol();
        recorder.expected = 5;
        client.transport().write("hello".getBytes());
        await(loop, recorder.gotAll);
        assertEquals("hello", recorder.received.toString());
        assertEquals(path, client.transport().getExtraInfo("peername"));
        assertEquals("", client.transport().getExtraInfo("sockname"), "an unbound client is unnamed");
        Echo echo = accepted.get(accepted.size() - 1);
        assertEquals(path, echo.transport.getExtraInfo("sockname"));
        client.transport().close();
        assertNull(await(loop, recorder.lost));
        assertNull(await(loop, echo.lost));
        assertEquals(List.of("made", "data", "lost"), recorder.events);
        assertEquals(List.of("made", "data", "eof", "lost"), echo.events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void echoesOverAPathAndRemovesTheSocketFileOnClose(Supplier<EventLoop> loops) {
        String path = dir.resolve("echo.sock").toString();
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, path, accepted, null);
            assertTrue(server.isServing());
            assertEquals(path, server.sockets().get(0).unixPath());
            assertEquals(List.of(), server.addresses(), "no TCP addresses");
            assertTrue(Files.exists(Path.of(path)));
            echoOnce(loop, path, accepted);
            server.close();
            await(loop, server.waitClosed());
            assertFalse(Files.exists(Path.of(path)), "CPython 3.13's cleanup_socket");
        }
    }

    @Test
    void echoesOverAnAbstractName() {
        String name = "\0asyncio4j-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (EventLoop loop = new SelectorEventLoop()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, name, accepted, null);
            assertEquals(name, server.sockets().get(0).unixPath());
            echoOnce(loop, name, accepted);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void streamsMakeARoundTrip(Supplier<EventLoop> loops) {
        String path = dir.resolve("streams.sock").toString();
        try (EventLoop loop = loops.get()) {
            Server server = await(loop, loop.startUnixServer(SocketStreamsTest::upperCaseLines, path, null));
            StreamConnection c = await(loop, loop.openUnixConnection(path));
            SocketStreamsTest.upperCaseRoundTrip(loop, c);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void closingTheServerStopsListeningAndKeepsLiveConnections(Supplier<EventLoop> loops) {
        String path = dir.resolve("live.sock").toString();
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, path, accepted, null);
            TransportAndProtocol<Transport, Recorder> client =
                    await(loop, loop.createUnixConnection(() -> new Recorder(loop), path));
            client.protocol().expected = 4;
            client.transport().write("ping".getBytes());
            await(loop, client.protocol().gotAll);
            server.close();
            assertFalse(server.isServing());
            assertFalse(Files.exists(Path.of(path)));
            AsyncFuture<Void> closed = server.waitClosed();
            Echo live = accepted.get(0);
            live.expected = 8;
            client.transport().write("pong".getBytes());
            await(loop, live.gotAll);
            assertEquals("pingpong", live.received.toString(), "the live connection still carries data");
            assertFalse(closed.done(), "waitClosed waits for the live connection");
            client.transport().close();
            await(loop, closed);
            assertInstanceOf(SocketException.class, failure(loop,
                    loop.createUnixConnection(() -> new Recorder(loop), path)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void aStaleSocketFileIsReplacedAndAnotherServersFileIsLeftAlone(Supplier<EventLoop> loops) throws Exception {
        String path = dir.resolve("stale.sock").toString();
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server first = echoServer(loop, path, accepted, UnixServerOptions.builder().cleanupSocket(false).build());
            first.close();
            await(loop, first.waitClosed());
            assertTrue(Files.exists(Path.of(path)), "without cleanup the socket file stays");
            Throwable refused = failure(loop, loop.createUnixConnection(() -> new Recorder(loop), path));
            assertInstanceOf(ConnectException.class, refused);
            assertTrue(refused.getMessage().startsWith("connect failed: ECONNREFUSED"), refused.getMessage());

            Server second = echoServer(loop, path, accepted, null); // the stale file is removed, the path bound
            echoOnce(loop, path, accepted);
            Files.delete(Path.of(path));
            Server third = echoServer(loop, path, accepted, null); // a new server at the path, second's file gone
            second.close();
            await(loop, second.waitClosed());
            assertTrue(Files.exists(Path.of(path)), "closing second leaves third's socket file");
            echoOnce(loop, path, accepted);
            third.close();
            await(loop, third.waitClosed());
            assertFalse(Files.exists(Path.of(path)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void aFileThatIsNotASocketIsRefusedAndKept(Supplier<EventLoop> loops) throws Exception {
        Path file = dir.resolve("data.txt");
        Files.writeString(file, "keep me");
        try (EventLoop loop = loops.get()) {
            Throwable t = failure(loop, loop.createUnixServer(() -> new Recorder(loop), file.toString(), null));
            assertInstanceOf(BindException.class, t);
            assertEquals("bind failed: EADDRINUSE (Address already in use) (" + file + ")", t.getMessage());
            assertEquals("keep me", Files.readString(file));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void aPathLongerThanSunPathIsRefusedNamingIt(Supplier<EventLoop> loops) {
        String path = dir.resolve("x".repeat(Posix.SUN_PATH_BYTES)).toString();
        int bytes = path.length();
        try (EventLoop loop = loops.get()) {
            String expected = "path is longer than sun_path's 108 bytes (" + bytes + " bytes): " + path;
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixServer(() -> new Recorder(loop), path, null)).getMessage());
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixConnection(() -> new Recorder(loop), path)).getMessage());
            String name = "\0" + "n".repeat(Posix.SUN_PATH_BYTES);
            assertEquals("path is longer than sun_path's 108 bytes (109 bytes): \\0" + "n".repeat(108),
                    assertThrows(IllegalArgumentException.class,
                            () -> loop.createUnixConnection(() -> new Recorder(loop), name)).getMessage());
            assertEquals("path must not be empty", assertThrows(IllegalArgumentException.class,
                    () -> loop.openUnixConnection("")).getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void aMissingPathFailsWithEnoent(Supplier<EventLoop> loops) {
        String path = dir.resolve("nobody.sock").toString();
        try (EventLoop loop = loops.get()) {
            Throwable t = failure(loop, loop.createUnixConnection(() -> new Recorder(loop), path));
            assertInstanceOf(SocketException.class, t);
            assertEquals("connect failed: ENOENT (No such file or directory) (" + path + ")", t.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void aFullBacklogFailsTheConnectWithEagain(Supplier<EventLoop> loops) {
        String path = dir.resolve("full.sock").toString();
        try (EventLoop loop = loops.get()) {
            Server server = echoServer(loop, path, new ArrayList<>(),
                    UnixServerOptions.builder().backlog(1).startServing(false).build());
            List<Transport> queued = new ArrayList<>();
            Throwable refused = null;
            for (int i = 0; i < 10 && refused == null; i++) { // Linux queues backlog + 1 connections
                AsyncFuture<TransportAndProtocol<Transport, Recorder>> c =
                        loop.createUnixConnection(() -> new Recorder(loop), path);
                try {
                    queued.add(await(loop, c).transport());
                } catch (CompletionException e) {
                    refused = e.getCause();
                }
            }
            assertInstanceOf(SocketException.class, refused, "no connect refused");
            assertEquals("connect failed: EAGAIN (Resource temporarily unavailable) (" + path + ")",
                    refused.getMessage());
            queued.forEach(Transport::close);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    // ----- the transport's contract over a path, on both loops (the TCP cases are SocketTransportTest's) -----

    private TransportAndProtocol<Transport, Recorder> connect(EventLoop loop, String path) {
        return await(loop, loop.createUnixConnection(() -> new Recorder(loop), path));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void carriesEightMebibytesEachWayAtOnce(Supplier<EventLoop> loops) {
        int size = 8 << 20;
        byte[] data = SocketFixtures.pattern(size);
        String path = dir.resolve("bulk.sock").toString();
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, path, accepted, null);
            TransportAndProtocol<Transport, Recorder> client = connect(loop, path);
            Recorder recorder = client.protocol();
            recorder.expected = size;
            for (int off = 0; off < size; off += 1 << 20) {
                client.transport().write(Arrays.copyOfRange(data, off, off + (1 << 20)));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void aPeerThatPausesReadingPausesTheWriterAboveTheHighWaterMark(Supplier<EventLoop> loops) {
        String path = dir.resolve("marks.sock").toString();
        try (EventLoop loop = loops.get()) {
            AsyncFuture<Recorder> serverSide = loop.createFuture(); // accepted maybe after the writer paused
            Server server = await(loop, loop.createUnixServer(() -> new Recorder(loop) {
                @Override
                public void connectionMade(BaseTransport transport) {
                    super.connectionMade(transport);
                    this.transport.pauseReading(); // never reads until told
                    serverSide.setResult(this);
                }
            }, path, null));
            TransportAndProtocol<Transport, Recorder> client = connect(loop, path);
            Transport transport = client.transport();
            Recorder writer = client.protocol();
            byte[] chunk = new byte[16 * 1024];
            long written = 0;
            int rounds = 0;
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
            assertTrue(buffered <= limits.high() + chunk.length, "bounded by the mark plus one write: " + buffered);
            Recorder reader = await(loop, serverSide);
            reader.expected = (int) written;
            reader.transport.resumeReading();
            await(loop, reader.gotAll);
            assertEquals(written, reader.received.size());
            assertEquals(List.of("made", "pause", "resume"), writer.events, "resumed once drained below the low mark");
            transport.close();
            await(loop, reader.lost);
            await(loop, writer.lost);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void halfCloseLetsThePeerAnswerAfterEndOfStream(Supplier<EventLoop> loops) {
        String path = dir.resolve("half.sock").toString();
        try (EventLoop loop = loops.get()) {
            AtomicReference<Recorder> serverSide = new AtomicReference<>();
            Server server = await(loop, loop.createUnixServer(() -> {
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
            }, path, null));
            TransportAndProtocol<Transport, Recorder> client = connect(loop, path);
            Recorder recorder = client.protocol();
            recorder.keepOpenOnEof = true;
            assertTrue(client.transport().canWriteEof());
            client.transport().write("12345".getBytes());
            client.transport().writeEof();
            assertFalse(client.transport().isClosing(), "half-closed, still reading");
            await(loop, recorder.eof);
            assertEquals("got 5", recorder.received.toString());
            client.transport().close();
            await(loop, recorder.lost);
            assertEquals(List.of("made", "data", "eof", "lost"), recorder.events);
            assertEquals(List.of("made", "data", "eof", "lost"), serverSide.get().events);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void abortEndsTheConnectionOnceAndThePeerSeesIt(Supplier<EventLoop> loops) {
        String path = dir.resolve("abort.sock").toString();
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = echoServer(loop, path, accepted, null);
            TransportAndProtocol<Transport, Recorder> client = connect(loop, path);
            await(loop, AsyncFutures.sleep(loop, 0.01));
            client.transport().write("dropped".getBytes());
            client.transport().abort();
            client.transport().abort(); // idempotent: connectionLost once
            assertNull(await(loop, client.protocol().lost));
            await(loop, accepted.get(0).lost);
            assertEquals(List.of("made", "lost"), client.protocol().events);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    void aLoopClosedWithAnOpenServerAndTransportsClosesThemWithWarnings(Supplier<EventLoop> loops) {
        String path = dir.resolve("unclosed.sock").toString();
        try (LogCapture warnings = LogCapture.warnings()) {
            EventLoop loop = loops.get();
            List<Echo> accepted = new ArrayList<>();
            echoServer(loop, path, accepted, null);
            TransportAndProtocol<Transport, Recorder> client = connect(loop, path);
            await(loop, AsyncFutures.sleep(loop, 0.01));
            assertEquals(1, accepted.size());
            loop.close(); // NoLeaks fails the test if a descriptor or the pump thread stays
            List<String> unclosed = warnings.runtimeWarnings();
            assertEquals(3, unclosed.size(), "client, accepted connection, listening socket: " + unclosed);
            assertTrue(unclosed.stream().allMatch(w -> w.startsWith("ResourceWarning: unclosed")), unclosed.toString());
            assertFalse(client.protocol().lost.done(), "nothing runs on a closed loop");
            assertFalse(Files.exists(Path.of(path)), "the listening socket's file is cleaned up as it closes");
        }
    }

    @Test
    void theProactorLoopRefusesAbstractNamesSayingWhy() {
        NioWarmUp.once();
        String name = "\0asyncio4j-test-" + ProcessHandle.current().pid();
        try (EventLoop loop = new ProactorEventLoop()) {
            String expected = "the proactor loop cannot use the Linux abstract name " + name.replace("\0", "\\0")
                    + ": the JDK's UnixDomainSocketAddress takes file-system paths only; use the selector loop";
            assertEquals(expected, assertThrows(UnsupportedOperationException.class,
                    () -> loop.createUnixServer(() -> new Recorder(loop), name, null)).getMessage());
            assertEquals(expected, assertThrows(UnsupportedOperationException.class,
                    () -> loop.createUnixConnection(() -> new Recorder(loop), name)).getMessage());
            assertEquals(expected, assertThrows(UnsupportedOperationException.class,
                    () -> loop.openUnixConnection(name)).getMessage());
        }
    }

    @Test
    void theProactorLoopsUnixSocketsRefuseSockCallsSayingSo() {
        NioWarmUp.once();
        String path = dir.resolve("calls.sock").toString();
        try (EventLoop loop = new ProactorEventLoop()) {
            Server server = echoServer(loop, path, new ArrayList<>(), null);
            LoopSocket listening = server.sockets().get(0);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> loop.sockRecv(listening, 1));
            assertTrue(e.getMessage().startsWith("the proactor loop's Unix-domain sockets serve transports and "
                    + "servers; sockRecv, sockSendall and the other sock_* calls on them are not there yet"),
                    e.getMessage());
            server.close();
            await(loop, server.waitClosed());
            assertFalse(Files.exists(Path.of(path)));
        }
    }
}
