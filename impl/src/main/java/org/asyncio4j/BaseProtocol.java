package org.asyncio4j;

import org.jspecify.annotations.Nullable;

/**
 * The callbacks every protocol receives: CPython's {@code asyncio.BaseProtocol}. Each default does nothing.
 *
 * <p>Order (TRN rules): {@link #connectionMade} first and once; then the protocol's data callbacks;
 * {@link #connectionLost} exactly once and last. {@link #pauseWriting} and {@link #resumeWriting} alternate,
 * starting with pause. All are called on the loop's thread; an exception thrown by one goes to the loop's
 * exception handler.
 */
public interface BaseProtocol {

    /**
     * Called when the transport is ready, before any other callback: CPython's {@code connection_made}.
     *
     * @param transport the transport that calls this protocol; keep it to write or close
     */
    default void connectionMade(BaseTransport transport) {}

    /**
     * Called once, last: CPython's {@code connection_lost}. The transport closes its descriptor after it.
     *
     * @param exc null after a regular close, abort or end of file, else the error that ended the connection
     */
    default void connectionLost(@Nullable Throwable exc) {}

    /** The transport's write buffer went above its high-water mark: CPython's {@code pause_writing}. */
    default void pauseWriting() {}

    /** The transport's write buffer drained to its low-water mark or below: CPython's {@code resume_writing}. */
    default void resumeWriting() {}
}
