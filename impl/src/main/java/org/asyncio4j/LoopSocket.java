package org.asyncio4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * A non-blocking TCP (or, from a Unix-domain server or connection, Unix-domain) socket made by a loop for its
 * socket calls, or the UDP socket of a {@link DatagramTransport} (its {@code "socket"}): what CPython's loop
 * methods take as a
 * {@code socket.socket} ({@link EventLoop#sockConnect}, {@link EventLoop#sockAccept}, {@link EventLoop#sockRecv},
 * {@link EventLoop#sockSendall}). Make one with {@link EventLoop#openSocket}; a socket is used on its loop only.
 *
 * <p>The socket is the caller's until it is handed to a transport ({@link EventLoop#connectAcceptedSocket}) or a
 * server: the new owner closes it. A failed system call is an {@link IOException} whose message names the call
 * and the errno, e.g. {@code "bind failed: EADDRINUSE (Address already in use) (/127.0.0.1:8080)"}.
 */
public interface LoopSocket extends AutoCloseable {

    /**
     * Binds the socket to a local address: CPython's {@code sock.bind(address)}.
     *
     * @param address a resolved address; port 0 lets the OS choose
     * @throws java.net.BindException for EADDRINUSE or EADDRNOTAVAIL, naming the errno
     * @throws IOException for another failure, naming the errno
     * @throws IllegalArgumentException if the address is unresolved, naming it
     * @throws IllegalStateException if the socket is closed
     */
    void bind(InetSocketAddress address) throws IOException;

    /**
     * Makes a bound socket listen: CPython's {@code sock.listen(backlog)}.
     *
     * @param backlog the length of the queue of pending connections; at least 0
     * @throws IOException if the OS refuses, naming the errno
     * @throws IllegalArgumentException {@code "backlog must be >= 0: N"}
     * @throws IllegalStateException if the socket is closed
     */
    void listen(int backlog) throws IOException;

    /**
     * {@return the address the socket is bound to} CPython's {@code getsockname()}.
     *
     * @throws IllegalStateException if the socket is closed, or is a Unix-domain socket (see {@link #unixPath()})
     */
    InetSocketAddress localAddress();

    /**
     * {@return the peer's address, or null when not connected or a Unix-domain socket} CPython's
     * {@code getpeername()}.
     */
    @Nullable InetSocketAddress remoteAddress();

    /**
     * {@return the path a Unix-domain socket is bound to, or null for a TCP socket} CPython's
     * {@code getsockname()} of an AF_UNIX socket: "" for an unnamed socket, a leading NUL for an abstract name.
     *
     * @throws IllegalStateException if the socket is closed
     */
    default @Nullable String unixPath() {
        return null;
    }

    /**
     * {@return the peer's path of a connected Unix-domain socket ("" for an unnamed peer), or null for a TCP
     * socket or one not connected} CPython's {@code getpeername()} of an AF_UNIX socket.
     */
    default @Nullable String unixPeerPath() {
        return null;
    }

    /** {@return true once the socket is closed} */
    boolean isClosed();

    /**
     * Closes the socket, failing a call still waiting on it with {@code SocketException("Socket closed")};
     * idempotent. A socket that a transport or server owns is closed by it: close the transport or server instead.
     */
    @Override
    void close();
}
