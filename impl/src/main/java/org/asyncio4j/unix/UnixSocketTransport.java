package org.asyncio4j.unix;

import org.asyncio4j.AsyncFuture;
import org.asyncio4j.Protocol;
import org.asyncio4j.base.BaseServer;
import org.asyncio4j.base.SocketTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SocketErrors;
import org.jspecify.annotations.Nullable;

/**
 * The selector loop's socket transport, CPython's {@code _SelectorSocketTransport}: a reader on the epoll that
 * receives once per readiness (at most 64 KiB) and hands the chunk to the protocol; writes go straight to the
 * socket while nothing is buffered, the rest waits in the buffer for a writer on the epoll (the {@link FdReader}
 * and {@link FdWriter} the pipe transports use too). Closing, half-closing and flow control are
 * {@link SocketTransport}'s.
 */
final class UnixSocketTransport extends SocketTransport {
    private final SelectorEventLoop selector;
    private final Posix posix = Posix.get();
    private final FdReader reader;
    private final FdWriter writer;

    UnixSocketTransport(SelectorEventLoop loop, UnixSockets sockets, UnixSocket socket, Protocol protocol,
            @Nullable BaseServer server) {
        super(loop, socket.fd, socket, protocol, server);
        this.selector = loop;
        this.reader = new FdReader(fd, posix::recv, sockets.scratch, this::dataFromPeer, this::endOfStreamFromPeer,
                e -> fatalError(SocketErrors.of(e), "Fatal read error on socket transport"));
        this.writer = new FdWriter(loop, fd, posix::send, buffer, this::writeFailed, this::flushed);
    }

    /** Schedules {@code connectionMade}, then reading, then the completion of {@code waiter} with {@code value}. */
    <R> void begin(AsyncFuture<R> waiter, R value) {
        startConnection(waiter, value);
    }

    @Override
    protected void startReading() {
        selector.addReader(fd, this::readReady);
    }

    @Override
    protected void stopReading() {
        selector.removeReader(fd);
    }

    @Override
    protected void stopWriting() {
        selector.removeWriter(fd);
    }

    private void readReady() {
        if (isConnectionLost()) {
            return;
        }
        reader.readReady();
    }

    @Override
    protected void sendOrBuffer(byte[] data) {
        if (writer.write(data)) {
            maybePauseProtocol();
        }
    }

    /** After a flush on writability: finishes what waited for an empty buffer, else resumes the protocol. */
    private void flushed() {
        if (buffer.isEmpty()) {
            bufferFlushed();
        } else {
            maybeResumeProtocol();
        }
    }

    private void writeFailed(PosixException e) {
        countLostWrite();
        fatalError(SocketErrors.of(e), "Fatal write error on socket transport");
    }

    @Override
    protected void shutdownOutput() {
        try {
            posix.shutdown(fd, Posix.SHUT_WR);
        } catch (PosixException e) {
            fatalError(SocketErrors.of(e), "Fatal error on socket transport");
        }
    }
}
