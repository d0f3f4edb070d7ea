package org.asyncio4j.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.ConnectionOptions;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Server;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.base.SocketConnector;
import org.asyncio4j.base.StaggeredRace;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.sockets.SocketFixtures.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Happy eyeballs (RFC 8305, CPython's {@code staggered_race}) on real loopback addresses: one that refuses (a
 * port nobody listens on), one that never answers (a listening socket with backlog 0 whose queue a first
 * connection fills, so the kernel drops the next handshakes) and one that works. Attempts are counted; a delay
 * far longer than the test's bounded wait shows that a failure starts the next attempt at once.
 */
class HappyEyeballsTest {
    private static final double TIMEOUT = 30;
    /** Longer than any bounded wait: an attempt that waited for it would fail the test. */
    private static final double FOREVER = 1000;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    /**
     * A listening socket that accepts nothing more: backlog 0, its queue filled by {@link #filler}. A raw
     * descriptor through the libc seam, the same on both loops (NIO.2 takes a backlog of 0 for its default).
     */
    private static final class Unanswering implements AutoCloseable {
        private static final Posix POSIX = Posix.get();
        final int listening;
        final Socket filler = new Socket();
        final InetSocketAddress address;

        Unanswering() throws Exception {
            listening = POSIX.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            POSIX.bind(listening, new InetSocketAddress("127.0.0.1", 0));
            POSIX.listen(listening, 0);
            address = POSIX.localAddress(listening);
            filler.connect(address, 10_000);
        }

        @Override
        public void close() throws Exception {
            filler.close();
            POSIX.close(listening);
        }
    }

    /** A port on 127.0.0.1 that refuses: bound by a socket that is closed again. */
    private static InetSocketAddress refusing(EventLoop loop) throws Exception {
        try (LoopSocket s = loop.openSocket(StandardProtocolFamily.INET)) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.localAddress();
        }
    }

    private static Server server(EventLoop loop) {
        return await(loop, loop.createServer(() -> new Recorder(loop), "127.0.0.1", 0, null));
    }

    /** The race over {@code targets}, each attempt a real connect, counted in {@code started}. */
    private static AsyncFuture<LoopSocket> race(EventLoop loop, List<InetSocketAddress> targets, double delay,
            List<InetSocketAddress> started, List<AsyncFuture<LoopSocket>> attempts) {
        List<Supplier<AsyncFuture<LoopSocket>>> suppliers = new ArrayList<>();
        for (InetSocketAddress target : targets) {
            suppliers.add(() -> {
                started.add(target);
                AsyncFuture<LoopSocket> attempt = SocketConnector.connectFirst(loop, List.of(target), null, null);
                attempts.add(attempt);
                return attempt;
            });
        }
        return StaggeredRace.race(loop, suppliers, delay, LoopSocket::close, errors -> errors.get(0));
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aRefusedAttemptStartsTheNextAtOnce(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            Server server = server(loop);
            InetSocketAddress works = server.addresses().get(0);
            InetSocketAddress refused = refusing(loop);
            List<InetSocketAddress> started = new ArrayList<>();
            try (LoopSocket winner = await(loop, race(loop, List.of(refused, works), FOREVER, started,
                    new ArrayList<>()))) {
                assertEquals(works, winner.remoteAddress());
            }
            assertEquals(List.of(refused, works), started);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void anAttemptThatNeverAnswersIsOvertakenAfterTheDelayAndClosed(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get(); Unanswering silent = new Unanswering()) {
            Server server = server(loop);
            InetSocketAddress works = server.addresses().get(0);
            List<InetSocketAddress> started = new ArrayList<>();
            List<AsyncFuture<LoopSocket>> attempts = new ArrayList<>();
            try (LoopSocket winner = await(loop, race(loop, List.of(silent.address, works), 0.05, started,
                    attempts))) {
                assertEquals(works, winner.remoteAddress());
            }
            assertEquals(List.of(silent.address, works), started);
            assertTrue(attempts.get(0).cancelled(), "the unanswered attempt is cancelled, its socket closed");
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void theFirstToConnectWinsAndLaterAttemptsNeverStart(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            Server server = server(loop);
            InetSocketAddress works = server.addresses().get(0);
            InetSocketAddress refused = refusing(loop);
            List<InetSocketAddress> started = new ArrayList<>();
            try (LoopSocket winner = await(loop, race(loop, List.of(works, refused, refused), FOREVER, started,
                    new ArrayList<>()))) {
                assertEquals(works, winner.remoteAddress());
            }
            assertEquals(List.of(works), started);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void cancellingTheRaceCancelsEveryAttemptAndClosesItsSocket(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get(); Unanswering silent = new Unanswering()) {
            List<InetSocketAddress> started = new ArrayList<>();
            List<AsyncFuture<LoopSocket>> attempts = new ArrayList<>();
            AsyncFuture<LoopSocket> race = race(loop, List.of(silent.address, silent.address, silent.address), 0,
                    started, attempts);
            for (int turn = 0; turn < 1000 && started.size() < 3; turn++) { // a delay of 0: one start per turn
                await(loop, AsyncFutures.sleep(loop, 0));
            }
            assertEquals(3, started.size());
            race.cancel();
            for (int turn = 0; turn < 1000 && !attempts.stream().allMatch(AsyncFuture::done); turn++) {
                await(loop, AsyncFutures.sleep(loop, 0));
            }
            for (AsyncFuture<LoopSocket> attempt : attempts) {
                assertTrue(attempt.cancelled(), "each attempt is cancelled; NoLeaks checks their sockets are closed");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void allFailingGiveMultipleExceptionsNamingEach(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get(); Unanswering silent = new Unanswering()) {
            InetSocketAddress first = refusing(loop);
            InetSocketAddress second = refusing(loop);
            Throwable t = assertThrows(CompletionException.class, () -> await(loop,
                    SocketConnector.connectFirst(loop, List.of(first, second), null, 0.05))).getCause();
            assertInstanceOf(ConnectException.class, t);
            assertTrue(t.getMessage().startsWith("Multiple exceptions: connect failed: ECONNREFUSED"), t.getMessage());
            assertTrue(t.getMessage().contains(first.toString()) && t.getMessage().contains(second.toString()),
                    t.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void createConnectionRacesWithTheOption(Supplier<EventLoop> loops) {
        try (EventLoop loop = loops.get()) {
            Server server = server(loop);
            int port = server.addresses().get(0).getPort();
            ConnectionOptions options = ConnectionOptions.builder().happyEyeballsDelay(0.25).build();
            TransportAndProtocol<Transport, Recorder> client =
                    await(loop, loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port, options));
            assertEquals(server.addresses().get(0), client.transport().getExtraInfo("peername"));
            client.transport().close();
            await(loop, client.protocol().lost);
            server.close();
            await(loop, server.waitClosed());
        }
    }

    @Test
    void optionsRefuseBadValuesNamingThem() {
        assertEquals("happyEyeballsDelay must be finite and >= 0: -1.0", assertThrows(IllegalArgumentException.class,
                () -> ConnectionOptions.builder().happyEyeballsDelay(-1.0)).getMessage());
        assertEquals("interleave must be >= 0: -1", assertThrows(IllegalArgumentException.class,
                () -> ConnectionOptions.builder().interleave(-1)).getMessage());
        assertEquals(1, ConnectionOptions.builder().happyEyeballsDelay(0.25).build().interleave());
        assertEquals(0, ConnectionOptions.defaults().interleave());
    }
}
