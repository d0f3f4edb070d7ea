package org.asyncio4j.proactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SocketErrors;
import org.asyncio4j.internal.posix.SocketFileCleanup;
import org.jspecify.annotations.Nullable;

/**
 * A Unix-domain socket of the proactor loop: a non-blocking {@link SocketChannel} (Java 16+) or, listening, a
 * {@link ServerSocketChannel}, whose operations the loop's {@link ChannelPump} completes. A listening socket may
 * remove its socket file when closed (CPython 3.13's {@code cleanup_socket}). A connection a cancelled
 * {@code sockAccept} leaves is kept for the next call ({@link #accepting}).
 */
final class ProactorUnixSocket implements LoopSocket {
    final ProactorEventLoop loop;
    private final ProactorSockets sockets;
    final @Nullable SocketChannel channel;
    final @Nullable ServerSocketChannel server;
    private boolean closed;
    private @Nullable SocketFileCleanup cleanup;

    // accepting, for sockAccept
    final AcceptHandoff<SocketChannel> accepting;

    /** The connect in progress, or null. */
    @Nullable AsyncFuture<?> connecting;
    /** The transport that owns this socket, or null. */
    @Nullable Object owner;

    ProactorUnixSocket(ProactorEventLoop loop, ProactorSockets sockets, SocketChannel channel) {
        this.loop = loop;
        this.sockets = sockets;
        this.channel = channel;
        this.server = null;
        this.accepting = new AcceptHandoff<>(c -> new ProactorUnixSocket(loop, sockets, c));
    }

    ProactorUnixSocket(ProactorEventLoop loop, ProactorSockets sockets, ServerSocketChannel server) {
        this.loop = loop;
        this.sockets = sockets;
        this.channel = null;
        this.server = server;
        this.accepting = new AcceptHandoff<>(c -> new ProactorUnixSocket(loop, sockets, c));
    }

    /** Once closed, removes the socket file at {@code path} if it is still the one bound now (CPython 3.13). */
    void cleanUpOnClose(String path) {
        cleanup = SocketFileCleanup.remember(path);
    }

    /** A Unix-domain socket has no IP address to bind: EINVAL, as the OS answers. */
    @Override
    public void bind(InetSocketAddress address) throws IOException {
        checkOpen();
        throw SocketErrors.of("bind", PosixException.EINVAL, address + " on Unix-domain " + this);
    }

    /** Already listening if made by a Unix server; a connected socket cannot listen: EINVAL, as the OS answers. */
    @Override
    public void listen(int backlog) throws IOException {
        checkOpen();
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0: " + backlog);
        }
        if (server == null) {
            throw SocketErrors.of("listen", PosixException.EINVAL, toString());
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        checkOpen();
        throw new IllegalStateException("a Unix-domain socket has no InetSocketAddress, see unixPath(): " + this);
    }

    @Override
    public @Nullable InetSocketAddress remoteAddress() {
        return null;
    }

    @Override
    public String unixPath() {
        checkOpen();
        try {
            return path(channel != null ? channel.getLocalAddress() : server.getLocalAddress());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the path of " + this + ": " + e.getMessage());
        }
    }

    @Override
    public @Nullable String unixPeerPath() {
        if (closed || channel == null) {
            return null;
        }
        try {
            SocketAddress peer = channel.getRemoteAddress();
            return peer == null ? null : path(peer);
        } catch (IOException e) {
            return null;
        }
    }

    /** The JDK's address as the API's path: "" for an unnamed socket. */
    private static String path(@Nullable SocketAddress address) {
        return address instanceof UnixDomainSocketAddress unix ? unix.getPath().toString() : "";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("socket is closed: " + this);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Fails the calls waiting on the socket, closes its channels and removes its own socket file if asked to. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        accepting.failWaiter();
        fail(connecting);
        connecting = null;
        sockets.forget(this);
        closeChannels();
    }

    void closeChannels() {
        closed = true;
        SocketChannel early = accepting.takeKept();
        for (SelectableChannel c : new SelectableChannel[] {channel, server, early}) {
            if (c != null) {
                loop.channels().forget(c);
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closed all the same
                }
            }
        }
        SocketFileCleanup c = cleanup;
        cleanup = null;
        if (c != null) {
            c.run();
        }
    }

    private static void fail(@Nullable AsyncFuture<?> pending) {
        if (pending != null && !pending.done()) {
            pending.setException(new SocketException("Socket closed"));
        }
    }

    @Override
    public String toString() {
        return "ProactorUnixSocket[" + (server != null ? server : channel) + (closed ? ", closed" : "") + "]";
    }
}
