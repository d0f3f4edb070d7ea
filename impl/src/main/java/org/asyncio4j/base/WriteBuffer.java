package org.asyncio4j.base;

import java.util.ArrayDeque;

/**
 * The bytes a write transport holds until the OS takes them: a queue of chunks, the first partly sent.
 * Appending copies; taking hands out the head chunk's unsent part without copying.
 */
public final class WriteBuffer {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private int size;

    /** The number of bytes held. */
    public int size() {
        return size;
    }

    /** True when nothing is held. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Appends a copy of {@code data[off, off+len)}. */
    public void append(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(data, off, copy, 0, len);
        chunks.add(copy);
        size += len;
    }

    /** The head chunk; its unsent part starts at {@link #headOffset()}. Null when empty. */
    public byte[] head() {
        return chunks.peek();
    }

    /** Where the head chunk's unsent bytes start. */
    public int headOffset() {
        return headOffset;
    }

    /** Removes {@code n} sent bytes from the front (at most the head chunk's unsent part). */
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

    /** Removes and returns everything, as one array. */
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
