package org.asyncio4j.proactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.base.BaseDatagramTransport;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SocketErrors;
import org.jspecify.annotations.Nullable;

/**
 * The proactor loop's datagram transport, CPython's {@code _ProactorDatagramTransport}: one receive in flight on
 * the loop's {@link ChannelPump}, started again after each datagram reaches the protocol. A datagram is sent
 * from the loop thread at once (a non-blocking send takes the whole datagram or nothing); one the kernel does not
 * take waits in the buffer until the pump reports the socket writable. The rest is
 * {@link BaseDatagramTransport}'s.
 */
final class ProactorDatagramTransport extends BaseDatagramTransport {
    private final ProactorDatagramSocket socket;
    private final ChannelPump pump;
    private boolean receiving;
    private boolean awaitingWritable;

    ProactorDatagramTransport(ProactorEventLoop loop, ProactorDatagramSocket socket, ChannelPump pump,
            DatagramProtocol protocol, @Nullable InetSocketAddress address) {
        super(loop, -1, socket, protocol, address);
        this.socket = socket;
        this.pump = pump;
    }

    /** Schedules {@code connectionMade}, then receiving, then the completion of {@code waiter} with {@code value}. */
    <R> void open(AsyncFuture<R> waiter, R value) {
        begin(waiter, value);
    }

    @Override
    protected boolean trySend(byte[] data, @Nullable InetSocketAddress to) throws IOException {
        try {
            ByteBuffer datagram = ByteBuffer.wrap(data);
            return (to == null ? socket.channel.write(datagram) : socket.channel.send(datagram, to)) > 0;
        } catch (IOException e) {
            throw error("sendto", e);
        }
    }

    /** The JDK's exception as the selector loop names it: ICMP's port unreachable is ECONNREFUSED. */
    private IOException error(String call, IOException e) {
        if (e instanceof PortUnreachableException) {
            return SocketErrors.of(call, PosixException.ECONNREFUSED, String.valueOf(socket.remoteAddress()));
        }
        return SocketErrors.fromChannel(call, e, socket.toString());
    }

    @Override
    protected void awaitWritable() {
        if (!awaitingWritable) {
            awaitingWritable = true;
            pump.whenWritable(socket.channel, () -> {
                awaitingWritable = false;
                if (!isConnectionLost()) {
                    writable();
                }
            });
        }
    }

    @Override
    protected void stopAwaitingWritable() {
        // the pump's report, if one comes, finds an empty buffer and does nothing
    }

    @Override
    protected void startReceiving() {
        receiving = true;
        receiveNext();
    }

    private void receiveNext() {
        pump.receive(socket.channel, (data, sender, error) -> {
            if (!receiving || isConnectionLost()) {
                return;
            }
            if (error instanceof ClosedChannelException) {
                return; // closed under the transport: its connectionLost is on its way
            }
            if (error != null) {
                errorReceived(error("recvfrom", error));
            } else {
                received(data, sender);
            }
            if (receiving && !isConnectionLost()) {
                receiveNext();
            }
        });
    }

    @Override
    protected void stopReceiving() {
        receiving = false;
    }

    @Override
    protected void releaseDescriptor() {
        socket.close();
    }
}
