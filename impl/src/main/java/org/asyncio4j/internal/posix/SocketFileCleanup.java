package org.asyncio4j.internal.posix;

import java.io.IOException;
import org.asyncio4j.internal.Loggers;
import org.jspecify.annotations.Nullable;

/**
 * CPython 3.13's {@code cleanup_socket} for one listening Unix-domain socket of either loop: remembers the socket
 * file bound at a path and removes it when the socket closes, only if it is still that file (another server may
 * have replaced it since). Failures are logged, as CPython logs them.
 */
public final class SocketFileCleanup {
    private final String path;
    private @Nullable Object key;

    private SocketFileCleanup(String path, Object key) {
        this.path = path;
        this.key = key;
    }

    /**
     * {@return the cleanup of the socket file just bound at {@code path}, or null (logged) if it cannot be read}
     *
     * @param path a file-system path, not an abstract name
     */
    public static @Nullable SocketFileCleanup remember(String path) {
        try {
            Object key = UnixPaths.socketFileKey(path);
            return key == null ? null : new SocketFileCleanup(path, key);
        } catch (IOException e) {
            log(path, e);
            return null;
        }
    }

    /** Removes the socket file if it is still the one remembered; once only. */
    public void run() {
        Object k = key;
        key = null;
        if (k != null) {
            IOException error = UnixPaths.removeOwnSocket(path, k);
            if (error != null) {
                log(path, error);
            }
        }
    }

    private static void log(String path, IOException e) {
        Loggers.LOG.log(System.Logger.Level.ERROR, "Unable to clean up listening UNIX socket "
                + UnixPaths.display(path) + ": " + e);
    }
}
