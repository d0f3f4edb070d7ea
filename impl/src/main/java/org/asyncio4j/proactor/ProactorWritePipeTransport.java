package org.asyncio4j.proactor;

import java.io.IOException;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.base.WritePipeTransport;
import org.jspecify.annotations.Nullable;

/**
 * The proactor's write pipe transport, CPython's {@code _ProactorBaseWritePipeTransport}: one write operation
 * in flight at a time, completed by the {@link PipePump}; what is written meanwhile is buffered and sent as
 * the next operation. The buffer size counts the bytes in flight. The pump reports the read end closing (an
 * error on the write end with no write pending): the protocol then gets {@code connectionLost(null)}.
 */
final class ProactorWritePipeTransport extends WritePipeTransport {
    private final PipePump pump;
    private int inFlight;
    private boolean forced;

    ProactorWritePipeTransport(ProactorEventLoop loop, PipePump pump, int fd, BaseProtocol protocol) {
        super(loop, fd, protocol);
        this.pump = pump;
    }

    @Override
    protected void startIo() {
        pump.watchPeerClose(fd, this::readEndClosed);
    }

    @Override
    protected void send(byte[] data) {
        if (inFlight == 0) {
            issue(data.clone());
        } else {
            buffer.append(data, 0, data.length);
        }
        maybePauseProtocol();
    }

    private void issue(byte[] data) {
        inFlight = data.length;
        pump.write(fd, data, this::writeDone);
    }

    private void writeDone(IOException error) {
        inFlight = 0;
        if (forced || isConnectionLost()) {
            return;
        }
        if (error != null) {
            buffer.clear();
            countLostWrite();
            fatalError(error, "Fatal write error on pipe transport");
            return;
        }
        if (!buffer.isEmpty()) {
            issue(buffer.takeAll());
        }
        maybeResumeProtocol(); // may write more
        if (inFlight == 0 && isClosing()) {
            callConnectionLost(null);
        }
    }

    private void readEndClosed() {
        if (forced || isConnectionLost()) {
            return;
        }
        forceClose(getWriteBufferSize() == 0 ? null
                : new IOException("Broken pipe: the read end of fd " + fd + " closed"));
    }

    @Override
    public int getWriteBufferSize() {
        return inFlight + buffer.size();
    }

    @Override
    public void writeEof() {
        if (isClosing()) {
            return;
        }
        markClosing();
        if (getWriteBufferSize() == 0) {
            scheduleConnectionLost(null);
        }
    }

    @Override
    protected void forceClose(@Nullable Throwable exc) {
        forced = true;
        markClosing();
        buffer.clear();
        inFlight = 0; // its completion is dropped
        scheduleConnectionLost(exc);
    }

    @Override
    protected void releaseDescriptor() {
        pump.close(fd);
    }
}
