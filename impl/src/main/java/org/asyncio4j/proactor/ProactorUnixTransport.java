package org.asyncio4j.proactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.Protocol;
import org.asyncio4j.base.BaseServer;
import org.asyncio4j.base.SocketTransport;
import org.asyncio4j.internal.posix.SocketErrors;
import org.jspecify.annotations.Nullable;

/**
 * The proactor loop's Unix-domain socket transport, with {@link ProactorSocketTransport}'s contract on a
 * non-blocking {@link SocketChannel}: one read in flight on the loop's {@link ChannelPump} while reading (at most
 * 64 KiB), bytes sent from the loop thread at once and the rest buffered until the pump reports the socket
 * writable. A read in flight is not taken back, so pausing keeps what it brings until {@code resumeReading}, as
 * the TCP transport does. Closing, half-closing and flow control are {@link SocketTransport}'s.
 */
final class ProactorUnixTransport extends SocketTransport {
    private final ChannelPump pump;
    private final SocketChannel channel;
    private boolean wantReading;
    private boolean readInFlight;
    private boolean awaitingWritable;
    /** What reads brought while paused. */
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private boolean heldEnd;

    ProactorUnixTransport(ProactorEventLoop loop, ProactorUnixSocket socket, Protocol protocol,
            @Nullable BaseServer server) {
        super(loop, -1, socket, protocol, server);
        this.pump = loop.channels();
        this.channel = socket.channel;
    }

    /** Schedules {@code connectionMade}, then reading, then the completion of {@code waiter} with {@code value}. */
    <R> void begin(AsyncFuture<R> waiter, R value) {
        startConnection(waiter, value);
    }

    @Override
    protected void startReading() {
        wantReading = true;
        while (wantReading && !isConnectionLost() && !held.isEmpty()) {
            dataFromPeer(held.poll());
        }
        if (wantReading && heldEnd) {
            heldEnd = false;
            endOfStreamFromPeer();
            return;
        }
        if (wantReading && !readInFlight && !isClosing()) {
            readNext();
        }
    }

    @Override
    protected void stopReading() {
        wantReading = false;
    }

    private void readNext() {
        readInFlight = true;
        pump.read(channel, (data, error) -> {
            readInFlight = false;
            if (isClosing() || isConnectionLost() || error instanceof ClosedChannelException) {
                return; // the data of a closing transport is dropped, as CPython's
            }
            if (error != null) {
                fatalError(SocketErrors.fromChannel("recv", error, toString()), "Fatal read error on socket transport");
                return;
            }
            if (!wantReading) {
                if (data == null) {
                    heldEnd = true;
                } else {
                    held.add(data);
                }
                return;
            }
            if (data == null) {
                endOfStreamFromPeer();
                return;
            }
            dataFromPeer(data);
            if (wantReading && !readInFlight && !isClosing()) {
                readNext();
            }
        });
    }

    @Override
    protected void sendOrBuffer(byte[] data) {
        int off = 0;
        if (buffer.isEmpty()) {
            try {
                off = channel.write(ByteBuffer.wrap(data));
            } catch (IOException e) {
                countLostWrite();
                fatalError(SocketErrors.fromChannel("send", e, toString()), "Fatal write error on socket transport");
                return;
            }
            if (off == data.length) {
                return;
            }
            awaitWritable();
        }
        buffer.append(data, off, data.length - off);
        maybePauseProtocol();
    }

    private void awaitWritable() {
        if (!awaitingWritable) {
            awaitingWritable = true;
            pump.whenWritable(channel, this::writable);
        }
    }

    private void writable() {
        awaitingWritable = false;
        if (isConnectionLost() || buffer.isEmpty()) {
            return; // aborted meanwhile: the buffer was dropped
        }
        try {
            int n;
            while (!buffer.isEmpty() && (n = channel.write(ByteBuffer.wrap(buffer.head(), buffer.headOffset(),
                    buffer.head().length - buffer.headOffset()))) > 0) {
                buffer.consume(n);
            }
        } catch (IOException e) {
            buffer.clear();
            countLostWrite();
            fatalError(SocketErrors.fromChannel("send", e, toString()), "Fatal write error on socket transport");
            return;
        }
        if (buffer.isEmpty()) {
            bufferFlushed();
        } else {
            awaitWritable();
            maybeResumeProtocol();
        }
    }

    @Override
    protected void stopWriting() {
        // a writability report still to come finds the buffer dropped
    }

    @Override
    protected void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fatalError(SocketErrors.fromChannel("shutdown", e, toString()), "Fatal error on socket transport");
        }
    }
}
