package org.asyncio4j.unix;

import org.asyncio4j.internal.posix.PosixException;

/**
 * A read or write on a non-blocking descriptor through the libc seam ({@code read}/{@code write} for pipes,
 * {@code recv}/{@code send} for sockets): the byte count, or a negative number if the call would block.
 */
@FunctionalInterface
interface FdSyscall {
    /**
     * Transfers at most {@code len} bytes between {@code fd} and {@code buf[off, off+len)}.
     *
     * @param fd the descriptor
     * @param buf the bytes to write, or the array to read into
     * @param off the index of the first byte
     * @param len the most bytes to transfer
     * @return the bytes transferred (0 at a read's end of file), or negative if the call would block
     * @throws PosixException naming the errno of any other failure
     */
    int transfer(int fd, byte[] buf, int off, int len);
}
