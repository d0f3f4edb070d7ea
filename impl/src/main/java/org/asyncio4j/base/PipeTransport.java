package org.asyncio4j.base;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.internal.Loggers;
import org.jspecify.annotations.Nullable;

/**
 * What every pipe transport shares, whichever loop drives it: the protocol, the descriptor it owns, extra
 * information ({@code "pipe"}: the descriptor), CPython's connection-lost bookkeeping and fatal-error
 * reporting (CPython's {@code _UnixReadPipeTransport} and {@code _UnixWritePipeTransport} common parts).
 *
 * <p>Subclasses are used on the loop's thread only.
 */
public abstract class PipeTransport implements BaseTransport {
    /** The loop that drives this transport. */
    protected final EventLoop loop;
    /** The descriptor this transport owns. */
    protected final int fd;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private BaseProtocol protocol;
    private boolean closing;
    private boolean connectionLost;

    /**
     * A transport owning {@code fd} that will call {@code protocol}; it answers {@code "pipe"} with {@code fd}.
     *
     * @param loop the loop that drives this transport
     * @param fd the descriptor, which the transport owns and closes once the connection is lost
     * @param protocol the protocol to call
     * @throws NullPointerException if {@code loop} or {@code protocol} is null
     */
    protected PipeTransport(EventLoop loop, int fd, BaseProtocol protocol) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.fd = fd;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        extra.put("pipe", fd);
    }

    /**
     * A transport owning {@code fd} that answers {@link #getExtraInfo} from {@code extraInfo} instead of
     * {@code "pipe"}: for socket transports.
     *
     * @param loop the loop that drives this transport
     * @param fd the descriptor, which the transport owns and closes once the connection is lost (-1 for none)
     * @param protocol the protocol to call
     * @param extraInfo the transport's extra information, copied
     * @throws NullPointerException if an argument is null
     */
    protected PipeTransport(EventLoop loop, int fd, BaseProtocol protocol, Map<String, ?> extraInfo) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.fd = fd;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        extra.putAll(extraInfo);
    }

    /**
     * Schedules, in this order on the loop: {@code connectionMade} (TRN-01), then {@link #startIo()}, then the
     * completion of {@code waiter} with {@code value}. A waiter cancelled meanwhile closes the transport
     * (CPython's {@code connect_read_pipe} does the same when its await is cancelled).
     *
     * @param <R> the type of the waiter's result
     * @param waiter the future of the connect call, completed last
     * @param value the waiter's result
     */
    final <R> void start(AsyncFuture<R> waiter, R value) {
        loop.callSoon(() -> protocol.connectionMade(this));
        loop.callSoon(() -> {
            if (!closing) {
                startIo();
            }
        });
        loop.callSoon(() -> {
            if (waiter.cancelled()) {
                close();
            } else {
                waiter.setResult(value);
            }
        });
    }

    @Override
    public final @Nullable Object getExtraInfo(String key, @Nullable Object defaultValue) {
        return extra.getOrDefault(key, defaultValue);
    }

    @Override
    public final void setProtocol(BaseProtocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public final BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public final boolean isClosing() {
        return closing;
    }

    /** Marks the transport closing; nothing but {@code connectionLost} reaches the protocol afterwards. */
    protected final void markClosing() {
        closing = true;
    }

    /**
     * Schedules {@link #callConnectionLost(Throwable)} (CPython: {@code call_soon(_call_connection_lost, exc)}).
     *
     * @param exc what the protocol's {@code connectionLost} gets: null for a regular close
     */
    protected final void scheduleConnectionLost(@Nullable Throwable exc) {
        loop.callSoon(() -> callConnectionLost(exc));
    }

    /**
     * Calls the protocol's {@code connectionLost(exc)} once (TRN-04), then releases the descriptor, even if
     * the protocol threw (its exception goes on to the loop's exception handler).
     *
     * @param exc what the protocol's {@code connectionLost} gets: null for a regular close
     */
    protected final void callConnectionLost(@Nullable Throwable exc) {
        if (connectionLost) {
            return;
        }
        connectionLost = true;
        try {
            protocol.connectionLost(exc);
        } finally {
            releaseDescriptor();
        }
    }

    /** {@return true once {@code connectionLost} has been called} */
    protected final boolean isConnectionLost() {
        return connectionLost;
    }

    /** Starts reading, or watching for the read end to close, once connected; not called if closed meanwhile. */
    protected abstract void startIo();

    /** Stops all I/O on {@link #fd} and closes it. Called once. */
    protected abstract void releaseDescriptor();

    /**
     * Closes at once, dropping buffered data (CPython's {@code _close(exc)}).
     *
     * @param exc what the protocol's {@code connectionLost} gets: null for an abort
     */
    protected abstract void forceClose(@Nullable Throwable exc);

    /**
     * CPython's {@code _fatal_error}: an OS error ({@link IOException}) is only logged in debug mode, anything
     * else goes to the loop's exception handler with {@code message}; then the transport closes with it.
     *
     * @param exc the error, given to the protocol's {@code connectionLost}
     * @param message the context's {@code "message"}, e.g. "Fatal read error on pipe transport"
     */
    protected final void fatalError(Throwable exc, String message) {
        if (exc instanceof IOException) {
            if (loop.getDebug()) {
                Loggers.LOG.log(Level.DEBUG, this + ": " + message, exc);
            }
        } else {
            Map<String, Object> context = new HashMap<>();
            context.put("message", message);
            context.put("exception", exc);
            context.put("transport", this);
            context.put("protocol", protocol);
            loop.callExceptionHandler(context);
        }
        forceClose(exc);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd=" + fd + (connectionLost ? ", closed" : closing ? ", closing" : "")
                + "]";
    }
}
