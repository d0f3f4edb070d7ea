package org.asyncio4j.internal.posix;

import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;

/**
 * A failed socket call as the JDK's own socket exceptions, the public counterparts of CPython's OSError
 * subclasses: {@link ConnectException} for what CPython raises as ConnectionRefusedError or a timed-out or
 * unreachable connect, {@link BindException} for an address in use or not available, {@link SocketException}
 * for the rest. The message keeps the call, the errno name and its text, and the internal exception is not the
 * cause (see {@link SystemErrors}).
 */
public final class SocketErrors {
    private SocketErrors() {}

    /** {@code e} as a public exception: {@code "connect failed: ECONNREFUSED (Connection refused) (/127.0.0.1:9)"}. */
    public static SocketException of(PosixException e) {
        return switch (e.errno()) {
            case PosixException.ECONNREFUSED, PosixException.ETIMEDOUT, PosixException.ENETUNREACH,
                    PosixException.EHOSTUNREACH -> new ConnectException(e.getMessage());
            case PosixException.EADDRINUSE, PosixException.EADDRNOTAVAIL -> new BindException(e.getMessage());
            default -> new SocketException(e.getMessage());
        };
    }

    /** The error {@code call} on {@code what} failed with, as {@link #of(PosixException)}. */
    public static SocketException of(String call, int errno, String what) {
        return of(new PosixException(call, errno, what));
    }
}
