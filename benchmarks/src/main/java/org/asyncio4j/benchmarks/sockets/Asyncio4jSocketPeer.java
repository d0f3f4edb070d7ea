package org.asyncio4j.benchmarks.sockets;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Protocol;
import org.asyncio4j.Server;
import org.asyncio4j.TimerHandle;
import org.asyncio4j.Transport;

/**
 * asyncio4j's side, through the public API only: {@code createServer} with an echoing {@link Protocol} and
 * {@code createConnection} for each client, all on one loop (selector or proactor) that a thread of its own runs
 * with {@code runForever}, as an application would. A round is one {@code callSoonThreadsafe} from the benchmark
 * thread that writes every client's messages on the loop.
 */
final class Asyncio4jSocketPeer implements SocketPeer {
    private static final String HOST = "127.0.0.1";
    private static final long CLOSE_SECONDS = 10;

    private final String name;
    private final EventLoop loop;
    private final byte[] message;
    private final List<Client> clients = new ArrayList<>();
    private Server server;
    private Thread thread;
    private volatile Throwable loopFailure;

    private Asyncio4jSocketPeer(String name, EventLoop loop, int messageBytes) {
        this.name = name;
        this.loop = loop;
        this.message = SocketPeer.message(messageBytes);
    }

    /** Connects everything on the calling thread, then hands the loop to its own thread; closes all on failure. */
    static Asyncio4jSocketPeer open(String name, EventLoop loop, int messageBytes, int connections) {
        Asyncio4jSocketPeer peer = new Asyncio4jSocketPeer(name, loop, messageBytes);
        try {
            peer.server = loop.runUntilComplete(loop.createServer(EchoProtocol::new, HOST, 0, null));
            int port = peer.serverPort();
            for (int i = 0; i < connections; i++) {
                peer.clients.add(loop.runUntilComplete(
                        loop.createConnection(() -> new Client(loop), HOST, port, null)).protocol());
            }
            peer.thread = new Thread(peer::run, name + "-loop");
            peer.thread.setDaemon(true); // a failed trial must not keep its fork alive
            peer.thread.start();
            return peer;
        } catch (RuntimeException | Error e) {
            try {
                peer.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void run() {
        try {
            loop.runForever();
        } catch (RuntimeException | Error e) {
            loopFailure = e;
        }
    }

    @Override
    public void echo(int depth) {
        EchoRound round = new EchoRound(clients.size(), depth);
        long bytes = (long) depth * message.length;
        loop.callSoonThreadsafe(() -> {
            for (Client c : clients) {
                c.expectation.expect(round, bytes);
                for (int i = 0; i < depth; i++) {
                    c.transport.write(message);
                }
            }
        });
        if (loopFailure != null) {
            throw new IllegalStateException("peer " + name + ": the loop failed: " + loopFailure, loopFailure);
        }
        round.await(name);
    }

    @Override
    public int serverPort() {
        return server.addresses().get(0).getPort();
    }

    /** Stops the loop's thread, then closes clients and server on this thread and waits (bounded) until all are lost. */
    @Override
    public void close() {
        try {
            if (thread != null) {
                loop.callSoonThreadsafe(loop::stop);
                thread.join(TimeUnit.SECONDS.toMillis(CLOSE_SECONDS));
                if (thread.isAlive()) {
                    throw new IllegalStateException("peer " + name + ": the loop's thread did not stop within "
                            + CLOSE_SECONDS + " s");
                }
            }
            List<AsyncFuture<Void>> lost = new ArrayList<>();
            for (Client c : clients) {
                c.transport.close();
                lost.add(c.lost);
            }
            if (server != null) {
                server.close();
                lost.add(server.waitClosed());
            }
            if (!lost.isEmpty()) {
                TimerHandle guard = loop.callLater(CLOSE_SECONDS, loop::stop); // runUntilComplete then throws
                try {
                    loop.runUntilComplete(AsyncFutures.gather(lost));
                } finally {
                    guard.cancel();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("peer " + name + ": interrupted while closing", e);
        } finally {
            if (thread == null || !thread.isAlive()) {
                loop.close();
            }
        }
    }

    /** The server's side of a connection: writes back whatever it receives. */
    private static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (Transport) t;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }
    }

    /** A client connection: counts the bytes that come back. */
    private static final class Client implements Protocol {
        final EchoRound.Expectation expectation = new EchoRound.Expectation();
        final AsyncFuture<Void> lost;
        Transport transport;

        Client(EventLoop loop) {
            lost = loop.createFuture();
        }

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (Transport) t;
        }

        @Override
        public void dataReceived(byte[] data) {
            expectation.received(data.length);
        }

        @Override
        public void connectionLost(Throwable exc) {
            expectation.lost(exc);
            lost.setResult(null);
        }
    }
}
