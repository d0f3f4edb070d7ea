package org.asyncio4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seam's socket calls on each backend ({@link JnrPosix}, and {@code FfmPosix} on Java 22+) against the real
 * kernel, on loopback: addresses both ways for IPv4 and IPv6, a connection carrying bytes and a half-close, and
 * the errno of each failure a loop has to name. The NoLeaks extension checks that every socket is closed.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
class PosixSocketTest {
    private final Posix posix;
    private final List<Integer> fds = new ArrayList<>();

    PosixSocketTest(String backend) {
        this.posix = PosixBackends.named(backend);
    }

    static List<String> backends() {
        return PosixBackends.available();
    }

    @AfterEach
    void closeSockets() {
        fds.forEach(posix::close);
    }

    private int socket(int family) {
        int fd = posix.socket(family, Posix.SOCK_STREAM);
        fds.add(fd);
        return fd;
    }

    private int listening(InetAddress address) {
        int fd = socket(address.getAddress().length == 4 ? Posix.AF_INET : Posix.AF_INET6);
        posix.bind(fd, new InetSocketAddress(address, 0));
        posix.listen(fd, 4);
        return fd;
    }

    /** Accepts, retrying while the non-blocking accept says EAGAIN (bounded). */
    private int accept(int server) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            int conn = posix.accept(server);
            if (conn >= 0) {
                fds.add(conn);
                return conn;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no connection to accept");
    }

    @Test
    void ipv4AndIpv6ConnectionsCarryBytesAndAHalfClose() throws Exception {
        for (String host : List.of("127.0.0.1", "::1")) {
            InetAddress address = InetAddress.getByName(host);
            int server = listening(address);
            InetSocketAddress bound = posix.localAddress(server);
            assertEquals(address, bound.getAddress());
            assertTrue(bound.getPort() > 0);
            int client = socket(address.getAddress().length == 4 ? Posix.AF_INET : Posix.AF_INET6);
            posix.setSocketOption(client, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, 1);
            posix.connect(client, bound);
            int peer = accept(server);
            assertEquals(0, posix.socketError(client));
            assertEquals(posix.localAddress(client), posix.remoteAddress(peer));
            assertEquals(bound, posix.remoteAddress(client));
            byte[] hello = "hello".getBytes();
            assertEquals(5, posix.send(client, hello, 0, 5));
            byte[] got = new byte[16];
            int n;
            while ((n = posix.recv(peer, got, 0, got.length)) < 0) {
                Thread.sleep(1);
            }
            assertEquals("hello", new String(got, 0, n));
            posix.shutdown(client, Posix.SHUT_WR);
            while ((n = posix.recv(peer, got, 0, got.length)) < 0) {
                Thread.sleep(1);
            }
            assertEquals(0, n, "end of stream after the peer's SHUT_WR");
            assertEquals(-1, posix.recv(client, got, 0, got.length), "EAGAIN: the other direction is still open");
        }
    }

    @Test
    void failuresCarryTheirErrno() throws Exception {
        int server = listening(InetAddress.getLoopbackAddress());
        InetSocketAddress bound = posix.localAddress(server);
        int second = socket(Posix.AF_INET);
        PosixException inUse = assertThrows(PosixException.class, () -> posix.bind(second, bound));
        assertEquals(PosixException.EADDRINUSE, inUse.errno());
        assertEquals("bind", inUse.call());

        int closedPort;
        int probe = socket(Posix.AF_INET);
        posix.bind(probe, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        closedPort = posix.localAddress(probe).getPort();
        int client = socket(Posix.AF_INET);
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort);
        int error;
        try {
            posix.connect(client, nobody);
            error = 0;
            for (int i = 0; i < 3000 && (error = posix.socketError(client)) == 0; i++) {
                Thread.sleep(1);
            }
        } catch (PosixException e) {
            error = e.errno();
        }
        assertEquals(PosixException.ECONNREFUSED, error);

        assertEquals(PosixException.ENOTCONN,
                assertThrows(PosixException.class, () -> posix.remoteAddress(second)).errno());
        assertEquals(PosixException.EPIPE, assertThrows(PosixException.class,
                () -> posix.send(second, new byte[1], 0, 1)).errno(), "MSG_NOSIGNAL: EPIPE, no SIGPIPE");
        assertEquals(-1, posix.accept(server), "EAGAIN on an empty queue");
        assertEquals(PosixException.EINVAL, assertThrows(PosixException.class,
                () -> posix.bind(second, InetSocketAddress.createUnresolved("example.invalid", 1))).errno());
    }

    @Test
    void unixDomainPathsAndAbstractNamesBothWays(@TempDir Path dir) throws Exception {
        String file = dir.resolve("s").toString();
        String name = "\0asyncio4j-seam-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        for (String path : List.of(file, name)) {
            byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
            int server = socket(Posix.AF_UNIX);
            posix.bindUnix(server, bytes);
            posix.listen(server, 4);
            assertArrayEquals(bytes, posix.localUnixPath(server));
            int client = socket(Posix.AF_UNIX);
            assertTrue(posix.connectUnix(client, bytes), "AF_UNIX connects at once");
            int peer = accept(server);
            assertArrayEquals(bytes, posix.remoteUnixPath(client));
            assertArrayEquals(new byte[0], posix.localUnixPath(client), "an unbound client is unnamed");
            assertArrayEquals(new byte[0], posix.remoteUnixPath(peer));
            assertEquals(2, posix.send(client, "hi".getBytes(), 0, 2));
            byte[] got = new byte[4];
            assertEquals(2, posix.recv(peer, got, 0, got.length));
        }
    }

    @Test
    void unixDomainFailuresCarryTheirErrno(@TempDir Path dir) throws Exception {
        int client = socket(Posix.AF_UNIX);
        byte[] missing = dir.resolve("missing").toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(PosixException.ENOENT,
                assertThrows(PosixException.class, () -> posix.connectUnix(client, missing)).errno());
        byte[] stale = dir.resolve("stale").toString().getBytes(StandardCharsets.UTF_8);
        int bound = socket(Posix.AF_UNIX);
        posix.bindUnix(bound, stale); // a socket file nobody listens on
        assertEquals(PosixException.ECONNREFUSED,
                assertThrows(PosixException.class, () -> posix.connectUnix(client, stale)).errno());
        int again = socket(Posix.AF_UNIX);
        assertEquals(PosixException.EADDRINUSE,
                assertThrows(PosixException.class, () -> posix.bindUnix(again, stale)).errno());
        byte[] tooLong = new byte[Posix.SUN_PATH_BYTES + 1];
        Arrays.fill(tooLong, (byte) 'a');
        PosixException longer = assertThrows(PosixException.class, () -> posix.bindUnix(again, tooLong));
        assertEquals(36, longer.errno(), "ENAMETOOLONG");
        assertEquals(PosixException.EINVAL,
                assertThrows(PosixException.class, () -> posix.connectUnix(again, new byte[0])).errno());
    }
}
