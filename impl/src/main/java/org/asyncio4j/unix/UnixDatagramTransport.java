package org.asyncio4j.unix;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.base.BaseDatagramTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.ReceivedDatagram;
import org.asyncio4j.internal.posix.SocketErrors;
import org.jspecify.annotations.Nullable;

/**
 * The selector loop's datagram transport, CPython's {@code _SelectorDatagramTransport}: a reader on the epoll
 * receives one datagram per readiness ({@code recvfrom}); a datagram is sent at once ({@code sendto}) while
 * nothing is buffered, else it waits in the buffer for a writer on the epoll. The rest is
 * {@link BaseDatagramTransport}'s.
 */
final class UnixDatagramTransport extends BaseDatagramTransport {
    private final SelectorEventLoop selector;
    private final UnixSocket socket;
    private final Posix posix = Posix.get();
    private boolean writerAdded;

    UnixDatagramTransport(SelectorEventLoop loop, UnixSocket socket, DatagramProtocol protocol,
            @Nullable InetSocketAddress address) {
        super(loop, socket.fd, socket, protocol, address);
        this.selector = loop;
        this.socket = socket;
    }

    /** Schedules {@code connectionMade}, then receiving, then the completion of {@code waiter} with {@code value}. */
    <R> void open(AsyncFuture<R> waiter, R value) {
        begin(waiter, value);
    }

    @Override
    protected boolean trySend(byte[] data, @Nullable InetSocketAddress to) throws IOException {
        try {
            return posix.sendto(fd, data, 0, data.length, to) >= 0;
        } catch (PosixException e) {
            throw SocketErrors.of(e);
        }
    }

    @Override
    protected void awaitWritable() {
        if (!writerAdded) {
            writerAdded = true;
            selector.addWriter(fd, this::writable);
        }
    }

    @Override
    protected void stopAwaitingWritable() {
        if (writerAdded) {
            writerAdded = false;
            selector.removeWriter(fd);
        }
    }

    @Override
    protected void startReceiving() {
        selector.addReader(fd, this::readReady);
    }

    @Override
    protected void stopReceiving() {
        selector.removeReader(fd);
    }

    private void readReady() {
        if (isConnectionLost()) {
            return;
        }
        ReceivedDatagram datagram;
        try {
            datagram = posix.recvfrom(fd);
        } catch (PosixException e) {
            errorReceived(SocketErrors.of(e));
            return;
        }
        if (datagram != null) {
            received(datagram.data(), datagram.sender());
        }
    }

    @Override
    protected void releaseDescriptor() {
        socket.close();
    }
}
