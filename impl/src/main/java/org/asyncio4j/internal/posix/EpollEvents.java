package org.asyncio4j.internal.posix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A reusable native array of {@code struct epoll_event} that {@link Posix#epollWait} fills.
 *
 * <p>The struct is packed on x86 (12 bytes: {@code uint32 events} then {@code uint64 data}) and
 * naturally aligned elsewhere (16 bytes, data at offset 8). Entries carry the fd that
 * {@link Posix#epollCtl} stored in {@code data.fd}. The array is a direct buffer, so that either
 * backend can hand it to the kernel without copying. Not thread-safe; one per loop.
 */
public final class EpollEvents {
    /** {@code sizeof(struct epoll_event)}. */
    static final int SIZE;
    /** {@code offsetof(struct epoll_event, data)}. */
    static final int DATA_OFFSET;

    static {
        String arch = System.getProperty("os.arch");
        boolean packed = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.equals("i386");
        SIZE = packed ? 12 : 16;
        DATA_OFFSET = packed ? 4 : 8;
    }

    private final int capacity;
    /** The native array, in native byte order. */
    final ByteBuffer buffer;
    /**
     * The backend's handle on {@link #buffer} (a jnr {@code Pointer} or an FFM {@code MemorySegment}), made
     * by the backend on first use so that {@code epoll_wait} allocates nothing.
     */
    Object nativeView;

    /** Allocates room for {@code capacity} (at least 1) events. */
    public EpollEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.buffer = ByteBuffer.allocateDirect(Math.multiplyExact(capacity, SIZE)).order(ByteOrder.nativeOrder());
    }

    /** The number of entries; {@code maxevents} for {@code epoll_wait}. */
    public int capacity() {
        return capacity;
    }

    /** The fd of entry {@code i}. */
    public int fd(int i) {
        return buffer.getInt(Objects.checkIndex(i, capacity) * SIZE + DATA_OFFSET);
    }

    /** The ready events ({@link Posix#EPOLLIN} and so on) of entry {@code i}. */
    public int events(int i) {
        return buffer.getInt(Objects.checkIndex(i, capacity) * SIZE);
    }
}
