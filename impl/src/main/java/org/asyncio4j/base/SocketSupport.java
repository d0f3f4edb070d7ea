package org.asyncio4j.base;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.DatagramOptions;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.DatagramTransport;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.UnixServerOptions;
import org.jspecify.annotations.Nullable;

/**
 * A loop's sockets, as each loop drives them (readiness on the selector loop, completion on the proactor):
 * the low-level socket calls that {@link BaseEventLoop} forwards its {@code EventLoop} methods to, and what
 * {@link SocketConnector} and {@link BaseServer} build CPython's {@code create_connection} and
 * {@code create_server} on (listening sockets and socket transports). Called on the loop's thread.
 */
public interface SocketSupport {

    /**
     * As {@link org.asyncio4j.EventLoop#openSocket}.
     *
     * @param family the address family
     * @return a new non-blocking socket of the loop
     * @throws IOException naming the call and the errno
     */
    LoopSocket openSocket(StandardProtocolFamily family) throws IOException;

    /**
     * As {@link org.asyncio4j.EventLoop#sockConnect}.
     *
     * @param sock a socket of the loop
     * @param address a resolved address
     * @return a future of the loop, done once connected
     */
    AsyncFuture<@Nullable Void> sockConnect(LoopSocket sock, InetSocketAddress address);

    /**
     * As {@link org.asyncio4j.EventLoop#sockAccept}.
     *
     * @param sock a listening socket of the loop
     * @return a future of the loop with the accepted socket
     */
    AsyncFuture<LoopSocket> sockAccept(LoopSocket sock);

    /**
     * As {@link org.asyncio4j.EventLoop#sockRecv}.
     *
     * @param sock a connected socket of the loop
     * @param n the most bytes to receive
     * @return a future of the loop with the bytes received, empty at end of stream
     */
    AsyncFuture<byte[]> sockRecv(LoopSocket sock, int n);

    /**
     * As {@link org.asyncio4j.EventLoop#sockSendall}.
     *
     * @param sock a connected socket of the loop
     * @param data the bytes to send, all of them
     * @return a future of the loop, done once everything was sent
     */
    AsyncFuture<@Nullable Void> sockSendall(LoopSocket sock, byte[] data);

    /**
     * As {@link org.asyncio4j.EventLoop#connectAcceptedSocket}.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol
     * @param sock a connected socket of the loop, which the transport owns from now on
     * @return a future of the loop with the transport and the protocol
     */
    <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock);

    /**
     * A socket bound to {@code address} and listening, with the options' SO_REUSEADDR and SO_REUSEPORT, and
     * IPV6_V6ONLY for an IPv6 address (so that an IPv4 socket may share the port); owned by the caller's server.
     *
     * @param address a resolved address
     * @param options the backlog and reuse options
     * @return the listening socket
     * @throws IOException naming the call and the errno ({@link java.net.BindException} for EADDRINUSE)
     */
    LoopSocket listen(InetSocketAddress address, ServerOptions options) throws IOException;

    /**
     * Wraps a connected socket in a transport with a new protocol, started as
     * {@link org.asyncio4j.EventLoop#connectAcceptedSocket} describes.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol, called once, now
     * @param socket a connected socket of the loop, which the transport owns from now on
     * @param server the server that accepted it, which counts it until it is lost; null for none
     * @return a future of the loop with the transport and the protocol
     */
    <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectSocket(
            Supplier<? extends P> protocolFactory, LoopSocket socket, @Nullable BaseServer server);

    /**
     * A new socket of the loop connected to the Unix-domain socket at {@code path}, for
     * {@link org.asyncio4j.EventLoop#createUnixConnection}; cancelling the future closes it.
     *
     * @param path a path or (starting with NUL) abstract name that {@code UnixPaths.encode} accepts
     * @return a future of the loop with the connected socket, which the caller owns
     * @throws UnsupportedOperationException if the loop has no Unix-domain sockets, saying why
     */
    AsyncFuture<LoopSocket> connectUnix(String path);

    /**
     * A Unix-domain socket bound to {@code path} and listening, owned by the caller's server; with the options'
     * {@code cleanupSocket}, closing it removes its socket file if that is still its own.
     *
     * @param path a path or abstract name that {@code UnixPaths.encode} accepts
     * @param options the backlog and the cleanup
     * @return the listening socket
     * @throws IOException naming the call and the errno ({@link java.net.BindException} for EADDRINUSE)
     * @throws UnsupportedOperationException if the loop has no Unix-domain sockets, saying why
     */
    LoopSocket listenUnix(String path, UnixServerOptions options) throws IOException;
    // ----- UDP, sockRecvInto and sendfile (issue 14, second phase) ---------------------------------------------

    /**
     * As {@link org.asyncio4j.EventLoop#sockRecvInto}.
     *
     * @param sock a connected socket of the loop
     * @param buf where the bytes go, writable
     * @return a future of the loop with the count received, 0 at end of stream
     */
    AsyncFuture<Integer> sockRecvInto(LoopSocket sock, ByteBuffer buf);

    /**
     * Sends {@code count} bytes (null: to the end) of the file at {@code path} from {@code offset} without copying
     * through Java, or fails with {@link org.asyncio4j.SendfileNotAvailableException} (before sending anything)
     * where the loop cannot: CPython's {@code _sock_sendfile_native}.
     *
     * @param sock a connected socket of the loop
     * @param path the file
     * @param offset where to start, at least 0
     * @param count the most bytes, positive, or null for the rest of the file
     * @param owner the transport that owns {@code sock} and sends through it ({@code loop.sendfile}), or null for
     *     a socket no transport owns
     * @return a future of the loop with the number of bytes sent
     */
    AsyncFuture<Long> sockSendfileNative(LoopSocket sock, Path path, long offset, @Nullable Long count,
            @Nullable SocketTransport owner);

    /**
     * A new UDP socket of {@code family} with the options' SO_REUSEPORT and SO_BROADCAST, bound to {@code local}
     * and connected to {@code remote} when given (a UDP connect completes at once); owned by the caller.
     *
     * @param family the address family of both addresses
     * @param options the socket options
     * @param local a resolved address to bind, or null
     * @param remote a resolved address to connect to, or null
     * @return the socket
     * @throws IOException naming the call, the errno and the address
     */
    LoopSocket openDatagramSocket(StandardProtocolFamily family, DatagramOptions options,
            @Nullable InetSocketAddress local, @Nullable InetSocketAddress remote) throws IOException;

    /**
     * Wraps a UDP socket in the loop's datagram transport with a new protocol: {@code connectionMade}, then
     * receiving, then the future's completion.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol, called once, now
     * @param sock a socket from {@link #openDatagramSocket}, which the transport owns from now on
     * @param address the address {@code sendto} uses and insists on, or null for any
     * @return a future of the loop with the transport and the protocol
     */
    <P extends DatagramProtocol> AsyncFuture<TransportAndProtocol<DatagramTransport, P>> connectDatagramSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock, @Nullable InetSocketAddress address);
}
