package org.asyncio4j.proactor;

import java.io.IOException;
import org.asyncio4j.Protocol;
import org.asyncio4j.base.ReadPipeTransport;

/**
 * The proactor's read pipe transport, CPython's {@code _ProactorReadPipeTransport}: one read operation at a
 * time, started by the loop and completed by the {@link PipePump}; each completion hands its outcome on and
 * starts the next read. An operation in flight cannot be taken back, so pausing only starts no new read; a
 * chunk that completes while paused is kept and delivered on resume, as CPython keeps its
 * {@code _pending_data}.
 */
final class ProactorReadPipeTransport extends ReadPipeTransport {
    private final PipePump pump;
    private boolean readPending;
    private boolean held;          // a completion arrived while paused
    private byte[] heldData;       // its data, null for end of file
    private IOException heldError;

    ProactorReadPipeTransport(ProactorEventLoop loop, PipePump pump, int fd, Protocol protocol) {
        super(loop, fd, protocol);
        this.pump = pump;
    }

    @Override
    protected void startReading() {
        if (held) {
            deliverHeldSoon();
        } else {
            loopReading();
        }
    }

    /** Nothing to withdraw: a read in flight completes, and its outcome is held or dropped. */
    @Override
    protected void stopReading() {
    }

    private void loopReading() {
        if (isClosing() || isPaused() || readPending) {
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
        if (isPaused()) {
            hold(data, error);
            return;
        }
        deliver(data, error);
    }

    private void hold(byte[] data, IOException error) {
        held = true;
        heldData = data;
        heldError = error;
    }

    private void deliverHeldSoon() {
        held = false;
        byte[] data = heldData;
        IOException error = heldError;
        heldData = null;
        heldError = null;
        loop.callSoon(() -> {
            if (isClosing()) {
                return;
            }
            if (isPaused()) { // paused again before the held chunk went out: hold it again
                hold(data, error);
            } else {
                deliver(data, error);
            }
        });
    }

    private void deliver(byte[] data, IOException error) {
        if (error != null) {
            readFailed(error);
        } else if (data == null) {
            endOfFile();
        } else {
            try {
                dataReceived(data);
            } finally {
                loopReading(); // an exception from the protocol goes to the handler; reading goes on
            }
        }
    }

    @Override
    protected void releaseDescriptor() {
        pump.close(fd);
    }
}
