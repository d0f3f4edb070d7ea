package org.asyncio4j;

import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A listening server made by {@link EventLoop#createServer}: CPython's {@code asyncio.Server}. Each accepted
 * connection gets a transport and a new protocol from the server's factory. Used on its loop's thread.
 *
 * <p>{@link #close()} stops listening but leaves connections already accepted open, as CPython 3.11 does;
 * {@link #waitClosed()} completes once the server is closed and every connection it accepted is lost (CPython
 * 3.12's behaviour: 3.11 returned at once).
 */
public interface Server extends AutoCloseable {

    /** {@return the loop the server runs on} */
    EventLoop getLoop();

    /** {@return whether the server is accepting connections} CPython's {@code is_serving()}. */
    boolean isServing();

    /**
     * Starts accepting connections, if not already: CPython's {@code start_serving()}.
     *
     * @return a future of the loop, done at once
     * @throws IllegalStateException "server ... is closed" once closed
     */
    AsyncFuture<@Nullable Void> startServing();

    /**
     * Accepts connections until the returned future is cancelled, which closes the server: CPython's
     * {@code serve_forever()}.
     *
     * @return a future that completes only by cancellation (or with the server's closing, as cancelled)
     * @throws IllegalStateException "server ... is already being awaited on serveForever()" or "server ... is
     *     closed"
     */
    AsyncFuture<@Nullable Void> serveForever();

    /**
     * Stops listening and closes the listening sockets; connections already accepted stay open. Idempotent.
     */
    @Override
    void close();

    /** {@return a future done once the server is closed and all its connections are lost} CPython's {@code wait_closed()}. */
    AsyncFuture<@Nullable Void> waitClosed();

    /** {@return the listening sockets, empty once closed} CPython's {@code sockets}; they stay the server's. */
    List<LoopSocket> sockets();

    /**
     * {@return the TCP addresses the server listens on, in the order of {@link #sockets()}; empty for a
     * Unix-domain server, whose socket's {@link LoopSocket#unixPath()} is its path}
     */
    List<InetSocketAddress> addresses();
}
