package org.asyncio4j.sockets;

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
import java.util.List;
import java.util.concurrent.CompletionException;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Server;
import org.asyncio4j.StreamConnection;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.UnixServerOptions;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.proactor.NioWarmUp;
import org.asyncio4j.proactor.ProactorEventLoop;
import org.asyncio4j.sockets.SocketFixtures.Echo;
import org.asyncio4j.sockets.SocketFixtures.Recorder;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CPython's {@code create_unix_connection}, {@code create_unix_server}, {@code open_unix_connection} and
 * {@code start_unix_server} on real AF_UNIX sockets of the selector loop: a path and a Linux abstract name, the
 * socket files a server finds and leaves, and each refusal named. The proactor loop has no Unix-domain sockets
 * (Java's asynchronous channels are IP only) and says so.
 */
class UnixDomainSocketsTest {
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

    @Test
    void echoesOverAPathAndRemovesTheSocketFileOnClose() {
        String path = dir.resolve("echo.sock").toString();
        try (EventLoop loop = new SelectorEventLoop()) {
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

    @Test
    void streamsMakeARoundTrip() {
        String path = dir.resolve("streams.sock").toString();
        try (EventLoop loop = new SelectorEventLoop()) {
            Server server = await(loop, loop.startUnixServer(SocketStreamsTest::upperCaseLines, path, null));
            StreamConnection c = await(loop, loop.openUnixConnection(path));
            SocketStreamsTest.upperCaseRoundTrip(loop, c);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @Test
    void closingTheServerStopsListeningAndKeepsLiveConnections() {
        String path = dir.resolve("live.sock").toString();
        try (EventLoop loop = new SelectorEventLoop()) {
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

    @Test
    void aStaleSocketFileIsReplacedAndAnotherServersFileIsLeftAlone() throws Exception {
        String path = dir.resolve("stale.sock").toString();
        try (EventLoop loop = new SelectorEventLoop()) {
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

    @Test
    void aFileThatIsNotASocketIsRefusedAndKept() throws Exception {
        Path file = dir.resolve("data.txt");
        Files.writeString(file, "keep me");
        try (EventLoop loop = new SelectorEventLoop()) {
            Throwable t = failure(loop, loop.createUnixServer(() -> new Recorder(loop), file.toString(), null));
            assertInstanceOf(BindException.class, t);
            assertEquals("bind failed: EADDRINUSE (Address already in use) (" + file + ")", t.getMessage());
            assertEquals("keep me", Files.readString(file));
        }
    }

    @Test
    void aPathLongerThanSunPathIsRefusedNamingIt() {
        String path = dir.resolve("x".repeat(Posix.SUN_PATH_BYTES)).toString();
        int bytes = path.length();
        try (EventLoop loop = new SelectorEventLoop()) {
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

    @Test
    void aMissingPathFailsWithEnoent() {
        String path = dir.resolve("nobody.sock").toString();
        try (EventLoop loop = new SelectorEventLoop()) {
            Throwable t = failure(loop, loop.createUnixConnection(() -> new Recorder(loop), path));
            assertInstanceOf(SocketException.class, t);
            assertEquals("connect failed: ENOENT (No such file or directory) (" + path + ")", t.getMessage());
        }
    }

    @Test
    void theProactorLoopSaysItHasNoUnixDomainSockets() {
        NioWarmUp.once();
        String path = dir.resolve("p.sock").toString();
        try (EventLoop loop = new ProactorEventLoop()) {
            String expected = "the proactor loop has no Unix-domain sockets: Java's asynchronous socket channels are "
                    + "IP only; use the selector loop";
            assertEquals(expected, assertThrows(UnsupportedOperationException.class,
                    () -> loop.createUnixServer(() -> new Recorder(loop), path, null)).getMessage());
            assertEquals(expected, assertThrows(UnsupportedOperationException.class,
                    () -> loop.createUnixConnection(() -> new Recorder(loop), path)).getMessage());
            assertFalse(Files.exists(Path.of(path)));
        }
    }
}
