package org.asyncio4j.internal.posix;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import jnr.constants.platform.Errno;

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

    /**
     * An exception of the JDK's socket channels with the errno named as {@link #of(PosixException)} names it:
     * the JDK's message is the C library's text for the errno ({@code "Connection refused"}), which is looked up
     * (or, for ECONNRESET, the JDK's own {@code "Connection reset"}).
     * A closed channel becomes {@code SocketException("Socket closed")}; an unknown text is returned as it is.
     *
     * @param call the system call the channel made, e.g. {@code "connect"}
     * @param e what the channel threw or reported
     * @param what the descriptor or address, for the message
     * @return the exception to report
     */
    public static IOException fromChannel(String call, Throwable e, String what) {
        if (e instanceof ClosedChannelException) {
            return new SocketException("Socket closed");
        }
        String text = e.getMessage();
        if ("Connection reset".equals(text)) {
            return of(call, PosixException.ECONNRESET, what); // the JDK's own words for it
        }
        if (text != null) {
            for (Errno errno : Errno.values()) {
                if (errno.defined() && text.equals(errno.description())) {
                    return of(call, errno.intValue(), what);
                }
            }
        }
        return e instanceof IOException io ? io : new IOException(call + " failed: " + e, e);
    }

    /**
     * The errno a socket exception made by this class names: its message reads {@code "call failed: NAME (text)"}
     * on both loops ({@link #of(PosixException)}, {@link #fromChannel}). The JDK's socket exceptions carry no
     * errno, so the name is read back from the message.
     *
     * @param e an exception from a socket call
     * @return the errno, or 0 if the message names none
     */
    public static int errnoOf(Throwable e) {
        String message = e.getMessage();
        int at = message == null ? -1 : message.indexOf(" failed: ");
        if (at < 0) {
            return 0;
        }
        int start = at + " failed: ".length();
        int end = message.indexOf(' ', start);
        String name = message.substring(start, end < 0 ? message.length() : end);
        for (Errno errno : Errno.values()) {
            if (errno.defined() && errno.name().equals(name)) {
                return errno.intValue();
            }
        }
        return 0;
    }

    /** The error {@code call} on {@code what} failed with, as {@link #of(PosixException)}. */
    public static SocketException of(String call, int errno, String what) {
        return of(new PosixException(call, errno, what));
    }
}
