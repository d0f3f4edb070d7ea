package org.asyncio4j.base;

import java.io.IOException;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.jspecify.annotations.Nullable;

/**
 * What the read pipe transports of both loops share: pausing and resuming, closing, and what a read's outcome
 * means to the protocol (a chunk goes to {@code dataReceived}; end of file calls {@code eofReceived}, then
 * {@code connectionLost(null)}; an error is fatal). CPython's {@code _UnixReadPipeTransport} and
 * {@code _ProactorReadPipeTransport} agree on all of this. How reads are driven is the subclass's: by readiness
 * on the selector loop, by one completed operation after another on the proactor.
 *
 * <p>Used on the loop's thread only.
 */
public abstract class ReadPipeTransport extends PipeTransport implements ReadTransport {
    private boolean paused;

    /**
     * A read transport owning {@code fd} that will call {@code protocol}.
     *
     * @param loop the loop that drives this transport
     * @param fd the descriptor, readable, which the transport owns and closes once the connection is lost
     * @param protocol the protocol to call
     * @throws NullPointerException if {@code loop} or {@code protocol} is null
     */
    protected ReadPipeTransport(EventLoop loop, int fd, Protocol protocol) {
        super(loop, fd, protocol);
    }

    /** Starts reading once connected, unless paused meanwhile (CPython's {@code _add_reader} checks the same). */
    @Override
    protected final void startIo() {
        if (!paused) {
            startReading();
        }
    }

    /** Starts or resumes reading: called when connected and on {@link #resumeReading()}, while open and not paused. */
    protected abstract void startReading();

    /** Stops asking for data: called on {@link #pauseReading()}, at end of file and on close. */
    protected abstract void stopReading();

    /** {@return true while reading is paused} */
    protected final boolean isPaused() {
        return paused;
    }

    /**
     * Hands a chunk to the protocol.
     *
     * @param data the bytes read, not empty; the protocol keeps the array
     */
    protected final void dataReceived(byte[] data) {
        ((Protocol) getProtocol()).dataReceived(data);
    }

    /** End of file: the transport closes, the protocol gets {@code eofReceived} and then {@code connectionLost(null)}. */
    protected final void endOfFile() {
        markClosing();
        stopReading();
        loop.callSoon(() -> ((Protocol) getProtocol()).eofReceived());
        scheduleConnectionLost(null);
    }

    /**
     * A read failed: the transport closes with {@code error} (CPython's "Fatal read error on pipe transport").
     *
     * @param error the failure, given to the protocol's {@code connectionLost}
     */
    protected final void readFailed(IOException error) {
        fatalError(error, "Fatal read error on pipe transport");
    }

    @Override
    public final boolean isReading() {
        return !paused && !isClosing();
    }

    @Override
    public final void pauseReading() {
        if (!isReading()) {
            return;
        }
        paused = true;
        stopReading();
    }

    @Override
    public final void resumeReading() {
        if (isClosing() || !paused) {
            return;
        }
        paused = false;
        startReading();
    }

    @Override
    public final void close() {
        if (!isClosing()) {
            forceClose(null);
        }
    }

    @Override
    protected final void forceClose(@Nullable Throwable exc) {
        markClosing();
        stopReading();
        scheduleConnectionLost(exc);
    }
}
