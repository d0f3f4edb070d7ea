package org.asyncio4j.unix;

import java.io.IOException;
import org.asyncio4j.Protocol;
import org.asyncio4j.base.ReadPipeTransport;
import org.asyncio4j.internal.posix.Posix;

/**
 * The selector loop's read pipe transport, CPython's {@code _UnixReadPipeTransport}: a reader on the epoll that
 * reads once per readiness (at most {@link #MAX_SIZE} bytes) and hands the chunk on (the {@link FdReader} the
 * socket transport uses too). Reading is driven by readiness alone: pausing or closing removes the reader.
 */
final class UnixReadPipeTransport extends ReadPipeTransport {
    /** Bytes read per readiness: the libc seam's chunk (CPython reads up to 256 KiB). */
    static final int MAX_SIZE = 64 * 1024;

    private final SelectorEventLoop selector;
    private final FdReader reader;

    UnixReadPipeTransport(SelectorEventLoop loop, int fd, Protocol protocol) {
        super(loop, fd, protocol);
        this.selector = loop;
        this.reader = new FdReader(fd, Posix.get()::read, new byte[MAX_SIZE], this::dataReceived, this::endOfFile,
                e -> readFailed(new IOException(e.getMessage())));
    }

    @Override
    protected void startReading() {
        selector.addReader(fd, reader::readReady);
    }

    @Override
    protected void stopReading() {
        selector.removeReader(fd);
    }

    @Override
    protected void releaseDescriptor() {
        selector.removeReader(fd);
        selector.releasePipe(fd);
    }
}
