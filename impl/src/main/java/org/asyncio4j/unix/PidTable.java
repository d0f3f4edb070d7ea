package org.asyncio4j.unix;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Registered children in dense arrays, so that a watcher scanning every pid per SIGCHLD walks plain
 * memory and allocates nothing; a side index makes put and remove O(1) (swap with the last entry).
 * Not thread-safe: the owning watcher guards it.
 */
final class PidTable<V> {
    private long[] pids = new long[16];
    private Object[] values = new Object[16];
    private int size;
    private final Map<Long, Integer> slots = new HashMap<>();

    /** Registers or replaces; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    V put(long pid, V value) {
        Integer slot = slots.get(pid);
        if (slot != null) {
            V previous = (V) values[slot];
            values[slot] = value;
            return previous;
        }
        if (size == pids.length) {
            pids = Arrays.copyOf(pids, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        pids[size] = pid;
        values[size] = value;
        slots.put(pid, size);
        size++;
        return null;
    }

    /** Removes {@code pid}; returns its value or null. */
    @SuppressWarnings("unchecked")
    V remove(long pid) {
        Integer slot = slots.remove(pid);
        if (slot == null) {
            return null;
        }
        V value = (V) values[slot];
        int last = --size;
        if (slot != last) {
            pids[slot] = pids[last];
            values[slot] = values[last];
            slots.put(pids[slot], slot);
        }
        values[last] = null;
        return value;
    }

    @SuppressWarnings("unchecked")
    V get(long pid) {
        Integer slot = slots.get(pid);
        return slot == null ? null : (V) values[slot];
    }

    int size() {
        return size;
    }

    long pidAt(int i) {
        return pids[i];
    }

    void clear() {
        Arrays.fill(values, 0, size, null);
        size = 0;
        slots.clear();
    }

    /** A copy of the registered pids. */
    long[] pids() {
        return Arrays.copyOf(pids, size);
    }
}
