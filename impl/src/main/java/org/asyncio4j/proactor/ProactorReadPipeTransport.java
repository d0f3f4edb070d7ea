package org.asyncio4j.proactor;

import java.io.IOException;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.base.PipeTransport;
import org.jspecify.annotations.Nullable;

/**
 * The proactor's read pipe transport, CPython's {@code _ProactorReadPipeTransport}: one read operation at a
 * time, started by the loop and completed by the {@link PipePump}; each completion hands the chunk to the
 * protocol and starts the next read. Pausing starts no new read; a chunk that completes while paused is kept
 * and delivered on resume, as CPython keeps its {@code _pending_data}.
 */
final class ProactorReadPipeTransport extends PipeTransport implements ReadTransport {
    private final PipePump pump;
    private boolean paused;
    private boolean readPending;
    private boolean held;          // a completion arrived while paused
    private byte[] heldData;       // its data, null for end of file
    private IOException heldError;

    ProactorReadPipeTransport(ProactorEventLoop loop, PipePump pump, int fd, Protocol protocol) {
        super(loop, fd, protocol);
        this.pump = pump;
    }

    <R> void start(AsyncFuture<R> waiter, R value) {
        start(waiter, value, this::loopReading);
    }

    private void loopReading() {
        if (isClosing() || paused || readPending) {
            return;
        }
        readPending = true;
        pump.read(fd, this::readDone);
    }

    private void readDone(byte[] data, IOException error) {
        readPending = false;
        if (isClosing()) {
            return; // closed while the read was in flight: its outcome is dropped
        }
        if (paused) {
            held = true;
            heldData = data;
            heldError = error;
            return;
        }
        deliver(data, error);
    }

    private void deliver(byte[] data, IOException error) {
        if (error != null) {
            fatalError(error, "Fatal read error on pipe transport");
        } else if (data == null) {
            markClosing();
            loop.callSoon(() -> ((Protocol) getProtocol()).eofReceived());
            scheduleConnectionLost(null);
        } else {
            try {
                ((Protocol) getProtocol()).dataReceived(data);
            } finally {
                loopReading(); // an exception from the protocol goes to the handler; reading goes on
            }
        }
    }

    @Override
    public boolean isReading() {
        return !paused && !isClosing();
    }

    @Override
    public void pauseReading() {
        if (!isReading()) {
            return;
        }
        paused = true;
    }

    @Override
    public void resumeReading() {
        if (isClosing() || !paused) {
            return;
        }
        paused = false;
        if (held) {
            held = false;
            byte[] data = heldData;
            IOException error = heldError;
            heldData = null;
            heldError = null;
            loop.callSoon(() -> {
                if (isClosing()) {
                    return;
                }
                if (paused) { // paused again before the held chunk went out: hold it again
                    held = true;
                    heldData = data;
                    heldError = error;
                } else {
                    deliver(data, error);
                }
            });
        } else {
            loopReading();
        }
    }

    @Override
    public void close() {
        if (!isClosing()) {
            forceClose(null);
        }
    }

    @Override
    protected void forceClose(@Nullable Throwable exc) {
        markClosing();
        scheduleConnectionLost(exc);
    }

    @Override
    protected void releaseDescriptor() {
        pump.close(fd);
    }
}
