package org.asyncio4j.proactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.internal.posix.SocketErrors;
import org.jspecify.annotations.Nullable;

/**
 * A UDP socket of the proactor loop: a non-blocking {@link DatagramChannel} that the loop's {@link ChannelPump}
 * completes receives on. Made by {@code createDatagramEndpoint} and owned by its transport.
 */
final class ProactorDatagramSocket implements LoopSocket {
    /** An address family the JDK cannot make a UDP socket of: EOPNOTSUPP for {@link #listen}. */
    private static final int EOPNOTSUPP = 95;

    final ProactorEventLoop loop;
    final DatagramChannel channel;
    private final StandardProtocolFamily family;
    private final ChannelPump pump;
    private final ProactorSockets sockets;
    private boolean closed;

    ProactorDatagramSocket(ProactorEventLoop loop, ProactorSockets sockets, ChannelPump pump,
            DatagramChannel channel, StandardProtocolFamily family) {
        this.family = family;
        this.loop = loop;
        this.sockets = sockets;
        this.pump = pump;
        this.channel = channel;
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
        try {
            channel.bind(address);
        } catch (IOException e) {
            throw SocketErrors.fromChannel("bind", e, address.toString());
        }
    }

    @Override
    public void listen(int backlog) throws IOException {
        checkOpen();
        throw SocketErrors.of("listen", EOPNOTSUPP, toString());
    }

    @Override
    public InetSocketAddress localAddress() {
        checkOpen();
        try {
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            if (bound == null) { // not bound yet: getsockname's answer, the wildcard address and port 0
                return new InetSocketAddress(family == StandardProtocolFamily.INET6 ? "::" : "0.0.0.0", 0);
            }
            return bound;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the address of " + this + ": " + e.getMessage());
        }
    }

    @Override
    public @Nullable InetSocketAddress remoteAddress() {
        if (closed) {
            return null;
        }
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException closedMeanwhile) {
            return null;
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Closes the channel; the pump drops what was pending on it and its selector lets the descriptor go. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sockets.forget(this);
        closeChannel();
        pump.forget(channel);
    }

    /** Closes the channel of a socket whose loop is closing. */
    void closeChannel() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed all the same
        }
    }

    @Override
    public String toString() {
        return "ProactorDatagramSocket[" + channel + (closed ? ", closed" : "") + "]";
    }
}
