package org.asyncio4j.internal.posix;

/** Names errno values for messages: {@code "ECHILD (No child processes)"}. */
final class Errno {
    private Errno() {}

    /** The symbolic name and the C library's text for {@code errno}, or {@code "errno N"} if unknown. */
    static String describe(int errno) {
        jnr.constants.platform.Errno e = jnr.constants.platform.Errno.valueOf(errno);
        return e.defined() ? e.name() + " (" + e.description() + ")" : "errno " + errno;
    }
}
