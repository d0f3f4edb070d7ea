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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.asyncio4j.UnixServerOptions;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.UnixPaths;
import org.jspecify.annotations.Nullable;

/**
 * CPython's {@code create_connection} and {@code create_server} on any loop, from its {@code openSocket},
 * {@code sockConnect}, {@code sockAccept} and its {@link SocketSupport}: names are resolved in the loop's
 * default executor, then the addresses are tried one after the other, or raced as RFC 8305's happy eyeballs
 * with {@code happy_eyeballs_delay} ({@link StaggeredRace}), or one listening socket is opened per address.
 */
public final class SocketConnector {
    private SocketConnector() {}

    /**
     * CPython's {@code create_connection(protocol_factory, host, port, family=, local_addr=,
     * happy_eyeballs_delay=, interleave=, ssl=, ...)}; over TLS the future completes after the handshake, with the
     * TLS transport.
     *
     * @param <P> the type of the protocol
     * @param loop the loop to connect on, open, called on its thread
     * @param support the loop's socket transports
     * @param protocolFactory makes the protocol once connected
     * @param host a host name or address literal
     * @param port 0 to 65535
     * @param options the family, local address, happy eyeballs and TLS; null for the defaults
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
        List<AsyncFuture<?>> inFlight = new ArrayList<>(List.of(resolving));
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
            List<InetSocketAddress> targets = new ArrayList<>();
            for (InetAddress address : interleave(r.result(), o.interleave())) {
                targets.add(new InetSocketAddress(address, port));
            }
            AsyncFuture<LoopSocket> connecting = connectFirst(loop, targets, o.localAddress(), o.happyEyeballsDelay());
            inFlight.add(connecting);
            thenMakeTransport(loop, connecting, support, protocolFactory, o.tls(host), result, inFlight);
        });
        result.addDoneCallback(r -> {
            if (r.cancelled()) {
                inFlight.forEach(AsyncFuture::cancel);
            }
        });
        return result;
    }

    /** Once {@code connecting} has a socket, wraps it in a transport for {@code result}; else passes its failure on. */
    private static <P extends Protocol> void thenMakeTransport(EventLoop loop, AsyncFuture<LoopSocket> connecting,
            SocketSupport support, Supplier<? extends P> factory, @Nullable TlsOptions tls,
            AsyncFuture<TransportAndProtocol<Transport, P>> result, List<AsyncFuture<?>> inFlight) {
        connecting.addDoneCallback(c -> {
            if (c.cancelled()) {
                result.cancel();
            } else if (c.exception() != null) {
                result.setException(c.exception());
            } else if (result.done()) {
                c.result().close();
            } else {
                makeTransport(loop, support, factory, tls, c.result(), result, inFlight);
            }
        });
    }

    /** Wraps a connected socket in the loop's transport, or in a TLS one over it when {@code tls} is given. */
    private static <P extends Protocol> void makeTransport(EventLoop loop, SocketSupport support,
            Supplier<? extends P> factory, @Nullable TlsOptions tls, LoopSocket socket,
            AsyncFuture<TransportAndProtocol<Transport, P>> result, List<AsyncFuture<?>> inFlight) {
        AsyncFuture<TransportAndProtocol<Transport, P>> made;
        try {
            made = tls == null ? support.connectSocket(factory, socket, null)
                    : TlsLayer.connect(loop, support, factory, socket, tls);
        } catch (RuntimeException e) {
            socket.close();
            result.setException(e);
            return;
        }
        inFlight.add(made);
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

    /**
     * CPython's {@code _connect_sock} for each address, raced as {@link StaggeredRace} does: a socket connected
     * to the first address that answers; the others' sockets are closed. All failing, the error is
     * {@link #combine}'s.
     *
     * @param loop the loop to connect on, called on its thread
     * @param targets the addresses, in the order to try them
     * @param local the local address to bind each socket to, or null
     * @param delay CPython's {@code happy_eyeballs_delay} in seconds, or null to try one address after the other
     * @return a future of the loop with the connected socket, which the caller owns
     */
    public static AsyncFuture<LoopSocket> connectFirst(EventLoop loop, List<InetSocketAddress> targets,
            @Nullable InetSocketAddress local, @Nullable Double delay) {
        List<Supplier<AsyncFuture<LoopSocket>>> attempts = new ArrayList<>();
        for (InetSocketAddress target : targets) {
            attempts.add(() -> connectOne(loop, target, local));
        }
        return StaggeredRace.race(loop, attempts, delay, LoopSocket::close, errors -> {
            List<IOException> io = new ArrayList<>();
            for (Throwable e : errors) {
                io.add(e instanceof IOException i ? i : new IOException(e.toString(), e));
            }
            return combine(io);
        });
    }

    /** One attempt: a socket of the address's family, bound if asked, connected; cancelling it closes the socket. */
    private static AsyncFuture<LoopSocket> connectOne(EventLoop loop, InetSocketAddress target,
            @Nullable InetSocketAddress local) {
        AsyncFuture<LoopSocket> failed = loop.createFuture();
        LoopSocket socket;
        try {
            socket = loop.openSocket(familyOf(target.getAddress()));
        } catch (IOException e) {
            failed.setException(e);
            return failed;
        }
        try {
            if (local != null) {
                socket.bind(local);
            }
        } catch (IOException e) {
            socket.close();
            failed.setException(e);
            return failed;
        }
        return connected(loop, socket, loop.sockConnect(socket, target));
    }

    /**
     * {@code socket} once {@code connect} has connected it: a future of the loop that the caller owns the socket
     * from; if the connect fails or either future is cancelled, the socket is closed.
     *
     * @param loop the socket's loop
     * @param socket the socket being connected
     * @param connect its connect in progress
     * @return a future of the loop with the connected socket
     */
    public static AsyncFuture<LoopSocket> connected(EventLoop loop, LoopSocket socket,
            AsyncFuture<@Nullable Void> connect) {
        AsyncFuture<LoopSocket> attempt = loop.createFuture();
        connect.addDoneCallback(c -> {
            if (attempt.done()) {
                socket.close(); // the attempt was cancelled
            } else if (c.cancelled()) {
                socket.close();
                attempt.cancel();
            } else if (c.exception() != null) {
                socket.close();
                attempt.setException(c.exception());
            } else {
                attempt.setResult(socket);
            }
        });
        attempt.addDoneCallback(a -> {
            if (a.cancelled()) {
                connect.cancel();
                socket.close();
            }
        });
        return attempt;
    }

    /**
     * CPython's {@code _interleave_addrinfos}: the addresses grouped by family in the order each family first
     * appears, then {@code firstFamilyCount} of the first family followed by one of each family in turn.
     *
     * @param addresses the resolver's addresses
     * @param firstFamilyCount how many of the first family lead; 0 keeps the resolver's order
     * @return the addresses in the order to try them
     */
    static List<InetAddress> interleave(List<InetAddress> addresses, int firstFamilyCount) {
        if (firstFamilyCount <= 0) {
            return addresses;
        }
        Map<StandardProtocolFamily, List<InetAddress>> byFamily = new LinkedHashMap<>();
        for (InetAddress address : addresses) {
            byFamily.computeIfAbsent(familyOf(address), f -> new ArrayList<>()).add(address);
        }
        List<List<InetAddress>> families = new ArrayList<>(byFamily.values());
        List<InetAddress> ordered = new ArrayList<>();
        List<InetAddress> first = families.get(0);
        int lead = Math.min(firstFamilyCount - 1, first.size());
        ordered.addAll(first.subList(0, lead));
        families.set(0, first.subList(lead, first.size()));
        for (int i = 0; ordered.size() < addresses.size(); i++) {
            for (List<InetAddress> family : families) {
                if (i < family.size()) {
                    ordered.add(family.get(i));
                }
            }
        }
        return ordered;
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

    /**
     * CPython's {@code create_unix_connection(protocol_factory, path)}.
     *
     * @param <P> the type of the protocol
     * @param loop the loop to connect on, open, called on its thread
     * @param support the loop's sockets
     * @param protocolFactory makes the protocol once connected
     * @param path the path or (starting with NUL) abstract name
     * @return see {@link EventLoop#createUnixConnection}
     */
    public static <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> createUnixConnection(
            EventLoop loop, SocketSupport support, Supplier<? extends P> protocolFactory, String path) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        UnixPaths.encode(path); // refuses a bad path at the call, naming it
        AsyncFuture<TransportAndProtocol<Transport, P>> result = loop.createFuture();
        AsyncFuture<LoopSocket> connecting = support.connectUnix(path);
        List<AsyncFuture<?>> inFlight = new ArrayList<>(List.of(connecting));
        thenMakeTransport(loop, connecting, support, protocolFactory, null, result, inFlight);
        result.addDoneCallback(r -> {
            if (r.cancelled()) {
                inFlight.forEach(AsyncFuture::cancel);
            }
        });
        return result;
    }

    /**
     * CPython's {@code create_unix_server(protocol_factory, path, backlog=, start_serving=, cleanup_socket=)}: a
     * socket file left at a file-system path is removed first (only a socket file), then one socket listens.
     *
     * @param loop the loop to listen on, open, called on its thread
     * @param support the loop's sockets
     * @param protocolFactory makes a protocol for each accepted connection
     * @param path the path or (starting with NUL) abstract name
     * @param options backlog, start serving, cleanup; null for the defaults
     * @return see {@link EventLoop#createUnixServer}
     */
    public static AsyncFuture<Server> createUnixServer(EventLoop loop, SocketSupport support,
            Supplier<? extends Protocol> protocolFactory, String path, @Nullable UnixServerOptions options) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        UnixPaths.encode(path);
        UnixServerOptions o = options == null ? UnixServerOptions.defaults() : options;
        AsyncFuture<Server> result = loop.createFuture();
        if (!UnixPaths.isAbstract(path)) {
            try {
                UnixPaths.removeStaleSocket(path);
            } catch (IOException e) {
                // CPython logs this and lets bind say what is wrong
                Loggers.LOG.log(System.Logger.Level.ERROR, "Unable to check or remove stale UNIX socket "
                        + UnixPaths.display(path) + ": " + e);
            }
        }
        LoopSocket listening;
        try {
            listening = support.listenUnix(path, o);
        } catch (IOException e) {
            result.setException(e);
            return result;
        }
        BaseServer server = new BaseServer(loop, support, protocolFactory, List.of(listening));
        if (o.startServing()) {
            server.startServing();
        }
        result.setResult(server);
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

    static StandardProtocolFamily familyOf(InetAddress address) {
        return address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }
}
