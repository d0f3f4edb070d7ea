package org.asyncio4j.unix;

import java.io.IOException;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.base.WritePipeTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.jspecify.annotations.Nullable;

/**
 * The selector loop's write pipe transport, CPython's {@code _UnixWritePipeTransport}: writes go straight to the
 * descriptor while nothing is buffered; the rest waits in the buffer for a writer on the epoll (the
 * {@link FdWriter} the socket transport uses too). A reader on the same descriptor notices the read end closing
 * (epoll reports an error on the write end): the protocol then gets {@code connectionLost(null)}, or an
 * {@link IOException} "Broken pipe" if data was still buffered.
 */
final class UnixWritePipeTransport extends WritePipeTransport {
    private final SelectorEventLoop selector;
    private final FdWriter writer;

    UnixWritePipeTransport(SelectorEventLoop loop, int fd, BaseProtocol protocol) {
        super(loop, fd, protocol);
        this.selector = loop;
        this.writer = new FdWriter(loop, fd, Posix.get()::write, buffer, this::writeFailed, this::flushed);
    }

    @Override
    protected void startIo() {
        selector.addReader(fd, this::readEndClosed);
    }

    @Override
    protected void send(byte[] data) {
        if (writer.write(data)) {
            maybePauseProtocol();
        }
    }

    /** After a flush on writability: resumes the protocol, then finishes a close once the buffer is empty. */
    private void flushed() {
        maybeResumeProtocol(); // may write more
        if (buffer.isEmpty() && isClosing()) {
            selector.removeReader(fd);
            callConnectionLost(null);
        }
    }

    private void writeFailed(PosixException e) {
        countLostWrite();
        fatalError(new IOException(e.getMessage()), "Fatal write error on pipe transport");
    }

    /** Readiness on the write end of a pipe means its read end closed. */
    private void readEndClosed() {
        forceClose(buffer.isEmpty() ? null : new IOException("Broken pipe: the read end of fd " + fd + " closed"));
    }

    @Override
    public int getWriteBufferSize() {
        return buffer.size();
    }

    @Override
    public void writeEof() {
        if (isClosing()) {
            return;
        }
        markClosing();
        if (buffer.isEmpty()) {
            selector.removeReader(fd);
            scheduleConnectionLost(null);
        }
    }

    @Override
    protected void forceClose(@Nullable Throwable exc) {
        markClosing();
        if (!buffer.isEmpty()) {
            selector.removeWriter(fd);
            buffer.clear();
        }
        selector.removeReader(fd);
        scheduleConnectionLost(exc);
    }

    @Override
    protected void releaseDescriptor() {
        selector.removeWriter(fd);
        selector.removeReader(fd);
        selector.releasePipe(fd);
    }
}
