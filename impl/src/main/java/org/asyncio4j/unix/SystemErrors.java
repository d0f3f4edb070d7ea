package org.asyncio4j.unix;

import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;

/**
 * Where a failed system call crosses into public API: the internal {@link PosixException} becomes a public
 * exception whose message keeps the call, the errno name and its text, and which does not carry the
 * internal type as its cause (no {@code org.asyncio4j.internal} type escapes, issue 8).
 */
final class SystemErrors {
    private SystemErrors() {}

    /** {@code "<what>: <call> failed: EMFILE (Too many open files)"} as an {@link IllegalStateException}. */
    static IllegalStateException illegalState(String what, PosixException e) {
        return new IllegalStateException(what + ": " + e.getMessage());
    }

    /** The same, as an {@link IllegalArgumentException}, for a failure caused by an argument. */
    static IllegalArgumentException illegalArgument(String what, PosixException e) {
        return new IllegalArgumentException(what + ": " + e.getMessage());
    }

    /** Closes {@code fd}, ignoring failure: the descriptor is released whatever close(2) says (Linux). */
    static void closeQuietly(Posix posix, int fd) {
        try {
            posix.close(fd);
        } catch (PosixException ignored) {
            // nothing useful to do
        }
    }
}
