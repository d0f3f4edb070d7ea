package org.asyncio4j;

/**
 * The base of all transports: CPython's {@code asyncio.BaseTransport}.
 *
 * <p>A transport is bound to one loop and used from its thread. It owns its file descriptor and closes it
 * once its protocol's {@link BaseProtocol#connectionLost} has run.
 */
public interface BaseTransport {

    /**
     * Closes the transport: buffered data is still flushed, then the protocol's {@code connectionLost(null)}
     * is called, asynchronously. Idempotent.
     */
    void close();

    /** True once the transport is closing or closed. */
    boolean isClosing();

    /** Optional information about the transport (e.g. {@code "pipe"}: the file descriptor), or null. */
    default Object getExtraInfo(String key) {
        return getExtraInfo(key, null);
    }

    /** Optional information about the transport, or {@code defaultValue} when the transport has none. */
    Object getExtraInfo(String key, Object defaultValue);

    /** Replaces the protocol whose callbacks this transport calls. */
    void setProtocol(BaseProtocol protocol);

    /** The protocol whose callbacks this transport calls. */
    BaseProtocol getProtocol();
}
