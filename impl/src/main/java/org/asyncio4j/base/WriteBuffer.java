package org.asyncio4j.base;

import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The bytes a write transport holds until the OS takes them: a queue of chunks, the first partly sent.
 * Appending copies; taking hands out the head chunk's unsent part without copying.
 */
public final class WriteBuffer {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;

    /** An empty buffer. */
    public WriteBuffer() {}
    private int size;

    /** {@return the number of bytes held} */
    public int size() {
        return size;
    }

    /** {@return true when nothing is held} */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Appends a copy of {@code data[off, off+len)}; nothing when {@code len} is 0.
     *
     * @param data the bytes to copy from
     * @param off the index of the first byte to copy
     * @param len the number of bytes to copy
     * @throws IndexOutOfBoundsException if the range is not within {@code data}
     */
    public void append(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(data, off, copy, 0, len);
        chunks.add(copy);
        size += len;
    }

    /** {@return the head chunk, whose unsent part starts at {@link #headOffset()}, or null when empty} */
    public byte @Nullable [] head() {
        return chunks.peek();
    }

    /** {@return the index in {@link #head()} where its unsent bytes start} */
    public int headOffset() {
        return headOffset;
    }

    /**
     * Removes {@code n} sent bytes from the front.
     *
     * @param n the number of bytes the OS took, at most the head chunk's unsent part
     * @throws IllegalArgumentException "cannot consume N bytes of SIZE" if {@code n} is negative or too large
     */
    public void consume(int n) {
        byte[] head = chunks.peek();
        if (head == null || n < 0 || n > head.length - headOffset) {
            throw new IllegalArgumentException("cannot consume " + n + " bytes of " + size);
        }
        headOffset += n;
        size -= n;
        if (headOffset == head.length) {
            chunks.poll();
            headOffset = 0;
        }
    }

    /** {@return everything held, as one new array} The buffer is empty afterwards. */
    public byte[] takeAll() {
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] chunk : chunks) {
            int from = chunk == chunks.peek() ? headOffset : 0;
            System.arraycopy(chunk, from, all, at, chunk.length - from);
            at += chunk.length - from;
        }
        clear();
        return all;
    }

    /** Drops everything. */
    public void clear() {
        chunks.clear();
        headOffset = 0;
        size = 0;
    }
}
