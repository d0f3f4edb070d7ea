package org.asyncio4j.proactor;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.internal.posix.SocketErrors;
import org.jspecify.annotations.Nullable;

/**
 * A socket of the proactor loop: an {@link AsynchronousSocketChannel} of the loop's channel group, replaced by an
 * {@link AsynchronousServerSocketChannel} on the same address when it starts listening (NIO.2 has two kinds of
 * channel where the OS has one kind of socket).
 *
 * <p>NIO.2 cannot cancel a pending read or accept without closing the channel, so a cancelled {@code sockRecv}
 * or {@code sockAccept} leaves its operation running: what it brings is kept ({@link #leftover},
 * {@link #accepting}) for the next call, so that cancelling loses nothing.
 */
final class ProactorSocket implements LoopSocket {
    final ProactorEventLoop loop;
    private final ProactorSockets sockets;
    @Nullable AsynchronousSocketChannel channel;
    @Nullable AsynchronousServerSocketChannel server;
    private boolean closed;

    // receiving, for sockRecv
    @Nullable AsyncFuture<byte[]> recvWaiter;
    int recvLimit;
    boolean readInFlight;
    byte @Nullable [] leftover;
    boolean endOfStream;
    @Nullable IOException readError;

    // accepting, for sockAccept
    final AcceptHandoff<AsynchronousSocketChannel> accepting;

    /** The sockSendall or sockConnect in progress, or null. */
    @Nullable AsyncFuture<?> writing;
    /** The transport that owns this socket, or null. */
    @Nullable Object owner;

    ProactorSocket(ProactorEventLoop loop, ProactorSockets sockets, AsynchronousSocketChannel channel) {
        this.loop = loop;
        this.sockets = sockets;
        this.channel = channel;
        this.accepting = new AcceptHandoff<>(c -> new ProactorSocket(loop, sockets, c));
    }

    ProactorSocket(ProactorEventLoop loop, ProactorSockets sockets, AsynchronousServerSocketChannel server) {
        this.loop = loop;
        this.sockets = sockets;
        this.server = server;
        this.accepting = new AcceptHandoff<>(c -> new ProactorSocket(loop, sockets, c));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("socket is closed: " + this);
        }
    }

    @Override
    public void bind(InetSocketAddress address) throws IOException {
        checkOpen();
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        if (channel == null) {
            throw new IllegalStateException("socket is listening: " + this);
        }
        try {
            channel.bind(address);
        } catch (IOException e) {
            throw SocketErrors.fromChannel("bind", e, address.toString());
        }
    }

    @Override
    public void listen(int backlog) throws IOException {
        checkOpen();
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0: " + backlog);
        }
        if (server != null) {
            return;
        }
        InetSocketAddress local = localAddress();
        channel.close();
        channel = null;
        AsynchronousServerSocketChannel listening = AsynchronousServerSocketChannel.open(loop.channelGroup());
        try {
            listening.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listening.bind(local, backlog);
        } catch (IOException e) {
            listening.close();
            closed = true;
            throw SocketErrors.fromChannel("listen", e, local.toString());
        }
        server = listening;
    }

    @Override
    public InetSocketAddress localAddress() {
        checkOpen();
        try {
            return (InetSocketAddress) (channel != null ? channel.getLocalAddress() : server.getLocalAddress());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the address of " + this + ": " + e.getMessage());
        }
    }

    @Override
    public @Nullable InetSocketAddress remoteAddress() {
        if (closed || channel == null) {
            return null;
        }
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Fails the calls waiting on the socket and closes its channel (which ends its pending operations). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fail(recvWaiter);
        accepting.failWaiter();
        fail(writing);
        recvWaiter = null;
        writing = null;
        sockets.forget(this);
        closeChannels();
    }

    void closeChannels() {
        closed = true;
        AsynchronousSocketChannel early = accepting.takeKept();
        for (Closeable c : new Closeable[] {channel, server, early}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closed all the same
                }
            }
        }
    }

    private static void fail(@Nullable AsyncFuture<?> pending) {
        if (pending != null && !pending.done()) {
            pending.setException(new SocketException("Socket closed"));
        }
    }

    @Override
    public String toString() {
        return "ProactorSocket[" + (server != null ? server : channel) + (closed ? ", closed" : "") + "]";
    }
}
