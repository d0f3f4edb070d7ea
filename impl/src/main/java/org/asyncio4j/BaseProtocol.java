package org.asyncio4j;

/**
 * The callbacks every protocol receives: CPython's {@code asyncio.BaseProtocol}. Each default does nothing.
 *
 * <p>Order (TRN rules): {@link #connectionMade} first and once; then the protocol's data callbacks;
 * {@link #connectionLost} exactly once and last. {@link #pauseWriting} and {@link #resumeWriting} alternate,
 * starting with pause. All are called on the loop's thread; an exception thrown by one goes to the loop's
 * exception handler.
 */
public interface BaseProtocol {

    /** Called when the transport is ready, before any other callback. */
    default void connectionMade(BaseTransport transport) {}

    /**
     * Called once, last: {@code exc} is null after a regular close or end of file, else the error that
     * ended the connection.
     */
    default void connectionLost(Throwable exc) {}

    /** The transport's write buffer went above its high-water mark. */
    default void pauseWriting() {}

    /** The transport's write buffer drained to its low-water mark or below. */
    default void resumeWriting() {}
}
