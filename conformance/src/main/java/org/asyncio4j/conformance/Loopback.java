package org.asyncio4j.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.Server;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;

/**
 * Real TCP on 127.0.0.1 for the socket properties, through the loop's public API only: servers on a port the OS
 * chooses, connections to them, connected pairs of the loop's own sockets, a port that refuses connections, and
 * the count of this process's open sockets. Every wait runs the loop under {@link LoopRuns}' safety net.
 */
final class Loopback {
    static final String HOST = "127.0.0.1";
    /**
     * The most a property writes to a peer that does not read while it waits for the transport to buffer (or to
     * pause): several times what the loopback socket buffers take before the OS stops taking more (about 4 MiB).
     */
    static final int MOST_WRITTEN = 32 * 1024 * 1024;
    private static final Path FDS = Path.of("/proc/self/fd");

    private Loopback() {}

    /** A server on {@link #HOST}, a port the OS chooses, whose connections get protocols from {@code factory}. */
    static Server listen(EventLoop loop, Supplier<? extends Protocol> factory, String rule) {
        return await(loop, loop.createServer(factory, HOST, 0, null), rule, "createServer on " + HOST + ", port 0");
    }

    /** The port {@code server} listens on. */
    static int port(Server server) {
        return server.addresses().get(0).getPort();
    }

    /**
     * Connects to {@code port} with {@code client}; fails on {@code rule} unless connectionMade came before the
     * future's done callbacks (marked {@code kit:connected}).
     */
    static Transport connect(EventLoop loop, ConnectionRecorder client, int port, String rule) {
        AsyncFuture<TransportAndProtocol<Transport, ConnectionRecorder>> f = loop.createConnection(() -> client, HOST, port, null);
        f.addDoneCallback(done -> client.mark("connected"));
        TransportAndProtocol<Transport, ConnectionRecorder> tp = await(loop, f, rule, "createConnection to " + HOST + ":" + port);
        return tp.transport();
    }

    /** Two connected sockets of {@code loop} (the connecting one first), made with its low-level calls. */
    static LoopSocket[] pair(EventLoop loop, String rule) {
        try (LoopSocket listening = loop.openSocket(StandardProtocolFamily.INET)) {
            listening.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            listening.listen(1);
            LoopSocket connecting = loop.openSocket(StandardProtocolFamily.INET);
            AsyncFuture<LoopSocket> accepted = loop.sockAccept(listening);
            AsyncFuture<Void> connected = loop.sockConnect(connecting, listening.localAddress());
            LoopRuns.until(loop, () -> accepted.done() && connected.done(), rule, () -> "sockConnect and sockAccept on " + HOST);
            if (connected.exception() != null || accepted.exception() != null) {
                connecting.close();
                if (accepted.exception() == null) {
                    accepted.result().close();
                }
                throw new RuleViolation(rule, "sockConnect to a listening socket on " + HOST + " failed: "
                        + (connected.exception() != null ? connected.exception() : accepted.exception()));
            }
            return new LoopSocket[] {connecting, accepted.result()};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a listening socket on " + HOST, e);
        }
    }

    /**
     * A socket of the kit's own (not the loop's), bound to a port of {@link #HOST} and not listening: connections
     * to that port are refused, and no other socket can take the port while it is open.
     */
    static SocketChannel refusingPort() {
        try {
            SocketChannel bound = SocketChannel.open();
            bound.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return bound;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a socket on " + HOST, e);
        }
    }

    /** The descriptors of this process that are sockets, from /proc/self/fd (Linux). */
    static List<String> openSockets() {
        List<String> sockets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(FDS)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:")) {
                        sockets.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the directory's own descriptor, or one closed while listing: not an open socket
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FDS, e);
        }
        return sockets;
    }

    /** Runs {@code loop} until {@code future} is done; fails on {@code rule} if it failed or never completed. */
    static <T> T await(EventLoop loop, AsyncFuture<T> future, String rule, String what) {
        LoopRuns.until(loop, future::done, rule, () -> what + " to complete");
        if (future.cancelled()) {
            throw new RuleViolation(rule, what + " was cancelled");
        }
        Throwable e = future.exception();
        if (e != null) {
            throw new RuleViolation(rule, what + " failed: " + e);
        }
        return future.result();
    }
}
