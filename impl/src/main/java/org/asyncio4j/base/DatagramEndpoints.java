package org.asyncio4j.base;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.DatagramOptions;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.DatagramTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.TransportAndProtocol;
import org.jspecify.annotations.Nullable;

/**
 * CPython's {@code create_datagram_endpoint}, written once on a loop's {@link SocketSupport}: the addresses are
 * resolved in the loop's default executor, paired by family (a local and a remote address of the same family),
 * and each pair is tried in turn until a socket binds and connects; the first error is reported when none does.
 */
public final class DatagramEndpoints {
    private DatagramEndpoints() {}

    /**
     * As {@link EventLoop#createDatagramEndpoint}.
     *
     * @param <P> the type of the protocol
     * @param loop the loop, open, called on its thread
     * @param support the loop's sockets
     * @param protocolFactory makes the protocol
     * @param local the address to bind, or null
     * @param remote the address to connect to, or null
     * @param options the options, or null for the defaults
     * @return see {@link EventLoop#createDatagramEndpoint}
     */
    public static <P extends DatagramProtocol> AsyncFuture<TransportAndProtocol<DatagramTransport, P>> create(
            EventLoop loop, SocketSupport support, Supplier<? extends P> protocolFactory,
            @Nullable InetSocketAddress local, @Nullable InetSocketAddress remote, @Nullable DatagramOptions options) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        DatagramOptions o = options == null ? DatagramOptions.defaults() : options;
        if (local == null && remote == null && o.family() == null) {
            throw new IllegalArgumentException("unexpected address family");
        }
        AsyncFuture<TransportAndProtocol<DatagramTransport, P>> result = loop.createFuture();
        AsyncFuture<List<Pair>> resolving = loop.runInExecutor(null, () -> pairs(local, remote, o.family()));
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
            List<IOException> errors = new ArrayList<>();
            for (Pair pair : r.result()) {
                LoopSocket sock;
                try {
                    sock = support.openDatagramSocket(pair.family(), o, pair.local(), o.allowBroadcast() ? null
                            : pair.remote());
                } catch (IOException e) {
                    errors.add(e);
                    continue;
                }
                AsyncFuture<TransportAndProtocol<DatagramTransport, P>> made;
                try {
                    made = support.connectDatagramSocket(protocolFactory, sock, pair.remote());
                } catch (RuntimeException e) {
                    sock.close();
                    result.setException(e);
                    return;
                }
                made.addDoneCallback(m -> {
                    if (m.cancelled()) {
                        result.cancel();
                    } else if (m.exception() != null) {
                        result.setException(m.exception());
                    } else if (result.done()) {
                        m.result().transport().close(); // the caller cancelled meanwhile
                    } else {
                        result.setResult(m.result());
                    }
                });
                return;
            }
            result.setException(errors.get(0)); // CPython raises the first
        });
        result.addDoneCallback(r -> {
            if (r.cancelled()) {
                resolving.cancel();
            }
        });
        return result;
    }

    /** A local and a remote address of one family, either possibly null. */
    record Pair(StandardProtocolFamily family, @Nullable InetSocketAddress local, @Nullable InetSocketAddress remote) {}

    /** CPython's pairing of the resolved addresses: by family, local first, each pair once. */
    static List<Pair> pairs(@Nullable InetSocketAddress local, @Nullable InetSocketAddress remote,
            @Nullable StandardProtocolFamily family) throws UnknownHostException {
        if (local == null && remote == null) {
            return List.of(new Pair(Objects.requireNonNull(family), null, null));
        }
        List<InetSocketAddress> locals = local == null ? null : resolve(local, family);
        List<InetSocketAddress> remotes = remote == null ? null : resolve(remote, family);
        List<Pair> pairs = new ArrayList<>();
        for (StandardProtocolFamily f : List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6)) {
            InetSocketAddress l = first(locals, f);
            InetSocketAddress r = first(remotes, f);
            if ((locals == null || l != null) && (remotes == null || r != null)) {
                pairs.add(new Pair(f, l, r));
            }
        }
        if (pairs.isEmpty()) {
            throw new UnknownHostException("can not get address information: no local and remote address of one "
                    + "family (" + local + ", " + remote + ")");
        }
        return pairs;
    }

    private static @Nullable InetSocketAddress first(@Nullable List<InetSocketAddress> addresses,
            StandardProtocolFamily family) {
        if (addresses != null) {
            for (InetSocketAddress a : addresses) {
                if (SocketConnector.familyOf(a.getAddress()) == family) {
                    return a;
                }
            }
        }
        return null;
    }

    private static List<InetSocketAddress> resolve(InetSocketAddress address, @Nullable StandardProtocolFamily family)
            throws UnknownHostException {
        List<InetSocketAddress> resolved = new ArrayList<>();
        if (!address.isUnresolved()) {
            if (family == null || SocketConnector.familyOf(address.getAddress()) == family) {
                resolved.add(address);
            } else {
                throw new UnknownHostException(address + ": not an address of family " + family);
            }
            return resolved;
        }
        for (InetAddress ip : SocketConnector.resolve(address.getHostString(), family)) {
            resolved.add(new InetSocketAddress(ip, address.getPort()));
        }
        return resolved;
    }
}
