package org.asyncio4j.unix;

import java.io.IOException;
import java.util.Arrays;
import org.asyncio4j.Protocol;
import org.asyncio4j.base.ReadPipeTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;

/**
 * The selector loop's read pipe transport, CPython's {@code _UnixReadPipeTransport}: a reader on the epoll
 * that reads once per readiness (at most {@link #MAX_SIZE} bytes) and hands the chunk on. Reading is driven
 * by readiness alone: pausing or closing removes the reader.
 */
final class UnixReadPipeTransport extends ReadPipeTransport {
    /** Bytes read per readiness: the libc seam's chunk (CPython reads up to 256 KiB). */
    static final int MAX_SIZE = 64 * 1024;

    private final SelectorEventLoop selector;
    private final Posix posix = Posix.get();
    private final byte[] scratch = new byte[MAX_SIZE];

    UnixReadPipeTransport(SelectorEventLoop loop, int fd, Protocol protocol) {
        super(loop, fd, protocol);
        this.selector = loop;
    }

    @Override
    protected void startReading() {
        selector.addReader(fd, this::readReady);
    }

    @Override
    protected void stopReading() {
        selector.removeReader(fd);
    }

    private void readReady() {
        int n;
        try {
            n = posix.read(fd, scratch, 0, MAX_SIZE);
        } catch (PosixException e) {
            readFailed(new IOException(e.getMessage()));
            return;
        }
        if (n > 0) {
            dataReceived(Arrays.copyOf(scratch, n));
        } else if (n == 0) {
            endOfFile();
        }
        // n < 0: EAGAIN, a spurious wake-up
    }

    @Override
    protected void releaseDescriptor() {
        selector.removeReader(fd);
        selector.releasePipe(fd);
    }
}
