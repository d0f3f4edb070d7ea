package org.asyncio4j.base;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Handle;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.TlsOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.jspecify.annotations.Nullable;

/**
 * Where TLS meets the loops: CPython's {@code start_tls}, and the {@code ssl} branches of
 * {@code _create_connection_transport} and {@code _accept_connection2}, for any loop and any transport of it.
 */
final class TlsLayer {
    private TlsLayer() {}

    /** CPython's {@code start_tls}: see {@link org.asyncio4j.EventLoop#startTls}. */
    static AsyncFuture<Transport> startTls(EventLoop loop, Transport transport, Protocol protocol, TlsOptions options) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options");
        if (transport.isClosing()) {
            throw new IllegalArgumentException("transport is closing: " + transport);
        }
        AsyncFuture<@Nullable Void> waiter = loop.createFuture();
        SslProtocol ssl = new SslProtocol(loop, protocol, options, peer(transport), waiter, false);
        // paused first, so that no data reaches the TLS layer before its connectionMade
        transport.pauseReading();
        transport.setProtocol(ssl);
        Handle made = loop.callSoon(() -> ssl.connectionMade(transport));
        Handle resume = loop.callSoon(transport::resumeReading);
        AsyncFuture<Transport> result = loop.createFuture();
        waiter.addDoneCallback(w -> {
            Throwable failure = w.cancelled() ? null : w.exception();
            if (w.cancelled() || failure != null) {
                transport.close();
                made.cancel();
                resume.cancel();
                if (!result.done()) {
                    if (failure != null) {
                        result.setException(failure);
                    } else {
                        result.cancel();
                    }
                }
            } else if (result.done()) {
                ssl.appTransport().close(); // the caller cancelled as the handshake completed
            } else {
                result.setResult(ssl.appTransport());
            }
        });
        result.addDoneCallback(r -> {
            if (r.cancelled() && !waiter.done()) {
                waiter.cancel();
            }
        });
        return result;
    }

    /**
     * A client connection over TLS on a connected socket: the future completes after the handshake with the TLS
     * transport; the plain transport is closed if the handshake fails or the future is cancelled.
     */
    static <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connect(EventLoop loop,
            SocketSupport support, Supplier<? extends P> protocolFactory, LoopSocket socket, TlsOptions options) {
        P app = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        AsyncFuture<@Nullable Void> waiter = loop.createFuture();
        SslProtocol ssl = new SslProtocol(loop, app, options, socket.remoteAddress(), waiter, true);
        AsyncFuture<TransportAndProtocol<Transport, SslProtocol>> plain = support.connectSocket(() -> ssl, socket, null);
        AsyncFuture<TransportAndProtocol<Transport, P>> result = loop.createFuture();
        plain.addDoneCallback(p -> {
            if (!p.cancelled() && p.exception() != null && !result.done()) {
                result.setException(p.exception());
            }
        });
        waiter.addDoneCallback(w -> {
            Throwable failure = w.cancelled() ? null : w.exception();
            if (w.cancelled() || failure != null) {
                ssl.closeUnderlying();
                if (!result.done()) {
                    if (failure != null) {
                        result.setException(failure);
                    } else {
                        result.cancel();
                    }
                }
            } else if (result.done()) {
                ssl.appTransport().close();
            } else {
                result.setResult(new TransportAndProtocol<>(ssl.appTransport(), app));
            }
        });
        result.addDoneCallback(r -> {
            if (r.cancelled() && !waiter.done()) {
                waiter.cancel();
            }
        });
        return result;
    }

    /** Each accepted connection's TLS layer around a new application protocol (a failed handshake closes it). */
    static Supplier<Protocol> serverSide(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            TlsOptions options) {
        return () -> new SslProtocol(loop,
                Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null"), options, null, null,
                true);
    }

    private static @Nullable InetSocketAddress peer(Transport transport) {
        return transport.getExtraInfo("peername") instanceof InetSocketAddress address ? address : null;
    }
}
