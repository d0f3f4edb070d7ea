package org.asyncio4j.unix;

import java.util.function.Consumer;
import org.asyncio4j.base.WriteBuffer;
import org.asyncio4j.internal.posix.PosixException;

/**
 * The selector loop's write path on a non-blocking descriptor, shared by its pipe and socket transports
 * (CPython's {@code write} and {@code _write_ready} of {@code _UnixWritePipeTransport} and
 * {@code _SelectorSocketTransport}): while nothing is buffered, data goes straight to the descriptor; what the
 * kernel does not take waits in the transport's buffer, with a writer on the epoll that flushes it and is
 * removed once the buffer is empty. A failed write drops the buffer and goes to the transport, which closes;
 * what a flush means for the protocol (resuming it, finishing a close) is the transport's too.
 */
final class FdWriter {
    private final SelectorEventLoop selector;
    private final int fd;
    private final FdSyscall write;
    private final WriteBuffer buffer;
    private final Consumer<PosixException> failed;
    private final Runnable flushed;

    /**
     * A writer for {@code fd}.
     *
     * @param selector the loop whose epoll watches {@code fd}
     * @param fd the descriptor, non-blocking
     * @param write the call that writes to it
     * @param buffer the transport's buffer
     * @param failed takes the error of a failed write (the buffer is empty by then)
     * @param flushed called after each flush on writability that did not fail, the buffer emptied or not
     */
    FdWriter(SelectorEventLoop selector, int fd, FdSyscall write, WriteBuffer buffer,
            Consumer<PosixException> failed, Runnable flushed) {
        this.selector = selector;
        this.fd = fd;
        this.write = write;
        this.buffer = buffer;
        this.failed = failed;
        this.flushed = flushed;
    }

    /**
     * Writes {@code data} at once as far as the kernel takes it if nothing is buffered, and buffers the rest
     * (starting the writer); buffers it all behind what is already buffered.
     *
     * @param data the bytes, not empty, still the caller's (what is buffered is copied)
     * @return true if some of {@code data} was buffered; false if all was written, or the write failed
     */
    boolean write(byte[] data) {
        int off = 0;
        if (buffer.isEmpty()) {
            try {
                int n;
                while (off < data.length && (n = write.transfer(fd, data, off, data.length - off)) >= 0) {
                    off += n;
                }
            } catch (PosixException e) {
                failed.accept(e);
                return false;
            }
            if (off == data.length) {
                return false;
            }
            selector.addWriter(fd, this::writeReady);
        }
        buffer.append(data, off, data.length - off);
        return true;
    }

    /** The descriptor is writable: writes buffered bytes until the buffer is empty or the kernel would block. */
    private void writeReady() {
        try {
            int n;
            while (!buffer.isEmpty()
                    && (n = write.transfer(fd, buffer.head(), buffer.headOffset(),
                            buffer.head().length - buffer.headOffset())) >= 0) {
                buffer.consume(n);
            }
        } catch (PosixException e) {
            selector.removeWriter(fd);
            buffer.clear();
            failed.accept(e);
            return;
        }
        if (buffer.isEmpty()) {
            selector.removeWriter(fd);
        }
        flushed.run();
    }
}
