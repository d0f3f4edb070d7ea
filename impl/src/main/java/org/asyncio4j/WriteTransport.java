package org.asyncio4j;

/**
 * A transport that sends data: CPython's {@code asyncio.WriteTransport}.
 *
 * <p>{@link #write} never blocks: what the OS does not take at once is buffered and sent as the descriptor
 * allows. When the buffer grows above the high-water mark the protocol's {@link BaseProtocol#pauseWriting}
 * is called, and {@link BaseProtocol#resumeWriting} once it has drained to the low-water mark or below.
 */
public interface WriteTransport extends BaseTransport {

    /** The default high-water mark: 64 KiB, as CPython. The default low-water mark is a quarter of it. */
    int DEFAULT_HIGH_WATER = 64 * 1024;

    /**
     * The water marks: CPython's {@code get_write_buffer_limits()} tuple.
     *
     * @param low the low-water mark, in bytes
     * @param high the high-water mark, in bytes
     */
    record WriteBufferLimits(int low, int high) {}

    /**
     * Sends {@code data} (copied if it must be buffered). An empty array is ignored. Data written after
     * {@link #close}, {@link #writeEof} or a lost connection is dropped, as CPython does; a warning is logged
     * from the fifth such write on.
     *
     * @param data the bytes to send
     * @throws NullPointerException if data is null
     */
    void write(byte[] data);

    /**
     * Writes each chunk in turn, as {@link #write}: CPython's {@code writelines}.
     *
     * @param chunks the byte arrays to send, in order
     * @throws NullPointerException if {@code chunks} or one of them is null
     */
    default void writelines(Iterable<byte[]> chunks) {
        for (byte[] chunk : chunks) {
            write(chunk);
        }
    }

    /** Closes the write end once buffered data has been flushed; later writes are dropped: CPython's {@code write_eof}. */
    void writeEof();

    /** {@return whether {@link #writeEof} is supported} CPython's {@code can_write_eof}. */
    boolean canWriteEof();

    /** {@return the number of bytes buffered, not yet taken by the OS} CPython's {@code get_write_buffer_size}. */
    int getWriteBufferSize();

    /** {@return the current water marks} CPython's {@code get_write_buffer_limits}. */
    WriteBufferLimits getWriteBufferLimits();

    /**
     * Sets the water marks, then pauses the protocol if the buffer is already above {@code high}: CPython's
     * {@code set_write_buffer_limits}, whose argument order this keeps.
     *
     * @param high the high-water mark, in bytes
     * @param low the low-water mark, in bytes
     * @throws IllegalArgumentException "high (H) must be >= low (L) must be >= 0"
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * Sets the high-water mark and a low-water mark of a quarter of it; see {@link #setWriteBufferLimits(int, int)}.
     *
     * @param high the high-water mark, in bytes
     * @throws IllegalArgumentException "high (H) must be >= low (L) must be >= 0" if {@code high} is negative
     */
    default void setWriteBufferLimits(int high) {
        setWriteBufferLimits(high, high / 4);
    }

    /**
     * Closes at once, dropping buffered data: CPython's {@code abort}. The protocol's
     * {@code connectionLost(null)} is called asynchronously.
     */
    void abort();
}
