package org.asyncio4j.unix;

import java.io.IOException;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.base.WritePipeTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.jspecify.annotations.Nullable;

/**
 * The selector loop's write pipe transport, CPython's {@code _UnixWritePipeTransport}: writes go straight to
 * the descriptor while nothing is buffered; the rest waits in the buffer for a writer on the epoll. A reader
 * on the same descriptor notices the read end closing (epoll reports an error on the write end): the protocol
 * then gets {@code connectionLost(null)}, or an {@link IOException} "Broken pipe" if data was still buffered.
 */
final class UnixWritePipeTransport extends WritePipeTransport {
    private final SelectorEventLoop selector;
    private final Posix posix = Posix.get();

    UnixWritePipeTransport(SelectorEventLoop loop, int fd, BaseProtocol protocol) {
        super(loop, fd, protocol);
        this.selector = loop;
    }

    @Override
    protected void startIo() {
        selector.addReader(fd, this::readEndClosed);
    }

    @Override
    protected void send(byte[] data) {
        int off = 0;
        if (buffer.isEmpty()) {
            try {
                int n;
                while (off < data.length && (n = posix.write(fd, data, off, data.length - off)) >= 0) {
                    off += n;
                }
            } catch (PosixException e) {
                countLostWrite();
                fatalError(new IOException(e.getMessage()), "Fatal write error on pipe transport");
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
                    && (n = posix.write(fd, buffer.head(), buffer.headOffset(),
                            buffer.head().length - buffer.headOffset())) >= 0) {
                buffer.consume(n);
            }
        } catch (PosixException e) {
            buffer.clear();
            countLostWrite();
            selector.removeWriter(fd);
            fatalError(new IOException(e.getMessage()), "Fatal write error on pipe transport");
            return;
        }
        if (buffer.isEmpty()) {
            selector.removeWriter(fd);
        }
        maybeResumeProtocol(); // may write more
        if (buffer.isEmpty() && isClosing()) {
            selector.removeReader(fd);
            callConnectionLost(null);
        }
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
