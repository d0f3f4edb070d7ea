package org.asyncio4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * A non-blocking TCP socket made by a loop for its socket calls (or the UDP socket of a
 * {@link DatagramTransport}, its {@code "socket"}): what CPython's loop methods take as a
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
     * @throws IllegalStateException if the socket is closed
     */
    InetSocketAddress localAddress();

    /** {@return the peer's address, or null when not connected} CPython's {@code getpeername()}. */
    @Nullable InetSocketAddress remoteAddress();

    /** {@return true once the socket is closed} */
    boolean isClosed();

    /**
     * Closes the socket, failing a call still waiting on it with {@code SocketException("Socket closed")};
     * idempotent. A socket that a transport or server owns is closed by it: close the transport or server instead.
     */
    @Override
    void close();
}
