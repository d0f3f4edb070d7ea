package org.asyncio4j.base;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.Transport;
import org.jspecify.annotations.Nullable;

/**
 * What the socket transports of both loops share, whichever way they drive the socket: CPython's
 * {@code _SelectorTransport} and {@code _SelectorSocketTransport} rules for closing (flush, then
 * {@code connectionLost(null)}), aborting, half-closing ({@code writeEof} shuts the write side down once the
 * buffer is flushed; a peer's end of stream calls {@code eofReceived}, and the transport stays open for writing
 * only if that returns true), pausing reading, and the server's count of live connections. The write buffer,
 * the water marks and the rules for writes after close come from {@link WritePipeTransport}.
 *
 * <p>Extra information: {@code "socket"} (the {@link LoopSocket}), {@code "sockname"} and {@code "peername"}
 * (each an {@link InetSocketAddress}, or for a Unix-domain socket a {@code String} path). Subclasses are used on the loop's thread only.
 */
public abstract class SocketTransport extends WritePipeTransport implements Transport {
    /** The socket this transport owns and closes after {@code connectionLost}. */
    protected final LoopSocket socket;
    private final @Nullable BaseServer server;
    private boolean eofWritten;
    private boolean eofReceived;
    private boolean readingPaused;
    private boolean lostScheduled;
    /** CPython's {@code _empty_waiter}: set while {@code loop.sendfile} sends zero-copy on the socket. */
    private @Nullable AsyncFuture<@Nullable Void> emptyWaiter;

    /**
     * A transport owning {@code socket}, counted as a live connection of {@code server} until it is lost.
     *
     * @param loop the loop that drives this transport
     * @param fd the socket's descriptor, or -1 where the loop has none
     * @param socket the connected socket, which the transport owns from now on
     * @param protocol the protocol to call
     * @param server the server that accepted the connection, or null
     */
    protected SocketTransport(EventLoop loop, int fd, LoopSocket socket, Protocol protocol,
            @Nullable BaseServer server) {
        super(loop, fd, protocol, extraInfo(socket));
        this.socket = socket;
        this.server = server;
        if (server != null) {
            server.attach();
        }
    }

    private static Map<String, Object> extraInfo(LoopSocket socket) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("socket", socket);
        String path = socket.unixPath();
        if (path != null) {
            extra.put("sockname", path);
            String peerPath = socket.unixPeerPath();
            if (peerPath != null) {
                extra.put("peername", peerPath);
            }
            return extra;
        }
        extra.put("sockname", socket.localAddress());
        InetSocketAddress peer = socket.remoteAddress();
        if (peer != null) {
            extra.put("peername", peer);
        }
        return extra;
    }

    // ----- what a loop provides --------------------------------------------------------------------

    /** Starts delivering received data (to {@link #dataFromPeer} and {@link #endOfStreamFromPeer}). */
    protected abstract void startReading();

    /** Stops delivering received data. */
    protected abstract void stopReading();

    /** Stops flushing the buffer (it is being dropped). */
    protected abstract void stopWriting();

    /**
     * Sends or buffers {@code data} as {@link WritePipeTransport#send} describes.
     *
     * @param data the bytes to send, not empty, still the caller's array
     */
    protected abstract void sendOrBuffer(byte[] data);

    /** Shuts the socket's write side down ({@code shutdown(SHUT_WR)}); reports a failure itself. */
    protected abstract void shutdownOutput();

    // ----- what the loop's transport calls ---------------------------------------------------------

    /**
     * Starts the transport: {@code connectionMade}, then reading (unless the protocol paused reading in
     * {@code connectionMade}), then the completion of {@code waiter} with {@code value}.
     *
     * @param <R> the type of the waiter's result
     * @param waiter the future of the connect call, completed last
     * @param value the waiter's result
     */
    protected final <R> void startConnection(AsyncFuture<R> waiter, R value) {
        start(waiter, value);
    }

    @Override
    protected final void startIo() {
        if (isReading()) { // the protocol may have paused reading in connectionMade
            startReading();
        }
    }

    /**
     * Hands received bytes to the protocol; a protocol that throws is a fatal error (CPython's message).
     *
     * @param data the bytes received, not empty, the protocol's from now on
     */
    protected final void dataFromPeer(byte[] data) {
        try {
            ((Protocol) getProtocol()).dataReceived(data);
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.data_received() call failed.");
        }
    }

    /** The peer shut its write side down: {@code eofReceived}, then close unless it returned true. */
    protected final void endOfStreamFromPeer() {
        eofReceived = true;
        stopReading();
        boolean keepOpen;
        try {
            keepOpen = ((Protocol) getProtocol()).eofReceived();
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.eof_received() call failed.");
            return;
        }
        if (!keepOpen) {
            close();
        }
    }

    /**
     * The buffer is empty now: resume a paused protocol, then finish a close or a {@link #writeEof()} that was
     * waiting for the flush.
     */
    protected final void bufferFlushed() {
        maybeResumeProtocol();
        if (!buffer.isEmpty()) {
            return; // resumeWriting wrote more
        }
        if (emptyWaiter != null && !emptyWaiter.done()) {
            emptyWaiter.setResult(null);
        }
        if (isClosing()) {
            callConnectionLost(null);
        } else if (eofWritten) {
            shutdownOutput();
        }
    }

    /**
     * CPython's {@code _make_empty_waiter}: a future done once the write buffer is empty (at once if it is), failed
     * if the connection is lost first; writes are refused until {@link #resetEmptyWaiter()}.
     */
    AsyncFuture<@Nullable Void> makeEmptyWaiter() {
        AsyncFuture<@Nullable Void> waiter = loop.createFuture();
        emptyWaiter = waiter;
        if (buffer.isEmpty()) {
            waiter.setResult(null);
        }
        return waiter;
    }

    /** CPython's {@code _reset_empty_waiter}: writes are accepted again. */
    void resetEmptyWaiter() {
        emptyWaiter = null;
    }

    // ----- Transport ---------------------------------------------------------------------------

    @Override
    public final boolean isReading() {
        return !readingPaused && !isClosing();
    }

    @Override
    public final void pauseReading() {
        if (isClosing() || readingPaused) {
            return;
        }
        readingPaused = true;
        if (!eofReceived) {
            stopReading();
        }
    }

    @Override
    public final void resumeReading() {
        if (isClosing() || !readingPaused) {
            return;
        }
        readingPaused = false;
        if (!eofReceived) {
            startReading();
        }
    }

    /** Stops reading; once the buffer is flushed, {@code connectionLost(null)} and the socket is closed. */
    @Override
    public final void close() {
        if (isClosing()) {
            return;
        }
        markClosing();
        stopReading();
        if (buffer.isEmpty()) {
            lostScheduled = true;
            stopWriting();
            scheduleConnectionLost(null);
        }
    }

    /** Shuts the write side down once the buffer is flushed; reading goes on (a half-close). */
    @Override
    public final void writeEof() {
        if (isClosing() || eofWritten) {
            return;
        }
        eofWritten = true;
        if (buffer.isEmpty()) {
            shutdownOutput();
        }
    }

    /** @throws IllegalStateException "Cannot call write() after writeEof()", as CPython */
    @Override
    protected final void send(byte[] data) {
        if (eofWritten) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (emptyWaiter != null) {
            throw new IllegalStateException("unable to write; sendfile is in progress");
        }
        sendOrBuffer(data);
    }

    /** {@return true once {@link #writeEof()} was called} */
    protected final boolean isEofWritten() {
        return eofWritten;
    }

    @Override
    public final int getWriteBufferSize() {
        return buffer.size();
    }

    @Override
    protected final String lostWriteWarning() {
        return "socket.send() raised exception.";
    }

    @Override
    protected final void forceClose(@Nullable Throwable exc) {
        if (lostScheduled || isConnectionLost()) {
            return;
        }
        lostScheduled = true;
        if (emptyWaiter != null && !emptyWaiter.done()) {
            emptyWaiter.setException(new SocketException("Connection is closed by peer"));
        }
        if (!buffer.isEmpty()) {
            buffer.clear();
            stopWriting();
        }
        if (!isClosing()) {
            markClosing();
            stopReading();
        }
        scheduleConnectionLost(exc);
    }

    @Override
    protected final void releaseDescriptor() {
        stopReading();
        stopWriting();
        socket.close();
        if (server != null) {
            server.detach();
        }
    }
}
