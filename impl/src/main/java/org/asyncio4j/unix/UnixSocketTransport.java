package org.asyncio4j.unix;

import java.util.Arrays;
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
 * socket while nothing is buffered, the rest waits in the buffer for a writer on the epoll. Closing, half-closing
 * and flow control are {@link SocketTransport}'s.
 */
final class UnixSocketTransport extends SocketTransport {
    private final SelectorEventLoop selector;
    private final UnixSockets sockets;
    private final Posix posix = Posix.get();

    UnixSocketTransport(SelectorEventLoop loop, UnixSockets sockets, UnixSocket socket, Protocol protocol,
            @Nullable BaseServer server) {
        super(loop, socket.fd, socket, protocol, server);
        this.selector = loop;
        this.sockets = sockets;
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
        byte[] scratch = sockets.scratch;
        int n;
        try {
            n = posix.recv(fd, scratch, 0, scratch.length);
        } catch (PosixException e) {
            fatalError(SocketErrors.of(e), "Fatal read error on socket transport");
            return;
        }
        if (n > 0) {
            dataFromPeer(Arrays.copyOf(scratch, n));
        } else if (n == 0) {
            endOfStreamFromPeer();
        }
        // n < 0: EAGAIN, a spurious wake-up
    }

    @Override
    protected void sendOrBuffer(byte[] data) {
        int off = 0;
        if (buffer.isEmpty()) {
            try {
                int n;
                while (off < data.length && (n = posix.send(fd, data, off, data.length - off)) >= 0) {
                    off += n;
                }
            } catch (PosixException e) {
                countLostWrite();
                fatalError(SocketErrors.of(e), "Fatal write error on socket transport");
                return;
            }
            if (off == data.length) {
                return;
            }
            selector.addWriter(fd, this::writeReady);
        }
        buffer.append(data, off, data.length - off);
        maybePauseProtocol();
    }

    private void writeReady() {
        try {
            int n;
            while (!buffer.isEmpty()
                    && (n = posix.send(fd, buffer.head(), buffer.headOffset(),
                            buffer.head().length - buffer.headOffset())) >= 0) {
                buffer.consume(n);
            }
        } catch (PosixException e) {
            stopWriting();
            buffer.clear();
            countLostWrite();
            fatalError(SocketErrors.of(e), "Fatal write error on socket transport");
            return;
        }
        if (buffer.isEmpty()) {
            stopWriting();
            bufferFlushed();
        } else {
            maybeResumeProtocol();
        }
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
