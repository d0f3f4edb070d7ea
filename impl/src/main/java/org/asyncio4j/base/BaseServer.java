package org.asyncio4j.base;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.Server;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SocketErrors;
import org.asyncio4j.internal.posix.UnixPaths;
import org.jspecify.annotations.Nullable;

/**
 * CPython's {@code base_events.Server} on any loop: each listening socket accepts one connection after another
 * through the loop's {@code sockAccept}, and each connection gets a transport from the loop's
 * {@link SocketSupport}. Accepted transports {@link #attach()} and {@link #detach()} themselves, so that
 * {@link #waitClosed()} knows when the last one is lost. Used on the loop's thread.
 */
public final class BaseServer implements Server {
    /** CPython's {@code constants.ACCEPT_RETRY_DELAY}: how long to wait after accept ran out of resources. */
    static final double ACCEPT_RETRY_DELAY = 1.0;

    private final EventLoop loop;
    private final SocketSupport support;
    private final Supplier<? extends Protocol> protocolFactory;
    private @Nullable List<LoopSocket> sockets;
    private final Map<LoopSocket, AsyncFuture<LoopSocket>> accepting = new IdentityHashMap<>();
    private final List<AsyncFuture<@Nullable Void>> closeWaiters = new ArrayList<>();
    private @Nullable AsyncFuture<@Nullable Void> servingForever;
    private int active;
    private boolean serving;

    /**
     * A server over listening sockets, not yet serving.
     *
     * @param loop the loop the server runs on
     * @param support the loop's socket transports
     * @param protocolFactory makes a protocol for each accepted connection
     * @param sockets the listening sockets, which the server owns from now on
     */
    public BaseServer(EventLoop loop, SocketSupport support, Supplier<? extends Protocol> protocolFactory,
            List<LoopSocket> sockets) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.support = Objects.requireNonNull(support, "support");
        this.protocolFactory = Objects.requireNonNull(protocolFactory, "protocolFactory");
        this.sockets = List.copyOf(sockets);
    }

    /** A transport of this server's is live: counted until {@link #detach()}. */
    void attach() {
        active++;
    }

    /** A transport of this server's lost its connection. */
    void detach() {
        active--;
        if (active == 0 && sockets == null) {
            wakeUp();
        }
    }

    @Override
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public AsyncFuture<@Nullable Void> startServing() {
        List<LoopSocket> listening = open();
        if (!serving) {
            serving = true;
            for (LoopSocket socket : listening) {
                acceptNext(socket);
            }
        }
        AsyncFuture<@Nullable Void> done = loop.createFuture();
        done.setResult(null);
        return done;
    }

    @Override
    public AsyncFuture<@Nullable Void> serveForever() {
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        startServing();
        AsyncFuture<@Nullable Void> forever = loop.createFuture();
        servingForever = forever;
        forever.addDoneCallback(f -> {
            servingForever = null;
            close();
        });
        return forever;
    }

    private List<LoopSocket> open() {
        List<LoopSocket> listening = sockets;
        if (listening == null) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        return listening;
    }

    private void acceptNext(LoopSocket socket) {
        if (!serving) {
            return;
        }
        AsyncFuture<LoopSocket> next = loop.sockAccept(socket);
        accepting.put(socket, next);
        next.addDoneCallback(f -> accepted(socket, f));
    }

    private void accepted(LoopSocket socket, AsyncFuture<LoopSocket> f) {
        accepting.remove(socket);
        if (f.cancelled()) {
            return;
        }
        Throwable failure = f.exception();
        if (failure != null) {
            if (!serving) {
                return;
            }
            acceptFailed(socket, failure);
            return;
        }
        LoopSocket connection = f.result();
        if (!serving) {
            connection.close();
            return;
        }
        try {
            support.connectSocket(protocolFactory, connection, this);
        } catch (RuntimeException e) {
            connection.close();
            report("Error on transport creation for incoming connection", e);
        }
        acceptNext(socket);
    }

    /**
     * CPython's {@code _accept_connection}: out of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM), the
     * error is reported and the socket tried again after {@link #ACCEPT_RETRY_DELAY}, so the loop does not spin
     * while nothing can be accepted; a connection aborted before it was accepted is skipped; any other error is
     * reported (CPython's loop logs what the accept raised) and the server keeps accepting.
     */
    private void acceptFailed(LoopSocket socket, Throwable failure) {
        switch (SocketErrors.errnoOf(failure)) {
            case PosixException.EMFILE, PosixException.ENFILE, PosixException.ENOBUFS, PosixException.ENOMEM -> {
                report("socket.accept() out of system resource", failure);
                loop.callLater(ACCEPT_RETRY_DELAY, () -> acceptNext(socket));
            }
            case PosixException.ECONNABORTED -> acceptNext(socket);
            default -> {
                report("Error accepting a connection", failure);
                acceptNext(socket);
            }
        }
    }

    private void report(String message, Throwable exc) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", message);
        context.put("exception", exc);
        context.put("server", this);
        loop.callExceptionHandler(context);
    }

    @Override
    public void close() {
        List<LoopSocket> listening = sockets;
        if (listening == null) {
            return;
        }
        sockets = null;
        serving = false;
        for (AsyncFuture<LoopSocket> pending : List.copyOf(accepting.values())) {
            pending.cancel();
        }
        accepting.clear();
        for (LoopSocket socket : listening) {
            socket.close();
        }
        AsyncFuture<@Nullable Void> forever = servingForever;
        if (forever != null && !forever.done()) {
            forever.cancel();
        }
        if (active == 0) {
            wakeUp();
        }
    }

    private void wakeUp() {
        for (AsyncFuture<@Nullable Void> waiter : closeWaiters) {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        }
        closeWaiters.clear();
    }

    @Override
    public AsyncFuture<@Nullable Void> waitClosed() {
        AsyncFuture<@Nullable Void> waiter = loop.createFuture();
        if (sockets == null && active == 0) {
            waiter.setResult(null);
        } else {
            closeWaiters.add(waiter);
        }
        return waiter;
    }

    @Override
    public List<LoopSocket> sockets() {
        List<LoopSocket> listening = sockets;
        return listening == null ? List.of() : listening;
    }

    @Override
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (LoopSocket socket : sockets()) {
            if (socket.unixPath() == null) {
                addresses.add(socket.localAddress());
            }
        }
        return addresses;
    }

    @Override
    public String toString() {
        List<LoopSocket> listening = sockets;
        if (listening == null) {
            return "Server[closed, " + active + " connections]";
        }
        List<String> names = new ArrayList<>();
        for (LoopSocket socket : listening) {
            String path = socket.unixPath();
            names.add(path != null ? UnixPaths.display(path) : String.valueOf(socket.localAddress()));
        }
        return "Server" + names + (serving ? "[serving]" : "");
    }
}
