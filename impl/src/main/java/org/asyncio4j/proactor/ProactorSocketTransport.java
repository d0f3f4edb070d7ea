package org.asyncio4j.proactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.Protocol;
import org.asyncio4j.base.BaseServer;
import org.asyncio4j.base.SocketTransport;
import org.asyncio4j.internal.posix.SocketErrors;
import org.jspecify.annotations.Nullable;

/**
 * The proactor loop's socket transport, CPython's {@code _ProactorSocketTransport} on an
 * {@link AsynchronousSocketChannel}: one read in flight while reading (at most 64 KiB), one write in flight
 * while the buffer holds data. A read cannot be cancelled, so pausing lets the read in flight finish and keeps
 * what it brings until {@code resumeReading} (as CPython's proactor does). Closing, half-closing and flow control
 * are {@link SocketTransport}'s; the bytes of the write in flight count in the buffer until the OS took them.
 */
final class ProactorSocketTransport extends SocketTransport {
    private final ProactorEventLoop proactor;
    private final AsynchronousSocketChannel channel;
    private boolean wantReading;
    private boolean readInFlight;
    private boolean writeInFlight;
    /** What reads brought while paused, and null for an end of stream among it. */
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private boolean heldEnd;

    ProactorSocketTransport(ProactorEventLoop loop, ProactorSocket socket, Protocol protocol,
            @Nullable BaseServer server) {
        super(loop, -1, socket, protocol, server);
        this.proactor = loop;
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
        ByteBuffer buffer = ByteBuffer.allocate(ProactorSockets.MAX_SIZE);
        readInFlight = true;
        proactor.read(channel, buffer).addDoneCallback(r -> {
            readInFlight = false;
            if (isClosing() || isConnectionLost()) {
                retrieve(r);
                return; // the data of a closing transport is dropped, as CPython's
            }
            if (r.exception() != null) {
                fatalError(SocketErrors.fromChannel("recv", r.exception(), toString()),
                        "Fatal read error on socket transport");
                return;
            }
            int n = r.result();
            if (!wantReading) {
                if (n < 0) {
                    heldEnd = true;
                } else {
                    held.add(Arrays.copyOf(buffer.array(), n));
                }
                return;
            }
            if (n < 0) {
                endOfStreamFromPeer();
                return;
            }
            dataFromPeer(Arrays.copyOf(buffer.array(), n));
            if (wantReading && !readInFlight && !isClosing()) {
                readNext();
            }
        });
    }

    @Override
    protected void sendOrBuffer(byte[] data) {
        buffer.append(data, 0, data.length);
        if (!writeInFlight) {
            writeNext();
        }
        maybePauseProtocol();
    }

    /**
     * Marks the outcome of an operation this transport no longer wants as seen: closing the channel fails
     * the operation in flight (AsynchronousCloseException), which is expected, not an error to log when the
     * future is collected ("exception was never retrieved").
     */
    private static void retrieve(AsyncFuture<?> operation) {
        if (!operation.cancelled()) {
            operation.exception();
        }
    }

    private void writeNext() {
        byte[] head = buffer.head();
        ByteBuffer src = ByteBuffer.wrap(head, buffer.headOffset(), head.length - buffer.headOffset());
        writeInFlight = true;
        proactor.write(channel, src).addDoneCallback(w -> {
            writeInFlight = false;
            if (isConnectionLost() || buffer.isEmpty()) {
                retrieve(w);
                return; // aborted meanwhile: the buffer was dropped
            }
            if (w.exception() != null) {
                buffer.clear();
                countLostWrite();
                fatalError(SocketErrors.fromChannel("send", w.exception(), toString()),
                        "Fatal write error on socket transport");
                return;
            }
            buffer.consume(w.result());
            if (buffer.isEmpty()) {
                bufferFlushed();
            } else {
                writeNext();
                maybeResumeProtocol();
            }
        });
    }

    @Override
    protected void stopWriting() {
        // a write in flight cannot be cancelled; its completion finds the buffer dropped
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
