package org.asyncio4j.unix;

import java.util.Arrays;
import java.util.function.Consumer;
import org.asyncio4j.internal.posix.PosixException;

/**
 * The selector loop's read path on a non-blocking descriptor, shared by its pipe and socket transports
 * (CPython's {@code _read_ready}): one read per readiness into a scratch array, then the chunk, the end of
 * file or the failure to the transport. A read that would block (a spurious wake-up) does nothing.
 */
final class FdReader {
    private final int fd;
    private final FdSyscall read;
    private final byte[] scratch;
    private final Consumer<byte[]> data;
    private final Runnable endOfFile;
    private final Consumer<PosixException> failure;

    /**
     * A reader for {@code fd}.
     *
     * @param fd the descriptor, non-blocking
     * @param read the call that reads from it
     * @param scratch the array read into; its length is the most read per readiness
     * @param data takes each chunk read, a fresh array
     * @param endOfFile called when the read returns 0
     * @param failure takes the error of a failed read
     */
    FdReader(int fd, FdSyscall read, byte[] scratch, Consumer<byte[]> data, Runnable endOfFile,
            Consumer<PosixException> failure) {
        this.fd = fd;
        this.read = read;
        this.scratch = scratch;
        this.data = data;
        this.endOfFile = endOfFile;
        this.failure = failure;
    }

    /** The descriptor is readable: reads once and hands on what came. */
    void readReady() {
        int n;
        try {
            n = read.transfer(fd, scratch, 0, scratch.length);
        } catch (PosixException e) {
            failure.accept(e);
            return;
        }
        if (n > 0) {
            data.accept(Arrays.copyOf(scratch, n));
        } else if (n == 0) {
            endOfFile.run();
        }
        // n < 0: EAGAIN, a spurious wake-up
    }
}
