package org.asyncio4j.proactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.DatagramOptions;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.DatagramTransport;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.SendfileNotAvailableException;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.UnixServerOptions;
import org.asyncio4j.base.BaseServer;
import org.asyncio4j.base.SocketConnector;
import org.asyncio4j.base.SocketSupport;
import org.asyncio4j.base.SocketTransport;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.SocketErrors;
import org.asyncio4j.internal.posix.UnixPaths;
import org.jspecify.annotations.Nullable;

/**
 * The proactor loop's sockets: CPython's {@code sock_*} methods of {@code proactor_events} on NIO.2 channels of
 * the loop's group, its socket transports and listening sockets. It keeps the sockets that transports and servers
 * own, so that a loop closed with some still open reports each with a {@code ResourceWarning} before the group's
 * shutdown closes them. Loop thread only.
 *
 * <p>What Java 17's NIO.2 lacks, and how it shows: a channel's address family cannot be chosen (its sockets are
 * dual-stack IPv6 sockets where the OS has IPv6, so {@code openSocket(INET)} connects to IPv4 addresses all the
 * same), IPV6_V6ONLY cannot be set (so a server on both {@code 0.0.0.0} and {@code ::} of one fixed port fails
 * with EADDRINUSE here; port 0 or one family works), and pending operations cannot be cancelled (see
 * {@link ProactorSocket}). Unix-domain sockets are Java 16+'s selectable {@code SocketChannel} and
 * {@code ServerSocketChannel} on the loop's {@link ChannelPump} ({@link ProactorUnixSocket}), as the asynchronous
 * channels are IP only; {@code UnixDomainSocketAddress} has no Linux abstract names, so those are refused.
 */
final class ProactorSockets implements SocketSupport {
    /** Bytes asked for per read. */
    static final int MAX_SIZE = 64 * 1024;

    private final ProactorEventLoop loop;
    private final Set<ProactorSocket> owned = new LinkedHashSet<>();
    private final Set<ProactorUnixSocket> ownedUnix = new LinkedHashSet<>();
    private final Map<ProactorDatagramSocket, ProactorDatagramTransport> datagramOwners = new LinkedHashMap<>();

    ProactorSockets(ProactorEventLoop loop) {
        this.loop = loop;
    }

    @Override
    public LoopSocket openSocket(StandardProtocolFamily family) throws IOException {
        Objects.requireNonNull(family, "family");
        if (family == StandardProtocolFamily.UNIX) {
            throw new IllegalArgumentException("family must be INET or INET6: " + family);
        }
        try {
            return new ProactorSocket(loop, this, AsynchronousSocketChannel.open(loop.channelGroup()));
        } catch (IOException e) {
            throw SocketErrors.fromChannel("socket", e, family.toString());
        }
    }

    private ProactorSocket own(LoopSocket sock) {
        Objects.requireNonNull(sock, "sock");
        if (sock instanceof ProactorUnixSocket u && u.loop == loop) {
            throw new UnsupportedOperationException(NO_UNIX_SOCK_CALLS + sock);
        }
        if (!(sock instanceof ProactorSocket s) || s.loop != loop) {
            throw new IllegalArgumentException("sock is not a socket of " + loop + ": " + sock);
        }
        if (s.isClosed()) {
            throw new IllegalArgumentException("sock is closed: " + sock);
        }
        if (s.owner != null) {
            throw new IllegalStateException("socket " + s + " is used by transport " + s.owner);
        }
        return s;
    }

    /** What the proactor's Unix-domain sockets lack: the {@code sock_*} calls other than {@code sockAccept}. */
    static final String NO_UNIX_SOCK_CALLS = "the proactor loop's Unix-domain sockets serve transports and servers; "
            + "sockRecv, sockSendall and the other sock_* calls on them are not there yet (use the selector loop): ";

    private static String name(ProactorSocket s) {
        return s.toString();
    }

    // ----- sockRecv: one read in flight; what a cancelled call's read brings waits for the next call -----

    @Override
    public AsyncFuture<byte[]> sockRecv(LoopSocket sock, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        ProactorSocket s = own(sock);
        if (s.channel == null) {
            throw new IllegalArgumentException("sock is listening: " + sock);
        }
        if (s.recvWaiter != null && !s.recvWaiter.done()) { // a cancelled one, its clean-up not run yet, is replaced
            throw new IllegalStateException("another sockRecv is waiting on " + s);
        }
        AsyncFuture<byte[]> result = loop.createFuture();
        if (n == 0) {
            result.setResult(new byte[0]);
            return result;
        }
        s.recvWaiter = result;
        s.recvLimit = n;
        result.addDoneCallback(done -> {
            if (s.recvWaiter == done) {
                s.recvWaiter = null;
            }
        });
        deliverReceived(s);
        if (!result.done() && !s.readInFlight) {
            startRead(s);
        }
        return result;
    }

    private void deliverReceived(ProactorSocket s) {
        AsyncFuture<byte[]> waiter = s.recvWaiter;
        if (waiter == null || waiter.done()) {
            return;
        }
        byte[] held = s.leftover;
        if (held != null) {
            int take = Math.min(held.length, s.recvLimit);
            s.leftover = take == held.length ? null : Arrays.copyOfRange(held, take, held.length);
            s.recvWaiter = null;
            waiter.setResult(take == held.length ? held : Arrays.copyOf(held, take));
        } else if (s.readError != null) {
            s.recvWaiter = null;
            waiter.setException(s.readError);
        } else if (s.endOfStream) {
            s.recvWaiter = null;
            waiter.setResult(new byte[0]);
        }
    }

    private void startRead(ProactorSocket s) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_SIZE);
        s.readInFlight = true;
        loop.read(s.channel, buffer).addDoneCallback(r -> {
            s.readInFlight = false;
            if (s.isClosed()) {
                return;
            }
            if (r.exception() != null) {
                s.readError = SocketErrors.fromChannel("recv", r.exception(), name(s));
            } else if (r.result() < 0) {
                s.endOfStream = true;
            } else {
                s.leftover = Arrays.copyOf(buffer.array(), buffer.position());
            }
            deliverReceived(s);
        });
    }

    @Override
    public AsyncFuture<@Nullable Void> sockSendall(LoopSocket sock, byte[] data) {
        Objects.requireNonNull(data, "data");
        ProactorSocket s = own(sock);
        if (s.channel == null) {
            throw new IllegalArgumentException("sock is listening: " + sock);
        }
        if (s.writing != null) {
            throw new IllegalStateException("another sockSendall or sockConnect is waiting on " + s);
        }
        AsyncFuture<@Nullable Void> result = loop.createFuture();
        s.writing = result;
        result.addDoneCallback(done -> {
            if (s.writing == done) {
                s.writing = null;
            }
        });
        sendRest(s, ByteBuffer.wrap(data.clone()), result);
        return result;
    }

    private void sendRest(ProactorSocket s, ByteBuffer rest, AsyncFuture<@Nullable Void> result) {
        if (!rest.hasRemaining()) {
            result.setResult(null);
            return;
        }
        loop.write(s.channel, rest).addDoneCallback(w -> {
            if (result.done()) {
                return; // cancelled: the rest is not sent
            }
            if (w.exception() != null) {
                result.setException(SocketErrors.fromChannel("send", w.exception(), name(s)));
            } else {
                sendRest(s, rest, result);
            }
        });
    }

    @Override
    public AsyncFuture<@Nullable Void> sockConnect(LoopSocket sock, InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        ProactorSocket s = own(sock);
        if (s.channel == null) {
            throw new IllegalArgumentException("sock is listening: " + sock);
        }
        if (s.writing != null) {
            throw new IllegalStateException("another sockSendall or sockConnect is waiting on " + s);
        }
        AsyncFuture<@Nullable Void> result = loop.createFuture();
        s.writing = result;
        result.addDoneCallback(done -> {
            if (s.writing == done) {
                s.writing = null;
            }
        });
        loop.connect(s.channel, address).addDoneCallback(c -> {
            if (result.done()) {
                return;
            }
            if (c.exception() != null) {
                result.setException(SocketErrors.fromChannel("connect", c.exception(), address.toString()));
            } else {
                result.setResult(null);
            }
        });
        return result;
    }

    // ----- sockAccept: one accept in flight; a connection a cancelled call's accept brings waits ----------

    @Override
    public AsyncFuture<LoopSocket> sockAccept(LoopSocket sock) {
        if (sock instanceof ProactorUnixSocket u && u.loop == loop) {
            return acceptUnix(u);
        }
        ProactorSocket s = own(sock);
        if (s.server == null) {
            throw new IllegalArgumentException("sock is not listening: " + sock);
        }
        AsyncFuture<LoopSocket> result = loop.createFuture();
        if (s.accepting.await(result, s)) {
            startAccept(s);
        }
        return result;
    }

    private void startAccept(ProactorSocket s) {
        s.accepting.inFlight = true;
        loop.accept(s.server).addDoneCallback(a -> {
            if (s.isClosed()) {
                s.accepting.inFlight = false;
                if (a.exception() == null) {
                    closeQuietly(a.result());
                }
                return;
            }
            if (a.exception() != null) {
                s.accepting.failed(SocketErrors.fromChannel("accept", a.exception(), name(s)));
            } else {
                s.accepting.accepted(a.result());
            }
        });
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed all the same
        }
    }

    // ----- transports and servers -------------------------------------------------------------------

    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock) {
        return connectSocket(protocolFactory, sock, null);
    }

    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock, @Nullable BaseServer server) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (sock instanceof ProactorUnixSocket u && u.loop == loop) {
            return connectUnixSocket(protocolFactory, u, server);
        }
        ProactorSocket s = own(sock);
        if (s.channel == null) {
            throw new IllegalArgumentException("sock is listening: " + sock);
        }
        if (s.recvWaiter != null || s.writing != null || s.readInFlight) {
            throw new IllegalStateException("a socket operation is still waiting on " + s);
        }
        P protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        try {
            s.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException notTcp) {
            // CPython's _set_nodelay ignores sockets that are not TCP
        }
        ProactorSocketTransport transport = new ProactorSocketTransport(loop, s, protocol, server);
        s.owner = transport;
        owned.add(s);
        AsyncFuture<TransportAndProtocol<Transport, P>> result = loop.createFuture();
        transport.begin(result, new TransportAndProtocol<Transport, P>(transport, protocol));
        return result;
    }

    @Override
    public LoopSocket listen(InetSocketAddress address, ServerOptions options) throws IOException {
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(loop.channelGroup());
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            if (options.reusePort()) {
                server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            server.bind(address, options.backlog());
        } catch (IOException e) {
            server.close();
            throw SocketErrors.fromChannel("bind", e, address.toString());
        }
        ProactorSocket s = new ProactorSocket(loop, this, server);
        owned.add(s);
        return s;
    }

    // ----- Unix-domain sockets: Java 16+'s SocketChannel and ServerSocketChannel on the loop's ChannelPump -----

    /**
     * {@return {@code path} as the JDK's address} The JDK's {@link UnixDomainSocketAddress} holds a file-system
     * path only, so a Linux abstract name (leading NUL) cannot be expressed and is refused.
     *
     * @throws UnsupportedOperationException for an abstract name, naming it and saying why
     */
    private static UnixDomainSocketAddress unixAddress(String path) {
        UnixPaths.encode(path);
        if (UnixPaths.isAbstract(path)) {
            throw new UnsupportedOperationException("the proactor loop cannot use the Linux abstract name "
                    + UnixPaths.display(path) + ": the JDK's UnixDomainSocketAddress takes file-system paths only; "
                    + "use the selector loop");
        }
        return UnixDomainSocketAddress.of(path);
    }

    @Override
    public AsyncFuture<LoopSocket> connectUnix(String path) {
        UnixDomainSocketAddress address = unixAddress(path);
        String where = UnixPaths.display(path);
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            AsyncFuture<LoopSocket> failed = loop.createFuture();
            failed.setException(SocketErrors.fromChannel("socket", e, where));
            return failed;
        }
        ProactorUnixSocket s = new ProactorUnixSocket(loop, this, channel);
        AsyncFuture<@Nullable Void> connecting = loop.createFuture();
        s.connecting = connecting;
        try {
            channel.configureBlocking(false);
            if (channel.connect(address)) {
                connecting.setResult(null);
            } else {
                loop.channels().finishConnect(channel, error -> {
                    if (connecting.done()) {
                        return; // cancelled or closed: the socket is closed
                    }
                    if (error != null) {
                        connecting.setException(SocketErrors.fromChannel("connect", error, where));
                    } else {
                        connecting.setResult(null);
                    }
                });
            }
        } catch (IOException e) {
            connecting.setException(SocketErrors.fromChannel("connect", e, where));
        }
        connecting.addDoneCallback(c -> s.connecting = null);
        return SocketConnector.connected(loop, s, connecting);
    }

    @Override
    public LoopSocket listenUnix(String path, UnixServerOptions options) throws IOException {
        UnixDomainSocketAddress address = unixAddress(path);
        ServerSocketChannel server;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw SocketErrors.fromChannel("socket", e, UnixPaths.display(path));
        }
        try {
            server.configureBlocking(false);
            server.bind(address, options.backlog());
        } catch (IOException e) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closed all the same
            }
            throw SocketErrors.fromChannel("bind", e, UnixPaths.display(path));
        }
        ProactorUnixSocket s = new ProactorUnixSocket(loop, this, server);
        if (options.cleanupSocket()) {
            s.cleanUpOnClose(path);
        }
        ownedUnix.add(s);
        return s;
    }

    private AsyncFuture<LoopSocket> acceptUnix(ProactorUnixSocket s) {
        if (s.isClosed()) {
            throw new IllegalArgumentException("sock is closed: " + s);
        }
        if (s.server == null) {
            throw new IllegalArgumentException("sock is not listening: " + s);
        }
        AsyncFuture<LoopSocket> result = loop.createFuture();
        if (s.accepting.await(result, s)) {
            awaitConnection(s);
        }
        return result;
    }

    /** Accepts on the loop thread once the pump reports a connection waiting; kept for the next call if none waits. */
    private void awaitConnection(ProactorUnixSocket s) {
        s.accepting.inFlight = true;
        loop.channels().whenAcceptable(s.server, () -> {
            if (s.isClosed()) {
                s.accepting.inFlight = false;
                return;
            }
            try {
                SocketChannel connection = s.server.accept();
                if (connection == null) { // taken meanwhile: wait for the next one
                    awaitConnection(s);
                    return;
                }
                try {
                    connection.configureBlocking(false);
                } catch (IOException e) {
                    closeQuietly(connection);
                    throw e;
                }
                s.accepting.accepted(connection);
            } catch (IOException e) {
                s.accepting.failed(SocketErrors.fromChannel("accept", e, s.toString()));
            }
        });
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed all the same
        }
    }

    private <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectUnixSocket(
            Supplier<? extends P> protocolFactory, ProactorUnixSocket s, @Nullable BaseServer server) {
        if (s.isClosed()) {
            throw new IllegalArgumentException("sock is closed: " + s);
        }
        if (s.owner != null) {
            throw new IllegalStateException("socket " + s + " is used by transport " + s.owner);
        }
        if (s.channel == null) {
            throw new IllegalArgumentException("sock is listening: " + s);
        }
        P protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        ProactorUnixTransport transport = new ProactorUnixTransport(loop, s, protocol, server);
        s.owner = transport;
        ownedUnix.add(s);
        AsyncFuture<TransportAndProtocol<Transport, P>> result = loop.createFuture();
        transport.begin(result, new TransportAndProtocol<Transport, P>(transport, protocol));
        return result;
    }

    /** {@code s} is closed: the loop need not report it. */
    void forget(ProactorUnixSocket s) {
        ownedUnix.remove(s);
    }

    // ----- UDP, sockRecvInto and sendfile (issue 14, second phase) ---------------------------------------------

    /** Built on {@link #sockRecv}: what a cancelled call's read brings waits for the next call, as there. */
    @Override
    public AsyncFuture<Integer> sockRecvInto(LoopSocket sock, ByteBuffer buf) {
        Objects.requireNonNull(buf, "buf");
        if (buf.isReadOnly()) {
            throw new IllegalArgumentException("buf must be writable: " + buf);
        }
        AsyncFuture<byte[]> receiving = sockRecv(sock, Math.min(buf.remaining(), MAX_SIZE));
        AsyncFuture<Integer> result = loop.createFuture();
        receiving.addDoneCallback(r -> {
            if (result.done()) {
                return;
            }
            if (r.cancelled()) {
                result.cancel();
            } else if (r.exception() != null) {
                result.setException(r.exception());
            } else {
                buf.put(r.result());
                result.setResult(r.result().length);
            }
        });
        result.addDoneCallback(r -> receiving.cancel());
        return result;
    }

    /**
     * Never zero-copy: {@code FileChannel.transferTo} needs a {@code WritableByteChannel}, which an
     * {@code AsynchronousSocketChannel} is not, and NIO.2 has no asynchronous file-to-socket transfer.
     */
    @Override
    public AsyncFuture<Long> sockSendfileNative(LoopSocket sock, Path path, long offset, @Nullable Long count,
            @Nullable SocketTransport owner) {
        if (owner == null) {
            own(sock);
        }
        AsyncFuture<Long> result = loop.createFuture();
        result.setException(new SendfileNotAvailableException("the proactor loop has no zero-copy send: NIO.2 "
                + "cannot transfer a file to an AsynchronousSocketChannel"));
        return result;
    }

    @Override
    public LoopSocket openDatagramSocket(StandardProtocolFamily family, DatagramOptions options,
            @Nullable InetSocketAddress local, @Nullable InetSocketAddress remote) throws IOException {
        DatagramChannel channel;
        try {
            channel = DatagramChannel.open(family);
        } catch (IOException | UnsupportedOperationException e) {
            throw SocketErrors.fromChannel("socket", e, family.toString());
        }
        String where = "";
        try {
            channel.configureBlocking(false);
            if (options.reusePort()) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (options.allowBroadcast()) {
                channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            if (local != null) {
                where = "bind";
                channel.bind(local);
            }
            if (remote != null) {
                where = "connect";
                channel.connect(remote);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw SocketErrors.fromChannel(where.isEmpty() ? "setsockopt" : where, e,
                    String.valueOf(where.equals("connect") ? remote : local));
        }
        return new ProactorDatagramSocket(loop, this, loop.channels(), channel, family);
    }

    @Override
    public <P extends DatagramProtocol> AsyncFuture<TransportAndProtocol<DatagramTransport, P>> connectDatagramSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock, @Nullable InetSocketAddress address) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (!(sock instanceof ProactorDatagramSocket s) || s.loop != loop || s.isClosed()) {
            throw new IllegalArgumentException("sock is not an open UDP socket of " + loop + ": " + sock);
        }
        P protocol;
        try {
            protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        ProactorDatagramTransport transport = new ProactorDatagramTransport(loop, s, loop.channels(), protocol,
                address);
        datagramOwners.put(s, transport);
        AsyncFuture<TransportAndProtocol<DatagramTransport, P>> result = loop.createFuture();
        transport.open(result, new TransportAndProtocol<DatagramTransport, P>(transport, protocol));
        return result;
    }

    /** {@code s} is closed: the loop need not report it. */
    void forget(ProactorDatagramSocket s) {
        datagramOwners.remove(s);
    }

    private static void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed all the same
        }
    }

    /** {@code s} is closed: the loop need not report it. */
    void forget(ProactorSocket s) {
        owned.remove(s);
    }

    /** The loop is closing: reports what transports and servers still own, and closes it. */
    void closeAll() {
        for (ProactorSocket s : new ArrayList<>(owned)) {
            Loggers.warn("ResourceWarning", "unclosed " + (s.owner != null ? "transport " + s.owner : "server socket " + s));
            s.closeChannels();
        }
        owned.clear();
        for (ProactorUnixSocket s : new ArrayList<>(ownedUnix)) {
            Loggers.warn("ResourceWarning", "unclosed " + (s.owner != null ? "transport " + s.owner : "server socket " + s));
            s.closeChannels();
        }
        ownedUnix.clear();
        for (Map.Entry<ProactorDatagramSocket, ProactorDatagramTransport> e : new ArrayList<>(datagramOwners.entrySet())) {
            Loggers.warn("ResourceWarning", "unclosed transport " + e.getValue());
            e.getKey().closeChannel();
        }
        datagramOwners.clear();
    }
}
