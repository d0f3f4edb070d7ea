package org.asyncio4j.internal.posix;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Where a failed system call crosses into public API: the internal {@link PosixException} becomes a public
 * exception whose message keeps the call, the errno name and its text, and which does not carry the
 * internal type as its cause (no {@code org.asyncio4j.internal} type escapes, issue 8).
 */
public final class SystemErrors {
    private SystemErrors() {}

    /** {@code "<what>: <call> failed: EMFILE (Too many open files)"} as an {@link IllegalStateException}. */
    public static IllegalStateException illegalState(String what, PosixException e) {
        return new IllegalStateException(what + ": " + e.getMessage());
    }

    /** The same, as an {@link IllegalArgumentException}, for a failure caused by an argument. */
    public static IllegalArgumentException illegalArgument(String what, PosixException e) {
        return new IllegalArgumentException(what + ": " + e.getMessage());
    }

    /**
     * A failed spawn as the {@link IOException} {@code ProcessBuilder} would throw: {@link FileNotFoundException}
     * for ENOENT, naming the program, the call and the errno.
     */
    public static IOException spawnFailure(String program, PosixException e) {
        String message = "Cannot run program \"" + program + "\": " + e.getMessage();
        return e.errno() == PosixException.ENOENT ? new FileNotFoundException(message) : new IOException(message);
    }

    /** Closes {@code fd}, ignoring failure: the descriptor is released whatever close(2) says (Linux). */
    public static void closeQuietly(Posix posix, int fd) {
        try {
            posix.close(fd);
        } catch (PosixException ignored) {
            // nothing useful to do
        }
    }
}
