package org.asyncio4j.base;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.jspecify.annotations.Nullable;

/**
 * What a loop provides so that {@link SocketConnector} and {@link BaseServer} can build CPython's
 * {@code create_connection} and {@code create_server} on it: listening sockets and socket transports. The
 * loop's own {@code openSocket}, {@code sockConnect} and {@code sockAccept} do the rest. Called on the loop's
 * thread.
 */
public interface SocketSupport {

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
}
