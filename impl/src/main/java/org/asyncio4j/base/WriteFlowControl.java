package org.asyncio4j.base;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.WriteTransport.WriteBufferLimits;

/**
 * CPython's {@code transports._FlowControlMixin}, held by every write side (stream and datagram transports of
 * both loops): the water marks of the write buffer, their validation, and pausing the protocol's writing above
 * the high mark until the buffer drains to the low mark. A failing {@code pauseWriting}/{@code resumeWriting}
 * goes to the loop's exception handler. Loop thread only.
 */
final class WriteFlowControl {
    private final PipeTransport transport;
    private final IntSupplier bufferSize;
    private int highWater = WriteTransport.DEFAULT_HIGH_WATER;
    private int lowWater = WriteTransport.DEFAULT_HIGH_WATER / 4;
    private boolean protocolPaused;

    /**
     * Flow control for {@code transport}, with the default water marks.
     *
     * @param transport the transport whose protocol is paused and resumed
     * @param bufferSize the transport's write buffer size, read at each check
     */
    WriteFlowControl(PipeTransport transport, IntSupplier bufferSize) {
        this.transport = transport;
        this.bufferSize = bufferSize;
    }

    /** {@return the current water marks} */
    WriteBufferLimits limits() {
        return new WriteBufferLimits(lowWater, highWater);
    }

    /**
     * Sets the water marks, then pauses the protocol if the buffer is already above the new high mark.
     *
     * @param high the high-water mark
     * @param low the low-water mark
     * @throws IllegalArgumentException unless {@code high >= low >= 0}, naming both values
     */
    void setLimits(int high, int low) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        highWater = high;
        lowWater = low;
        maybePause();
    }

    /** Pauses the protocol once the buffer is above the high-water mark (TRN-06). */
    void maybePause() {
        if (bufferSize.getAsInt() <= highWater || protocolPaused) {
            return;
        }
        protocolPaused = true;
        try {
            transport.getProtocol().pauseWriting();
        } catch (RuntimeException e) {
            reportFailure("protocol.pauseWriting() failed", e);
        }
    }

    /** Resumes a paused protocol once the buffer is at or below the low-water mark (TRN-06). */
    void maybeResume() {
        if (!protocolPaused || bufferSize.getAsInt() > lowWater) {
            return;
        }
        protocolPaused = false;
        try {
            transport.getProtocol().resumeWriting();
        } catch (RuntimeException e) {
            reportFailure("protocol.resumeWriting() failed", e);
        }
    }

    private void reportFailure(String message, RuntimeException e) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", message);
        context.put("exception", e);
        context.put("transport", transport);
        context.put("protocol", transport.getProtocol());
        transport.loop.callExceptionHandler(context);
    }
}
