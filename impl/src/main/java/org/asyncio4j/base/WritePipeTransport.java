package org.asyncio4j.base;

import java.util.Map;
import java.util.Objects;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.EventLoop;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.internal.Loggers;

/**
 * What the write pipe transports of both loops share: the buffer, CPython's transport flow control
 * ({@code transports._FlowControlMixin}, held as a {@code WriteFlowControl}) and the rules for writes after
 * close. How bytes reach the descriptor is the subclass's.
 */
public abstract class WritePipeTransport extends PipeTransport implements WriteTransport {
    /** After this many writes to a lost or closing pipe, each further one logs a warning (CPython's threshold). */
    static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    /** Bytes not yet handed to the OS. */
    protected final WriteBuffer buffer = new WriteBuffer();
    private final WriteFlowControl flowControl = new WriteFlowControl(this, this::getWriteBufferSize);
    private int connLost;

    /**
     * A write transport owning {@code fd} that will call {@code protocol}, with the default water marks.
     *
     * @param loop the loop that drives this transport
     * @param fd the descriptor, writable, which the transport owns and closes once the connection is lost
     * @param protocol the protocol to call
     * @throws NullPointerException if {@code loop} or {@code protocol} is null
     */
    protected WritePipeTransport(EventLoop loop, int fd, BaseProtocol protocol) {
        super(loop, fd, protocol);
    }

    /**
     * A write transport with extra information of its own instead of {@code "pipe"}: for socket transports.
     *
     * @param loop the loop that drives this transport
     * @param fd the descriptor, which the transport owns and closes once the connection is lost (-1 for none)
     * @param protocol the protocol to call
     * @param extraInfo the transport's extra information, copied
     * @throws NullPointerException if an argument is null
     */
    protected WritePipeTransport(EventLoop loop, int fd, BaseProtocol protocol, Map<String, ?> extraInfo) {
        super(loop, fd, protocol, extraInfo);
    }

    @Override
    public final void write(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            return;
        }
        if (connLost > 0 || isClosing()) {
            if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                Loggers.LOG.log(System.Logger.Level.WARNING, lostWriteWarning());
            }
            connLost++;
            return;
        }
        send(data);
    }

    /**
     * Sends or buffers {@code data}; calls {@link #maybePauseProtocol()} after buffering.
     *
     * @param data the bytes to send, not empty, still the caller's array (so what is buffered is copied);
     *        the transport is open
     */
    protected abstract void send(byte[] data);

    /** {@return what is logged for each write from the fifth one after the connection was lost} */
    protected String lostWriteWarning() {
        return "pipe closed by peer or os.write(pipe, data) raised exception.";
    }

    /** Counts a failed write, so that later writes are dropped (CPython's {@code _conn_lost += 1}). */
    protected final void countLostWrite() {
        connLost++;
    }

    /** Flushes, then closes: {@link #writeEof()} (a socket transport overrides it to stop reading too). */
    @Override
    public void close() {
        if (!isClosing()) {
            writeEof();
        }
    }

    @Override
    public final void abort() {
        forceClose(null);
    }

    @Override
    public final boolean canWriteEof() {
        return true;
    }

    @Override
    public final WriteBufferLimits getWriteBufferLimits() {
        return flowControl.limits();
    }

    @Override
    public final void setWriteBufferLimits(int high, int low) {
        flowControl.setLimits(high, low);
    }

    /** Pauses the protocol once the buffer is above the high-water mark (TRN-06). */
    protected final void maybePauseProtocol() {
        flowControl.maybePause();
    }

    /** Resumes a paused protocol once the buffer is at or below the low-water mark (TRN-06). */
    protected final void maybeResumeProtocol() {
        flowControl.maybeResume();
    }
}
