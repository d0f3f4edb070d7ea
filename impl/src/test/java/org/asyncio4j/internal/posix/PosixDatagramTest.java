package org.asyncio4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seam's datagram and sendfile calls on each backend ({@link JnrPosix}, and {@code FfmPosix} on Java 22+)
 * against the real kernel, on loopback: recvfrom and sendto both families, connected and not, ECONNREFUSED after
 * a datagram to a closed port, EMSGSIZE, and sendfile of a file range without moving anything through Java.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
class PosixDatagramTest {
    private final Posix posix;
    private final List<Integer> fds = new ArrayList<>();

    PosixDatagramTest(String backend) {
        this.posix = PosixBackends.named(backend);
    }

    static List<String> backends() {
        return PosixBackends.available();
    }

    @AfterEach
    void closeSockets() {
        fds.forEach(posix::close);
    }

    private int udp(InetAddress address) {
        int fd = posix.socket(address.getAddress().length == 4 ? Posix.AF_INET : Posix.AF_INET6, Posix.SOCK_DGRAM);
        fds.add(fd);
        posix.bind(fd, new InetSocketAddress(address, 0));
        return fd;
    }

    /** Receives, retrying while the non-blocking call says EAGAIN (bounded). */
    private ReceivedDatagram receive(int fd) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            ReceivedDatagram d = posix.recvfrom(fd);
            if (d != null) {
                return d;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no datagram on fd " + fd);
    }

    @Test
    void datagramsCarryTheirSenderBothFamilies() throws Exception {
        for (String host : List.of("127.0.0.1", "::1")) {
            InetAddress address = InetAddress.getByName(host);
            int a = udp(address);
            int b = udp(address);
            assertNull(posix.recvfrom(a), "nothing sent yet: EAGAIN");
            byte[] hello = "hello".getBytes();
            assertEquals(5, posix.sendto(a, hello, 0, 5, posix.localAddress(b)));
            ReceivedDatagram got = receive(b);
            assertArrayEquals(hello, got.data());
            assertEquals(posix.localAddress(a), got.sender());
            posix.connect(b, posix.localAddress(a));
            assertEquals(3, posix.sendto(b, hello, 1, 3, null), "connected: to the peer");
            assertArrayEquals("ell".getBytes(), receive(a).data());
            assertEquals(0, posix.sendto(b, hello, 0, 0, null), "an empty datagram");
            assertEquals(0, receive(a).data().length);
        }
    }

    @Test
    void aConnectedSocketLearnsOfAClosedPortAndOversizeIsRefused() throws Exception {
        InetAddress address = InetAddress.getByName("127.0.0.1");
        int gone = posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
        posix.bind(gone, new InetSocketAddress(address, 0));
        InetSocketAddress closedPort = posix.localAddress(gone);
        posix.close(gone);
        int fd = udp(address);
        posix.connect(fd, closedPort);
        posix.sendto(fd, new byte[] {1}, 0, 1, null);
        PosixException refused = null;
        for (int i = 0; i < 3000 && refused == null; i++) {
            try {
                if (posix.recvfrom(fd) == null) {
                    Thread.sleep(1);
                }
            } catch (PosixException e) {
                refused = e;
            }
        }
        assertTrue(refused != null && refused.errno() == PosixException.ECONNREFUSED, "ICMP port unreachable: " + refused);
        byte[] big = new byte[70_000];
        PosixException tooBig = assertThrows(PosixException.class, () -> posix.sendto(fd, big, 0, big.length, null));
        assertEquals(PosixException.EMSGSIZE, tooBig.errno());
    }

    @Test
    void sendfileCopiesAFileRangeInTheKernel(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + (i >>> 9));
        }
        Path file = dir.resolve("data.bin");
        Files.write(file, content);
        InetAddress address = InetAddress.getByName("127.0.0.1");
        int server = posix.socket(Posix.AF_INET, Posix.SOCK_STREAM);
        fds.add(server);
        posix.bind(server, new InetSocketAddress(address, 0));
        posix.listen(server, 1);
        int client = posix.socket(Posix.AF_INET, Posix.SOCK_STREAM);
        fds.add(client);
        posix.connect(client, posix.localAddress(server));
        int peer = -1;
        for (int i = 0; i < 3000 && peer < 0; i++) {
            peer = posix.accept(server);
            if (peer < 0) {
                Thread.sleep(1);
            }
        }
        assertTrue(peer >= 0, "accepted");
        fds.add(peer);
        int in = posix.open(file.toString(), Posix.O_RDONLY);
        fds.add(in);
        long offset = 1000;
        long count = 200_000;
        long sent = 0;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (int i = 0; i < 100_000 && got.size() < count; i++) {
            if (sent < count) {
                long n = posix.sendfile(client, in, offset + sent, count - sent);
                sent += Math.max(0, n);
            }
            int r = posix.recv(peer, buf, 0, buf.length);
            if (r > 0) {
                got.write(buf, 0, r);
            }
        }
        assertEquals(count, sent);
        assertArrayEquals(Arrays.copyOfRange(content, (int) offset, (int) (offset + count)), got.toByteArray());
        assertEquals(0, posix.sendfile(client, in, content.length, 10), "at the end of the file: nothing");
        PosixException notASocket = assertThrows(PosixException.class, () -> posix.sendfile(in, in, 0, 10));
        assertTrue(notASocket.errno() == PosixException.EINVAL || notASocket.errno() == PosixException.EBADF,
                "sendfile to a read-only file: " + notASocket);
    }
}
