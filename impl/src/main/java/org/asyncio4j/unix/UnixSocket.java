package org.asyncio4j.unix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SocketFileCleanup;
import org.asyncio4j.internal.posix.SocketErrors;
import org.asyncio4j.internal.posix.SystemErrors;
import org.asyncio4j.internal.posix.UnixPaths;
import org.jspecify.annotations.Nullable;

/**
 * A socket of the selector loop: a raw non-blocking descriptor. It remembers the one {@code sockRecv} or
 * {@code sockAccept} and the one {@code sockSendall} or {@code sockConnect} waiting on it, so that closing it
 * fails them rather than leaving them to hang, and the transport that owns it, if any.
 */
final class UnixSocket implements LoopSocket {
    private final Posix posix = Posix.get();
    final SelectorEventLoop loop;
    final int fd;
    private final UnixSockets sockets;
    private boolean closed;
    /** The pending operation waiting for readability, or null. */
    @Nullable AsyncFuture<?> reading;
    /** The pending operation waiting for writability, or null. */
    @Nullable AsyncFuture<?> writing;
    /** The transport that owns this socket, or null. */
    @Nullable Object owner;
    /** Whether this is an AF_UNIX socket, whose addresses are paths. */
    final boolean unix;
    /** A listening Unix-domain socket's file to remove once closed, if it is still its own; or null. */
    private @Nullable SocketFileCleanup cleanup;

    UnixSocket(SelectorEventLoop loop, UnixSockets sockets, int fd, boolean unix) {
        this.loop = loop;
        this.sockets = sockets;
        this.fd = fd;
        this.unix = unix;
    }

    /** Once closed, removes the socket file at {@code path} if it is still the one bound now (CPython 3.13). */
    void cleanUpOnClose(String path) {
        cleanup = SocketFileCleanup.remember(path);
    }

    private void cleanUp() {
        SocketFileCleanup c = cleanup;
        cleanup = null;
        if (c != null) {
            c.run();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("socket is closed: " + this);
        }
    }

    @Override
    public void bind(InetSocketAddress address) throws IOException {
        checkOpen();
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        try {
            posix.bind(fd, address);
        } catch (PosixException e) {
            throw SocketErrors.of(e);
        }
    }

    @Override
    public void listen(int backlog) throws IOException {
        checkOpen();
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0: " + backlog);
        }
        try {
            posix.listen(fd, backlog);
        } catch (PosixException e) {
            throw SocketErrors.of(e);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        checkOpen();
        if (unix) {
            throw new IllegalStateException("a Unix-domain socket has no InetSocketAddress, see unixPath(): " + this);
        }
        try {
            return posix.localAddress(fd);
        } catch (PosixException e) {
            throw SystemErrors.illegalState("Cannot read the address of " + this, e);
        }
    }

    @Override
    public @Nullable InetSocketAddress remoteAddress() {
        if (closed || unix) {
            return null;
        }
        try {
            return posix.remoteAddress(fd);
        } catch (PosixException notConnected) {
            return null;
        }
    }

    @Override
    public @Nullable String unixPath() {
        if (!unix) {
            return null;
        }
        checkOpen();
        try {
            return UnixPaths.decode(posix.localUnixPath(fd));
        } catch (PosixException e) {
            throw SystemErrors.illegalState("Cannot read the path of " + this, e);
        }
    }

    @Override
    public @Nullable String unixPeerPath() {
        if (!unix || closed) {
            return null;
        }
        try {
            return UnixPaths.decode(posix.remoteUnixPath(fd));
        } catch (PosixException notConnected) {
            return null;
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Fails the operations still waiting on the socket, stops watching it and closes it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        failPending(reading);
        failPending(writing);
        reading = null; // their done callbacks must not touch the descriptor number, which may be reused
        writing = null;
        loop.removeReader(fd);
        loop.removeWriter(fd);
        sockets.forget(this);
        SystemErrors.closeQuietly(posix, fd);
        cleanUp();
    }

    private static void failPending(@Nullable AsyncFuture<?> pending) {
        if (pending != null && !pending.done()) {
            pending.setException(new SocketException("Socket closed"));
        }
    }

    /** Closes the descriptor of a socket whose loop is closing: nothing is watched any more. */
    void closeWithLoop() {
        closed = true;
        SystemErrors.closeQuietly(posix, fd);
        cleanUp();
    }

    @Override
    public String toString() {
        return "UnixSocket[fd=" + fd + (unix ? ", AF_UNIX" : "") + (closed ? ", closed" : "") + "]";
    }
}
