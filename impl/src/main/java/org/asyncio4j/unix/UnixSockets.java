package org.asyncio4j.unix;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
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
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SocketErrors;
import org.asyncio4j.internal.posix.UnixPaths;
import org.asyncio4j.internal.posix.SystemErrors;
import org.jspecify.annotations.Nullable;

/**
 * The selector loop's sockets: CPython's {@code sock_*} methods of {@code selector_events}, which try the call
 * at once and otherwise wait for readiness on the epoll, and its socket transports and listening sockets. It
 * keeps the sockets that transports and servers own, so that a loop closed with some still open closes their
 * descriptors (with a {@code ResourceWarning}, as CPython's unclosed transports give). Loop thread only.
 */
final class UnixSockets implements SocketSupport {
    /** Bytes received per readiness, at most: the libc seam's chunk. */
    static final int MAX_SIZE = 64 * 1024;
    /** The most one {@code sendfile(2)} call is asked for (CPython's {@code 0xffff_ffff}, within Linux's cap). */
    private static final long MAX_SENDFILE_BLOCK = 0x7fff_f000L;

    private final Posix posix = Posix.get();
    private final SelectorEventLoop loop;
    private final Set<UnixSocket> owned = new LinkedHashSet<>();
    /** One receive buffer for all the loop's transports: they run one at a time, on the loop's thread. */
    final byte[] scratch = new byte[MAX_SIZE];

    UnixSockets(SelectorEventLoop loop) {
        this.loop = loop;
    }

    @Override
    public LoopSocket openSocket(StandardProtocolFamily family) throws IOException {
        Objects.requireNonNull(family, "family");
        int af = switch (family) {
            case INET -> Posix.AF_INET;
            case INET6 -> Posix.AF_INET6;
            default -> throw new IllegalArgumentException("family must be INET or INET6: " + family);
        };
        try {
            return new UnixSocket(loop, this, posix.socket(af, Posix.SOCK_STREAM), false);
        } catch (PosixException e) {
            throw SocketErrors.of(e);
        }
    }

    /** {@code sock} as this loop's open socket, not owned by a transport. */
    private UnixSocket own(LoopSocket sock) {
        Objects.requireNonNull(sock, "sock");
        if (!(sock instanceof UnixSocket s) || s.loop != loop) {
            throw new IllegalArgumentException("sock is not a socket of " + loop + ": " + sock);
        }
        if (s.isClosed()) {
            throw new IllegalArgumentException("sock is closed: " + sock);
        }
        if (s.owner != null) {
            throw new IllegalStateException("File descriptor " + s.fd + " is used by transport " + s.owner);
        }
        return s;
    }

    @Override
    public AsyncFuture<byte[]> sockRecv(LoopSocket sock, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        UnixSocket s = own(sock);
        AsyncFuture<byte[]> result = loop.createFuture();
        byte[] buf = new byte[Math.min(n, MAX_SIZE)];
        BooleanSupplier attempt = () -> {
            int got;
            try {
                got = n == 0 ? 0 : posix.recv(s.fd, buf, 0, buf.length);
            } catch (PosixException e) {
                result.setException(SocketErrors.of(e));
                return true;
            }
            if (got < 0) {
                return false;
            }
            result.setResult(Arrays.copyOf(buf, got));
            return true;
        };
        if (!attempt.getAsBoolean()) {
            waitFor(s, true, result, attempt);
        }
        return result;
    }

    @Override
    public AsyncFuture<@Nullable Void> sockSendall(LoopSocket sock, byte[] data) {
        Objects.requireNonNull(data, "data");
        UnixSocket s = own(sock);
        byte[] copy = data.clone();
        int[] sent = {0};
        AsyncFuture<@Nullable Void> result = loop.createFuture();
        BooleanSupplier attempt = () -> {
            try {
                int n;
                while (sent[0] < copy.length && (n = posix.send(s.fd, copy, sent[0], copy.length - sent[0])) >= 0) {
                    sent[0] += n;
                }
            } catch (PosixException e) {
                result.setException(SocketErrors.of(e));
                return true;
            }
            if (sent[0] < copy.length) {
                return false;
            }
            result.setResult(null);
            return true;
        };
        if (!attempt.getAsBoolean()) {
            waitFor(s, false, result, attempt);
        }
        return result;
    }

    @Override
    public AsyncFuture<@Nullable Void> sockConnect(LoopSocket sock, InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        UnixSocket s = own(sock);
        return connect(s, () -> posix.connect(s.fd, address), address.toString());
    }

    /**
     * CPython's {@code sock_connect}: {@code call} connects at once, or the connection goes on until the socket
     * is writable and its SO_ERROR says how it ended.
     */
    private AsyncFuture<@Nullable Void> connect(UnixSocket s, BooleanSupplier call, String what) {
        AsyncFuture<@Nullable Void> result = loop.createFuture();
        boolean connected;
        try {
            connected = call.getAsBoolean();
        } catch (PosixException e) {
            result.setException(SocketErrors.of(e));
            return result;
        }
        if (connected) {
            result.setResult(null);
            return result;
        }
        waitFor(s, false, result, () -> {
            int error;
            try {
                error = posix.socketError(s.fd);
            } catch (PosixException e) {
                result.setException(SocketErrors.of(e));
                return true;
            }
            if (error == 0) {
                result.setResult(null);
            } else {
                result.setException(SocketErrors.of("connect", error, what));
            }
            return true;
        });
        return result;
    }

    @Override
    public AsyncFuture<LoopSocket> connectUnix(String path) {
        byte[] bytes = UnixPaths.encode(path);
        UnixSocket s;
        try {
            s = new UnixSocket(loop, this, posix.socket(Posix.AF_UNIX, Posix.SOCK_STREAM), true);
        } catch (PosixException e) {
            AsyncFuture<LoopSocket> failed = loop.createFuture();
            failed.setException(SocketErrors.of(e));
            return failed;
        }
        AsyncFuture<@Nullable Void> connecting =
                connect(s, () -> posix.connectUnix(s.fd, bytes), UnixPaths.display(path));
        return SocketConnector.connected(loop, s, connecting);
    }

    @Override
    public AsyncFuture<LoopSocket> sockAccept(LoopSocket sock) {
        UnixSocket s = own(sock);
        AsyncFuture<LoopSocket> result = loop.createFuture();
        BooleanSupplier attempt = () -> {
            int conn;
            try {
                conn = posix.accept(s.fd);
            } catch (PosixException e) {
                result.setException(SocketErrors.of(e));
                return true;
            }
            if (conn < 0) {
                return false;
            }
            result.setResult(new UnixSocket(loop, this, conn, s.unix));
            return true;
        };
        if (!attempt.getAsBoolean()) {
            waitFor(s, true, result, attempt);
        }
        return result;
    }

    /**
     * Retries {@code attempt} on each readiness until it completes {@code result}; a cancelled result stops
     * watching at once. One operation per direction: a second is refused rather than left waiting forever.
     */
    private void waitFor(UnixSocket s, boolean readable, AsyncFuture<?> result, BooleanSupplier attempt) {
        AsyncFuture<?> waiting = readable ? s.reading : s.writing;
        if (waiting != null && !waiting.done()) {
            throw new IllegalStateException("another " + (readable ? "sockRecv or sockAccept" : "sockSendall or "
                    + "sockConnect") + " is waiting on " + s);
        }
        // A cancelled call whose clean-up callback has not run yet is replaced now; its callback then finds
        // another operation registered and leaves it alone.
        if (waiting != null && readable) {
            s.reading = null;
            loop.removeReader(s.fd);
        } else if (waiting != null) {
            s.writing = null;
            loop.removeWriter(s.fd);
        }
        Runnable stop = () -> {
            if (readable && s.reading == result) {
                s.reading = null;
                loop.removeReader(s.fd);
            } else if (!readable && s.writing == result) {
                s.writing = null;
                loop.removeWriter(s.fd);
            }
        };
        Runnable ready = () -> {
            if (result.done() || attempt.getAsBoolean()) {
                stop.run();
            }
        };
        if (readable) {
            s.reading = result;
            loop.addReader(s.fd, ready);
        } else {
            s.writing = result;
            loop.addWriter(s.fd, ready);
        }
        result.addDoneCallback(done -> stop.run());
    }

    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock) {
        return connectSocket(protocolFactory, sock, null);
    }

    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock, @Nullable BaseServer server) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        UnixSocket s = own(sock);
        if (s.reading != null || s.writing != null) {
            throw new IllegalStateException("a socket operation is still waiting on " + s);
        }
        P protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        try {
            posix.setSocketOption(s.fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, 1);
        } catch (PosixException notTcp) {
            // CPython's _set_nodelay ignores sockets that are not TCP
        }
        UnixSocketTransport transport = new UnixSocketTransport(loop, this, s, protocol, server);
        s.owner = transport;
        owned.add(s);
        AsyncFuture<TransportAndProtocol<Transport, P>> result = loop.createFuture();
        transport.begin(result, new TransportAndProtocol<Transport, P>(transport, protocol));
        return result;
    }

    @Override
    public LoopSocket listen(InetSocketAddress address, ServerOptions options) throws IOException {
        boolean v6 = address.getAddress() instanceof Inet6Address;
        UnixSocket s = (UnixSocket) openSocket(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (options.reuseAddress()) {
                posix.setSocketOption(s.fd, Posix.SOL_SOCKET, Posix.SO_REUSEADDR, 1);
            }
            if (options.reusePort()) {
                posix.setSocketOption(s.fd, Posix.SOL_SOCKET, Posix.SO_REUSEPORT, 1);
            }
            if (v6) {
                posix.setSocketOption(s.fd, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 1);
            }
            s.bind(address);
            s.listen(options.backlog());
        } catch (PosixException e) {
            s.close();
            throw SocketErrors.of(e);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        owned.add(s);
        return s;
    }

    @Override
    public LoopSocket listenUnix(String path, UnixServerOptions options) throws IOException {
        byte[] bytes = UnixPaths.encode(path);
        UnixSocket s;
        try {
            s = new UnixSocket(loop, this, posix.socket(Posix.AF_UNIX, Posix.SOCK_STREAM), true);
        } catch (PosixException e) {
            throw SocketErrors.of(e);
        }
        try {
            posix.bindUnix(s.fd, bytes);
            if (options.cleanupSocket() && !UnixPaths.isAbstract(path)) {
                s.cleanUpOnClose(path);
            }
            posix.listen(s.fd, options.backlog());
        } catch (PosixException e) {
            s.close();
            throw SocketErrors.of(e);
        }
        owned.add(s);
        return s;
    }

    // ----- UDP, sockRecvInto and sendfile (issue 14, second phase) ---------------------------------------------

    @Override
    public AsyncFuture<Integer> sockRecvInto(LoopSocket sock, ByteBuffer buf) {
        Objects.requireNonNull(buf, "buf");
        if (buf.isReadOnly()) {
            throw new IllegalArgumentException("buf must be writable: " + buf);
        }
        UnixSocket s = own(sock);
        AsyncFuture<Integer> result = loop.createFuture();
        BooleanSupplier attempt = () -> {
            int got;
            try {
                got = buf.hasRemaining() ? posix.recv(s.fd, scratch, 0, Math.min(buf.remaining(), MAX_SIZE)) : 0;
            } catch (PosixException e) {
                result.setException(SocketErrors.of(e));
                return true;
            }
            if (got < 0) {
                return false;
            }
            buf.put(scratch, 0, got);
            result.setResult(got);
            return true;
        };
        if (!attempt.getAsBoolean()) {
            waitFor(s, true, result, attempt);
        }
        return result;
    }

    /** {@code sendfile(2)} from the file to the socket, waiting for writability when the socket is full. */
    @Override
    public AsyncFuture<Long> sockSendfileNative(LoopSocket sock, Path path, long offset, @Nullable Long count,
            @Nullable SocketTransport owner) {
        UnixSocket s = owner == null ? own(sock) : (UnixSocket) sock;
        AsyncFuture<Long> result = loop.createFuture();
        int fileFd;
        try {
            fileFd = posix.open(path.toString(), Posix.O_RDONLY);
        } catch (PosixException e) {
            result.setException(new IOException(e.getMessage()));
            return result;
        }
        result.addDoneCallback(r -> SystemErrors.closeQuietly(posix, fileFd));
        long end = count == null ? Long.MAX_VALUE : offset + count;
        long[] sent = {0};
        BooleanSupplier attempt = () -> {
            try {
                while (true) {
                    long block = Math.min(end - offset - sent[0], MAX_SENDFILE_BLOCK);
                    if (block <= 0) {
                        break;
                    }
                    long n = posix.sendfile(s.fd, fileFd, offset + sent[0], block);
                    if (n < 0) {
                        return false;
                    }
                    if (n == 0) {
                        break; // end of the file
                    }
                    sent[0] += n;
                }
            } catch (PosixException e) {
                result.setException(sent[0] == 0
                        ? new SendfileNotAvailableException("sendfile call failed: " + e.getMessage())
                        : SocketErrors.of(e));
                return true;
            }
            result.setResult(sent[0]);
            return true;
        };
        if (!attempt.getAsBoolean()) {
            waitFor(s, false, result, attempt);
        }
        return result;
    }

    @Override
    public LoopSocket openDatagramSocket(StandardProtocolFamily family, DatagramOptions options,
            @Nullable InetSocketAddress local, @Nullable InetSocketAddress remote) throws IOException {
        UnixSocket s;
        try {
            s = new UnixSocket(loop, this, posix.socket(family == StandardProtocolFamily.INET6 ? Posix.AF_INET6
                    : Posix.AF_INET, Posix.SOCK_DGRAM), false);
        } catch (PosixException e) {
            throw SocketErrors.of(e);
        }
        try {
            if (options.reusePort()) {
                posix.setSocketOption(s.fd, Posix.SOL_SOCKET, Posix.SO_REUSEPORT, 1);
            }
            if (options.allowBroadcast()) {
                posix.setSocketOption(s.fd, Posix.SOL_SOCKET, Posix.SO_BROADCAST, 1);
            }
            if (local != null) {
                posix.bind(s.fd, local);
            }
            if (remote != null) {
                posix.connect(s.fd, remote); // a UDP connect completes at once
            }
        } catch (PosixException e) {
            s.close();
            throw SocketErrors.of(e);
        }
        return s;
    }

    @Override
    public <P extends DatagramProtocol> AsyncFuture<TransportAndProtocol<DatagramTransport, P>> connectDatagramSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock, @Nullable InetSocketAddress address) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        UnixSocket s = own(sock);
        P protocol;
        try {
            protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        UnixDatagramTransport transport = new UnixDatagramTransport(loop, s, protocol, address);
        s.owner = transport;
        owned.add(s);
        AsyncFuture<TransportAndProtocol<DatagramTransport, P>> result = loop.createFuture();
        transport.open(result, new TransportAndProtocol<DatagramTransport, P>(transport, protocol));
        return result;
    }

    /** {@code s} is closed: the loop need not close it. */
    void forget(UnixSocket s) {
        owned.remove(s);
    }

    /** The loop is closing: closes what transports and servers still own, each with a ResourceWarning. */
    void closeAll() {
        for (UnixSocket s : new ArrayList<>(owned)) {
            Loggers.warn("ResourceWarning", "unclosed " + (s.owner != null ? "transport " + s.owner : "server socket " + s));
            s.closeWithLoop();
        }
        owned.clear();
    }
}
