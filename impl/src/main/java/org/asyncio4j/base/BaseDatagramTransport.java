package org.asyncio4j.base;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.DatagramTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.WriteTransport.WriteBufferLimits;
import org.asyncio4j.internal.Loggers;
import org.jspecify.annotations.Nullable;

/**
 * What the datagram transports of both loops share, CPython's {@code _SelectorDatagramTransport} without the
 * selector: {@code sendto}'s checks, the buffer of datagrams the kernel would not take at once, flow control at
 * the water marks (the stream transports' {@code WriteFlowControl}), errors of a send or receive going to
 * {@code errorReceived}, and closing (flush, then {@code connectionLost} once and last). How a datagram reaches
 * the socket, and how the loop learns it may send again or has received one, is the subclass's. Loop thread
 * only.
 */
public abstract class BaseDatagramTransport extends PipeTransport implements DatagramTransport {
    /** A datagram waiting for the socket to be writable, and where it goes (null: the connected peer). */
    private record Pending(byte[] data, @Nullable InetSocketAddress address) {}

    private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
    private final @Nullable InetSocketAddress address;
    private final boolean connected;
    private int bufferSize;
    private final WriteFlowControl flowControl = new WriteFlowControl(this, this::getWriteBufferSize);
    private int connLost;

    /**
     * A transport over {@code socket}.
     *
     * @param loop the loop that drives this transport
     * @param fd the socket's descriptor, or -1 where the loop has none
     * @param socket the socket, which the transport owns and closes once the connection is lost
     * @param protocol the protocol to call
     * @param address the address sendto insists on (CPython's {@code _address}), or null
     */
    protected BaseDatagramTransport(EventLoop loop, int fd, LoopSocket socket, DatagramProtocol protocol,
            @Nullable InetSocketAddress address) {
        super(loop, fd, protocol, extraInfo(socket));
        this.address = address;
        this.connected = getExtraInfo("peername") != null;
    }

    private static Map<String, Object> extraInfo(LoopSocket socket) {
        Map<String, Object> extra = new HashMap<>();
        extra.put("socket", socket);
        extra.put("sockname", socket.localAddress());
        InetSocketAddress peer = socket.remoteAddress();
        if (peer != null) {
            extra.put("peername", peer);
        }
        return extra;
    }

    /**
     * Schedules {@code connectionMade}, then receiving, then the completion of {@code waiter} with {@code value}.
     *
     * @param <R> the type of the waiter's result
     * @param waiter the future of {@code createDatagramEndpoint}, completed last
     * @param value its result
     */
    protected final <R> void begin(AsyncFuture<R> waiter, R value) {
        start(waiter, value);
    }

    @Override
    public final void sendto(byte[] data, @Nullable InetSocketAddress addr) {
        Objects.requireNonNull(data, "data");
        if (addr != null && addr.isUnresolved()) {
            throw new IllegalArgumentException("addr must be resolved: " + addr);
        }
        if (address != null) {
            if (addr != null && !addr.equals(address)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + address);
            }
            addr = address;
        } else if (addr == null) {
            throw new IllegalArgumentException("addr must be given: " + this + " has no remote address");
        }
        if (data.length == 0) {
            return; // CPython 3.11 sends no empty datagram
        }
        if (connLost > 0 || isClosing()) {
            if (connLost >= WritePipeTransport.LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                Loggers.LOG.log(System.Logger.Level.WARNING, "socket.send() raised exception.");
            }
            connLost++;
            return;
        }
        InetSocketAddress to = connected ? null : addr;
        if (buffer.isEmpty()) {
            try {
                if (trySend(data, to)) {
                    return;
                }
                awaitWritable();
            } catch (IOException e) {
                errorReceived(e);
                return;
            }
        }
        buffer.add(new Pending(data.clone(), to));
        bufferSize += data.length;
        flowControl.maybePause();
    }

    /**
     * Sends one datagram now if the kernel takes it.
     *
     * @param data the whole datagram
     * @param to its destination, or null for the connected peer
     * @return true if sent, false if the socket would block
     * @throws IOException naming the errno, for the protocol's {@code errorReceived}
     */
    protected abstract boolean trySend(byte[] data, @Nullable InetSocketAddress to) throws IOException;

    /** Asks to have {@link #writable()} called once the socket may take a datagram again. */
    protected abstract void awaitWritable();

    /** Stops what {@link #awaitWritable()} started; nothing if nothing was started. */
    protected abstract void stopAwaitingWritable();

    /** Stops receiving: the transport is closing. */
    protected abstract void stopReceiving();

    /** The socket is writable: sends what is buffered, in order, as CPython's {@code _sendto_ready}. */
    protected final void writable() {
        while (!buffer.isEmpty()) {
            Pending p = buffer.peek();
            try {
                if (!trySend(p.data(), p.address())) {
                    break;
                }
            } catch (IOException e) {
                buffer.poll();
                bufferSize -= p.data().length;
                errorReceived(e);
                return; // CPython returns with the writer still installed: the next readiness goes on
            }
            buffer.poll();
            bufferSize -= p.data().length;
        }
        flowControl.maybeResume();
        if (buffer.isEmpty()) {
            stopAwaitingWritable();
            if (isClosing()) {
                callConnectionLost(null);
            }
        } else {
            awaitWritable();
        }
    }

    /**
     * A datagram arrived: to the protocol, unless the transport is already lost.
     *
     * @param data the datagram
     * @param from its sender
     */
    protected final void received(byte[] data, InetSocketAddress from) {
        if (isConnectionLost()) {
            return;
        }
        ((DatagramProtocol) getProtocol()).datagramReceived(data, from);
    }

    /**
     * A send or receive failed: CPython's {@code error_received}, the transport stays open.
     *
     * @param e the error naming the errno
     */
    protected final void errorReceived(Exception e) {
        if (isConnectionLost()) {
            return;
        }
        ((DatagramProtocol) getProtocol()).errorReceived(e);
    }

    @Override
    public final void close() {
        if (isClosing()) {
            return;
        }
        markClosing();
        stopReceiving();
        if (buffer.isEmpty()) {
            connLost++;
            stopAwaitingWritable();
            scheduleConnectionLost(null);
        }
    }

    @Override
    public final void abort() {
        forceClose(null);
    }

    @Override
    protected final void forceClose(@Nullable Throwable exc) {
        if (isConnectionLost()) {
            return;
        }
        if (!buffer.isEmpty()) {
            buffer.clear();
            bufferSize = 0;
            stopAwaitingWritable();
        }
        if (!isClosing()) {
            markClosing();
            stopReceiving();
        }
        connLost++;
        scheduleConnectionLost(exc);
    }

    @Override
    public final int getWriteBufferSize() {
        return bufferSize;
    }

    @Override
    public final WriteBufferLimits getWriteBufferLimits() {
        return flowControl.limits();
    }

    @Override
    public final void setWriteBufferLimits(int high, int low) {
        flowControl.setLimits(high, low);
    }

    @Override
    protected final void startIo() {
        startReceiving();
    }

    /** Starts receiving datagrams, once {@code connectionMade} has run. */
    protected abstract void startReceiving();
}
