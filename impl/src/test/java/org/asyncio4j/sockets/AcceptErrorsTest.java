package org.asyncio4j.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Server;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SocketErrors;
import org.asyncio4j.sockets.SocketFixtures.Echo;
import org.asyncio4j.sockets.SocketFixtures.Recorder;
import org.asyncio4j.unix.FullDescriptorTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server whose accept fails for lack of descriptors, for real: the test fills the process's descriptor table
 * (as {@code SpawnFailureTest} does) while a client's connection waits in the backlog, so the server's accept
 * fails with EMFILE. CPython's {@code _accept_connection}: the error goes to the exception handler, the server
 * waits {@code ACCEPT_RETRY_DELAY} and accepts the connection once descriptors are free again.
 */
class AcceptErrorsTest {
    private static final double TIMEOUT = 30;

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void emfileIsReportedAndTheAcceptRetriedOnceDescriptorsAreFree(Supplier<EventLoop> loops) throws Exception {
        try (EventLoop loop = loops.get()) {
            List<Echo> accepted = new ArrayList<>();
            Server server = await(loop, loop.createServer(() -> {
                Echo echo = new Echo(loop);
                accepted.add(echo);
                return echo;
            }, "127.0.0.1", 0, null));
            int port = server.addresses().get(0).getPort();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            // warm up: load every class an accept, its failure and a report need while files can still be opened
            TransportAndProtocol<Transport, Recorder> first =
                    await(loop, loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port, null));
            first.transport().close();
            await(loop, first.protocol().lost);
            AsyncFuture<Void> failed = loop.createFuture();
            failed.setException(new java.net.SocketException("warm-up"));
            assertNotNull(failed.exception());
            assertEquals(PosixException.EMFILE, SocketErrors.errnoOf(SocketErrors.of(
                    new PosixException("accept4", PosixException.EMFILE, "warm-up"))));

            List<Map<String, Object>> reports = new ArrayList<>();
            AsyncFuture<Void> reported = loop.createFuture();
            FullDescriptorTable[] full = new FullDescriptorTable[1];
            loop.setExceptionHandler((l, context) -> { // set while classes can still be loaded
                reports.add(context);
                full[0].close(); // descriptors are free again before the retry
                if (!reported.done()) {
                    reported.setResult(null);
                }
            });
            try (LoopSocket client = loop.openSocket(java.net.StandardProtocolFamily.INET)) {
                try (FullDescriptorTable table = new FullDescriptorTable()) {
                    full[0] = table;
                    AsyncFuture<Void> connecting = loop.sockConnect(client, address); // completes in the backlog
                    await(loop, reported);
                    await(loop, connecting);
                }
                await(loop, loop.sockSendall(client, "after".getBytes()));
                byte[] echoed = await(loop, loop.sockRecv(client, 5));
                assertEquals("after", new String(echoed));
            }
            assertEquals(1, reports.size(), "one report, then one retry that succeeds: " + reports);
            Map<String, Object> context = reports.get(0);
            assertEquals("socket.accept() out of system resource", context.get("message"));
            Throwable error = (Throwable) context.get("exception");
            assertNotNull(error);
            assertTrue(String.valueOf(error.getMessage()).contains("EMFILE (Too many open files)"), error.getMessage());
            assertSame(server, context.get("server"));
            assertEquals(2, accepted.size(), "the warm-up connection and the retried one");
            await(loop, accepted.get(1).lost);
            server.close();
            await(loop, server.waitClosed());
        }
    }
}
