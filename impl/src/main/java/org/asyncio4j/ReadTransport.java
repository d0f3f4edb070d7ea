package org.asyncio4j;

/** A transport that receives data: CPython's {@code asyncio.ReadTransport}. */
public interface ReadTransport extends BaseTransport {

    /** {@return true if the transport is receiving: neither paused nor closing} CPython's {@code is_reading}. */
    boolean isReading();

    /** Stops calling {@link Protocol#dataReceived} until {@link #resumeReading()}; no-op if not reading. */
    void pauseReading();

    /** Resumes calling {@link Protocol#dataReceived}; no-op if not paused or closing. */
    void resumeReading();
}
