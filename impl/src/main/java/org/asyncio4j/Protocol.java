package org.asyncio4j;

/** A protocol for streamed data: CPython's {@code asyncio.Protocol}. */
public interface Protocol extends BaseProtocol {

    /** Called with each chunk received; the array is the protocol's to keep. */
    default void dataReceived(byte[] data) {}

    /**
     * Called when the other end has sent its end of file. Return true to keep the transport open for
     * writing (where it can write), false to let it close. Pipe transports close regardless.
     */
    default boolean eofReceived() {
        return false;
    }
}
