package org.asyncio4j;

/** A protocol for streamed data: CPython's {@code asyncio.Protocol}. */
public interface Protocol extends BaseProtocol {

    /**
     * Called with each chunk received: CPython's {@code data_received}.
     *
     * @param data the bytes received, never empty; the array is the protocol's to keep
     */
    default void dataReceived(byte[] data) {}

    /**
     * Called when the other end has sent its end of file: CPython's {@code eof_received}. Pipe transports
     * close regardless of the answer.
     *
     * @return true to keep the transport open for writing (where it can write), false to let it close
     */
    default boolean eofReceived() {
        return false;
    }
}
