package org.asyncio4j.base;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ConnectionOptions;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.Server;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.TlsOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.jspecify.annotations.Nullable;

/**
 * CPython's {@code create_connection} and {@code create_server} on any loop, from its {@code openSocket},
 * {@code sockConnect}, {@code sockAccept} and its {@link SocketSupport}: names are resolved in the loop's
 * default executor, then the addresses are tried one after the other (CPython without
 * {@code happy_eyeballs_delay}), or one listening socket is opened per address.
 */
public final class SocketConnector {
    private SocketConnector() {}

    /**
     * CPython's {@code create_connection(protocol_factory, host, port, family=, local_addr=, ssl=, ...)}; over TLS
     * the future completes after the handshake, with the TLS transport.
     *
     * @param <P> the type of the protocol
     * @param loop the loop to connect on, open, called on its thread
     * @param support the loop's socket transports
     * @param protocolFactory makes the protocol once connected
     * @param host a host name or address literal
     * @param port 0 to 65535
     * @param options the family, local address and TLS; null for the defaults
     * @return see {@link EventLoop#createConnection}
     */
    public static <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> createConnection(
            EventLoop loop, SocketSupport support, Supplier<? extends P> protocolFactory, String host, int port,
            @Nullable ConnectionOptions options) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(host, "host");
        checkPort(port);
        ConnectionOptions o = options == null ? ConnectionOptions.defaults() : options;
        AsyncFuture<TransportAndProtocol<Transport, P>> result = loop.createFuture();
        AsyncFuture<List<InetAddress>> resolving = loop.runInExecutor(null, () -> resolve(host, o.family()));
        Attempts<P> attempts = new Attempts<>(loop, support, protocolFactory, port, o.localAddress(), o.tls(host),
                result);
        attempts.inFlight = resolving;
        resolving.addDoneCallback(r -> {
            if (result.done()) {
                return;
            }
            if (r.cancelled()) {
                result.cancel();
            } else if (r.exception() != null) {
                result.setException(r.exception());
            } else {
                attempts.addresses = r.result();
                attempts.tryNext();
            }
        });
        result.addDoneCallback(r -> {
            if (r.cancelled()) {
                attempts.cancel();
            }
        });
        return result;
    }

    /** The addresses of one connection, tried in turn. */
    private static final class Attempts<P extends Protocol> {
        private final EventLoop loop;
        private final SocketSupport support;
        private final Supplier<? extends P> protocolFactory;
        private final int port;
        private final @Nullable InetSocketAddress local;
        private final @Nullable TlsOptions tls;
        private final AsyncFuture<TransportAndProtocol<Transport, P>> result;
        private final List<IOException> errors = new ArrayList<>();
        List<InetAddress> addresses = List.of();
        private int next;
        @Nullable AsyncFuture<?> inFlight;
        private @Nullable LoopSocket connecting;

        Attempts(EventLoop loop, SocketSupport support, Supplier<? extends P> protocolFactory, int port,
                @Nullable InetSocketAddress local, @Nullable TlsOptions tls,
                AsyncFuture<TransportAndProtocol<Transport, P>> result) {
            this.loop = loop;
            this.support = support;
            this.protocolFactory = protocolFactory;
            this.port = port;
            this.local = local;
            this.tls = tls;
            this.result = result;
        }

        void tryNext() {
            if (result.done()) {
                return;
            }
            if (next == addresses.size()) {
                result.setException(combine(errors));
                return;
            }
            InetAddress address = addresses.get(next++);
            LoopSocket socket;
            try {
                socket = loop.openSocket(familyOf(address));
            } catch (IOException e) {
                errors.add(e);
                tryNext();
                return;
            }
            try {
                if (local != null) {
                    socket.bind(local);
                }
            } catch (IOException e) {
                socket.close();
                errors.add(e);
                tryNext();
                return;
            }
            connecting = socket;
            AsyncFuture<@Nullable Void> connect = loop.sockConnect(socket, new InetSocketAddress(address, port));
            inFlight = connect;
            connect.addDoneCallback(c -> connected(socket, c));
        }

        private void connected(LoopSocket socket, AsyncFuture<@Nullable Void> connect) {
            connecting = null;
            if (connect.cancelled() || result.done()) {
                socket.close();
                return;
            }
            Throwable failure = connect.exception();
            if (failure != null) {
                socket.close();
                errors.add(failure instanceof IOException io ? io : new IOException(failure));
                tryNext();
                return;
            }
            AsyncFuture<TransportAndProtocol<Transport, P>> made;
            try {
                made = tls == null ? support.connectSocket(protocolFactory, socket, null)
                        : TlsLayer.connect(loop, support, protocolFactory, socket, tls);
            } catch (RuntimeException e) {
                socket.close();
                result.setException(e);
                return;
            }
            inFlight = made;
            made.addDoneCallback(m -> {
                if (m.cancelled()) {
                    result.cancel();
                } else if (m.exception() != null) {
                    result.setException(m.exception());
                } else if (result.done()) {
                    m.result().transport().close();
                } else {
                    result.setResult(m.result());
                }
            });
        }

        void cancel() {
            AsyncFuture<?> pending = inFlight;
            if (pending != null) {
                pending.cancel();
            }
            LoopSocket socket = connecting;
            if (socket != null) {
                socket.close();
            }
        }
    }

    /**
     * The one error of a single address; the first when all say the same; else CPython's "Multiple exceptions:
     * ..." naming each, a {@link ConnectException} when each was one, with the others suppressed.
     */
    static IOException combine(List<IOException> errors) {
        if (errors.isEmpty()) {
            return new UnknownHostException("no address to connect to");
        }
        IOException first = errors.get(0);
        boolean same = true;
        boolean allConnect = true;
        List<String> messages = new ArrayList<>();
        for (IOException e : errors) {
            same &= Objects.equals(e.getMessage(), first.getMessage());
            allConnect &= e instanceof ConnectException;
            messages.add(String.valueOf(e.getMessage()));
        }
        if (same) {
            return first;
        }
        String message = "Multiple exceptions: " + String.join(", ", messages);
        IOException combined = allConnect ? new ConnectException(message) : new IOException(message);
        errors.forEach(combined::addSuppressed);
        return combined;
    }

    /**
     * CPython's {@code create_server(protocol_factory, host, port, ...)} for a list of hosts.
     *
     * @param loop the loop to listen on, open, called on its thread
     * @param support the loop's listening sockets and transports
     * @param protocolFactory makes a protocol for each accepted connection
     * @param hosts host names or literals, "" for every interface; not empty
     * @param port 0 to 65535
     * @param options backlog, reuse, start serving, TLS; null for the defaults
     * @return see {@link EventLoop#createServer(Supplier, List, int, ServerOptions)}
     */
    public static AsyncFuture<Server> createServer(EventLoop loop, SocketSupport support,
            Supplier<? extends Protocol> protocolFactory, List<String> hosts, int port,
            @Nullable ServerOptions options) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(hosts, "hosts");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts must not be empty");
        }
        for (String host : hosts) {
            Objects.requireNonNull(host, "hosts contains null");
        }
        checkPort(port);
        ServerOptions o = options == null ? ServerOptions.defaults() : options;
        List<String> names = List.copyOf(hosts);
        AsyncFuture<Server> result = loop.createFuture();
        AsyncFuture<List<InetAddress>> resolving = loop.runInExecutor(null, () -> {
            Set<InetAddress> all = new LinkedHashSet<>();
            for (String host : names) {
                all.addAll(host.isEmpty() ? wildcards(o.family()) : resolve(host, o.family()));
            }
            return List.copyOf(all);
        });
        resolving.addDoneCallback(r -> {
            if (result.done()) {
                return;
            }
            if (r.cancelled()) {
                result.cancel();
                return;
            }
            if (r.exception() != null) {
                result.setException(r.exception());
                return;
            }
            List<LoopSocket> listening = new ArrayList<>();
            try {
                for (InetAddress address : r.result()) {
                    listening.add(support.listen(new InetSocketAddress(address, port), o));
                }
            } catch (IOException | RuntimeException e) {
                listening.forEach(LoopSocket::close);
                result.setException(e);
                return;
            }
            TlsOptions tls = o.tls();
            BaseServer server = new BaseServer(loop, support,
                    tls == null ? protocolFactory : TlsLayer.serverSide(loop, protocolFactory, tls), listening);
            if (o.startServing()) {
                server.startServing();
            }
            result.setResult(server);
        });
        result.addDoneCallback(r -> {
            if (r.cancelled()) {
                resolving.cancel();
            }
        });
        return result;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** {@return the addresses of {@code host} of {@code family} (null for any), in the resolver's order} */
    static List<InetAddress> resolve(String host, @Nullable StandardProtocolFamily family) throws UnknownHostException {
        Set<InetAddress> found = new LinkedHashSet<>();
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (family == null || familyOf(address) == family) {
                found.add(address);
            }
        }
        if (found.isEmpty()) {
            throw new UnknownHostException(host + ": no address of family " + family);
        }
        return List.copyOf(found);
    }

    private static List<InetAddress> wildcards(@Nullable StandardProtocolFamily family) throws UnknownHostException {
        List<InetAddress> any = new ArrayList<>();
        if (family != StandardProtocolFamily.INET6) {
            any.add(InetAddress.getByName("0.0.0.0"));
        }
        if (family != StandardProtocolFamily.INET) {
            any.add(InetAddress.getByName("::"));
        }
        return any;
    }

    private static StandardProtocolFamily familyOf(InetAddress address) {
        return address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }
}
