package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * A real OS pipe whose one end the kit keeps and whose other end it hands to the loop under test
 * ({@code connectReadPipe}/{@code connectWritePipe}, which take the descriptor over). The kit's end is
 * blocking and driven from a thread of its own, so the loop sees a real peer. Made with jnr-posix, which the
 * kit already uses for its children; both descriptors are close-on-exec, so no child inherits them.
 */
final class OsPipe implements AutoCloseable {
    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    private static final int FD_CLOEXEC = 1;

    /** The read end: the loop's once handed over with {@link #giveReadEnd()}. */
    private int readFd;
    /** The write end: the loop's once handed over with {@link #giveWriteEnd()}. */
    private int writeFd;
    private Thread peer;

    OsPipe() {
        int[] fds = new int[2];
        if (POSIX.pipe(fds) != 0) {
            throw new IllegalStateException("pipe() failed, errno " + POSIX.errno());
        }
        readFd = fds[0];
        writeFd = fds[1];
        POSIX.fcntlInt(readFd, Fcntl.F_SETFD, FD_CLOEXEC);
        POSIX.fcntlInt(writeFd, Fcntl.F_SETFD, FD_CLOEXEC);
    }

    /** The read end, still the kit's. */
    int readEnd() {
        return readFd;
    }

    /** The write end, still the kit's. */
    int writeEnd() {
        return writeFd;
    }

    /** The read end, for {@code connectReadPipe}; the kit no longer closes it. */
    int giveReadEnd() {
        int fd = readFd;
        readFd = -1;
        return fd;
    }

    /** The write end, for {@code connectWritePipe}; the kit no longer closes it. */
    int giveWriteEnd() {
        int fd = writeFd;
        writeFd = -1;
        return fd;
    }

    /** Writes {@code chunks} to the kit's write end from a thread of its own, which then closes that end. */
    void writeInBackground(List<byte[]> chunks) {
        int fd = giveWriteEnd();
        startPeer("conformance-pipe-writer", () -> {
            for (byte[] chunk : chunks) {
                writeFully(fd, chunk);
            }
            POSIX.close(fd);
        });
    }

    /** Writes {@code data} to the kit's write end, blocking until the pipe took all of it. */
    void write(byte[] data) {
        writeFully(writeFd, data);
    }

    /**
     * Reads the kit's read end to end of file into {@code into} (lock it to look) from a thread of its own,
     * which then closes that end; {@link #awaitPeer()} waits for it.
     */
    void readInBackground(ByteArrayOutputStream into) {
        int fd = giveReadEnd();
        startPeer("conformance-pipe-reader", () -> {
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n = POSIX.read(fd, buffer, buffer.length);
                if (n <= 0) {
                    break; // end of file (or an error, which the comparison of the bytes then shows)
                }
                synchronized (into) {
                    into.write(buffer, 0, n);
                }
            }
            POSIX.close(fd);
        });
    }

    /** Waits (30 s safety net) for the peer thread started by a background call. */
    void awaitPeer() {
        if (peer != null) {
            LoopThread.join(peer, "the kit's end of the pipe to finish");
        }
    }

    /**
     * Whether the read end (handed to the loop) is closed: a non-blocking write of one byte to the kit's write
     * end meets EPIPE. While it is open, the byte waits in the pipe.
     */
    synchronized boolean readEndGone() {
        nonBlocking(writeFd);
        return POSIX.write(writeFd, new byte[] {'!'}, 1) < 0 && POSIX.errno() == Errno.EPIPE.intValue();
    }

    /**
     * Whether the write end (handed to the loop) is closed: a non-blocking read of the kit's read end, after what
     * waits in the pipe, meets end of file (while it is open, the read finds nothing and would block).
     */
    synchronized boolean writeEndGone() {
        nonBlocking(readFd);
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int n = POSIX.read(readFd, buffer, buffer.length);
            if (n <= 0) {
                return n == 0;
            }
        }
    }

    /** Whether {@code fd} is an open descriptor ({@code fcntl(F_GETFD)} succeeds). */
    static boolean isOpen(int fd) {
        return fd >= 0 && POSIX.fcntlInt(fd, Fcntl.F_GETFD, 0) != -1;
    }

    private static void nonBlocking(int fd) {
        int flags = POSIX.fcntlInt(fd, Fcntl.F_GETFL, 0);
        POSIX.fcntlInt(fd, Fcntl.F_SETFL, flags | OpenFlags.O_NONBLOCK.intValue());
    }

    /** Closes the kit's write end (the loop's read transport then sees end of file). */
    synchronized void closeWriteEnd() {
        if (writeFd >= 0) {
            POSIX.close(writeFd);
            writeFd = -1;
        }
    }

    /** Closes the kit's read end (the loop's write transport then sees EPIPE or the peer's close). */
    synchronized void closeReadEnd() {
        if (readFd >= 0) {
            POSIX.close(readFd);
            readFd = -1;
        }
    }

    private void startPeer(String name, Runnable body) {
        peer = new Thread(body, name);
        peer.setDaemon(true);
        peer.start();
    }

    private static void writeFully(int fd, byte[] data) {
        byte[] rest = data;
        while (rest.length > 0) {
            int n = POSIX.write(fd, rest, rest.length);
            if (n <= 0) {
                return; // the loop closed its end: what was not written is missing, and the check says so
            }
            rest = Arrays.copyOfRange(rest, n, rest.length);
        }
    }

    /**
     * Closes what the kit still holds. A peer thread closes its own end when it is done; it is a daemon that
     * ends at the latest when the loop closes the other end.
     */
    @Override
    public void close() {
        closeWriteEnd();
        closeReadEnd();
    }
}
