package org.asyncio4j.internal.posix;

/**
 * Decodes the packed {@code long} that {@link Posix#waitpid} returns without allocating: the pid in
 * the high 32 bits, the raw wait status in the low 32 bits.
 */
public final class WaitResult {
    private WaitResult() {}

    /** Packs a pid and a raw wait status. */
    public static long pack(long pid, int status) {
        return (pid << 32) | (status & 0xffff_ffffL);
    }

    /** The pid that changed state, or 0 when WNOHANG found nothing. */
    public static long pid(long packed) {
        return packed >>> 32;
    }

    /** The raw wait status as {@code waitpid(2)} wrote it. */
    public static int status(long packed) {
        return (int) packed;
    }
}
