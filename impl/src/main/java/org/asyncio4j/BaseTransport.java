package org.asyncio4j;

import org.jspecify.annotations.Nullable;

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

    /** {@return true once the transport is closing or closed} CPython's {@code is_closing}. */
    boolean isClosing();

    /**
     * Optional information about the transport: CPython's {@code get_extra_info}. Pipe transports answer
     * {@code "pipe"} with their file descriptor, an {@link Integer}.
     *
     * @param key the name of the information
     * @return the value, or null when the transport has none for {@code key}
     */
    default @Nullable Object getExtraInfo(String key) {
        return getExtraInfo(key, null);
    }

    /**
     * Optional information about the transport, as {@link #getExtraInfo(String)}.
     *
     * @param key the name of the information
     * @param defaultValue what to return when the transport has no value for {@code key}; may be null
     * @return the value, or {@code defaultValue}
     */
    @Nullable Object getExtraInfo(String key, @Nullable Object defaultValue);

    /**
     * Replaces the protocol whose callbacks this transport calls: CPython's {@code set_protocol}.
     *
     * @param protocol the protocol to call from now on
     */
    void setProtocol(BaseProtocol protocol);

    /** {@return the protocol whose callbacks this transport calls} CPython's {@code get_protocol}. */
    BaseProtocol getProtocol();
}
