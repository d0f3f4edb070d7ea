package org.asyncio4j.unix;

import java.io.IOException;
import java.util.Arrays;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.base.PipeTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.jspecify.annotations.Nullable;

/**
 * The selector loop's read pipe transport, CPython's {@code _UnixReadPipeTransport}: a reader on the epoll
 * that reads once per readiness (at most {@link #MAX_SIZE} bytes) and hands the chunk to the protocol; end of
 * file calls {@code eofReceived} then {@code connectionLost(null)}. Pausing removes the reader.
 */
final class UnixReadPipeTransport extends PipeTransport implements ReadTransport {
    /** Bytes read per readiness: the libc seam's chunk (CPython reads up to 256 KiB). */
    static final int MAX_SIZE = 64 * 1024;

    private final SelectorEventLoop selector;
    private final Posix posix = Posix.get();
    private final byte[] scratch = new byte[MAX_SIZE];
    private boolean paused;

    UnixReadPipeTransport(SelectorEventLoop loop, int fd, Protocol protocol) {
        super(loop, fd, protocol);
        this.selector = loop;
        posix.setNonBlocking(fd, true);
        loop.adoptPipe(fd);
    }

    <R> void start(AsyncFuture<R> waiter, R value) {
        start(waiter, value, () -> selector.addReader(fd, this::readReady));
    }

    private void readReady() {
        int n;
        try {
            n = posix.read(fd, scratch, 0, MAX_SIZE);
        } catch (PosixException e) {
            fatalError(new IOException(e.getMessage()), "Fatal read error on pipe transport");
            return;
        }
        if (n > 0) {
            ((Protocol) getProtocol()).dataReceived(Arrays.copyOf(scratch, n));
        } else if (n == 0) {
            markClosing();
            selector.removeReader(fd);
            loop.callSoon(() -> ((Protocol) getProtocol()).eofReceived());
            scheduleConnectionLost(null);
        }
        // n < 0: EAGAIN, a spurious wake-up
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
        selector.removeReader(fd);
    }

    @Override
    public void resumeReading() {
        if (isClosing() || !paused) {
            return;
        }
        paused = false;
        selector.addReader(fd, this::readReady);
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
        selector.removeReader(fd);
        scheduleConnectionLost(exc);
    }

    @Override
    protected void releaseDescriptor() {
        selector.removeReader(fd);
        selector.releasePipe(fd);
    }
}
