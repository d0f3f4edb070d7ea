package org.asyncio4j;

import java.net.InetSocketAddress;
import org.asyncio4j.WriteTransport.WriteBufferLimits;
import org.jspecify.annotations.Nullable;

/**
 * A UDP endpoint: CPython's {@code asyncio.DatagramTransport}. It answers {@code "socket"} (the
 * {@link LoopSocket}), {@code "sockname"} and {@code "peername"} (null unless connected) in
 * {@link #getExtraInfo}. A datagram the kernel cannot take at once is buffered and sent when the socket is
 * writable, with the protocol paused above the high-water mark, as CPython does.
 */
public interface DatagramTransport extends BaseTransport {

    /**
     * Sends {@code data} to the connected peer: CPython's {@code sendto(data)}.
     *
     * @param data the datagram (copied if buffered); an empty one is not sent, as in CPython 3.11
     * @throws IllegalArgumentException if the endpoint has no remote address
     */
    default void sendto(byte[] data) {
        sendto(data, null);
    }

    /**
     * Sends {@code data} to {@code addr}: CPython's {@code sendto(data, addr)}. An OS error of the send goes to the
     * protocol's {@code errorReceived}; after close, sends are dropped.
     *
     * @param data the datagram (copied if buffered); an empty one is not sent, as in CPython 3.11
     * @param addr a resolved address, or null for the endpoint's remote address
     * @throws IllegalArgumentException {@code "Invalid address: must be null or /127.0.0.1:9"} on an endpoint
     *     with a remote address, for an unresolved address, or for null on an endpoint without one
     */
    void sendto(byte[] data, @Nullable InetSocketAddress addr);

    /**
     * Closes at once, dropping buffered datagrams: CPython's {@code abort}. The protocol's
     * {@code connectionLost(null)} is called asynchronously.
     */
    void abort();

    /** {@return the bytes of datagrams buffered, not yet taken by the OS} CPython's {@code get_write_buffer_size}. */
    int getWriteBufferSize();

    /** {@return the current water marks} CPython's {@code get_write_buffer_limits}. */
    WriteBufferLimits getWriteBufferLimits();

    /**
     * Sets the water marks, then pauses the protocol if the buffer is already above {@code high}: CPython's
     * {@code set_write_buffer_limits}.
     *
     * @param high the high-water mark, in bytes
     * @param low the low-water mark, in bytes
     * @throws IllegalArgumentException "high (H) must be >= low (L) must be >= 0"
     */
    void setWriteBufferLimits(int high, int low);
}
