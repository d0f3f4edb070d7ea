package org.asyncio4j.internal.posix;

/**
 * The two calls a child watcher makes to learn of exits: the narrow seam through which tests replay the
 * races that real processes cannot produce on demand (ECHILD, a status collected elsewhere).
 */
public interface ChildWaiter {

    /** See {@link Posix#waitpid(long, int)}: a packed {@link WaitResult}, or {@link PosixException}. */
    long waitpid(long pid, int options);

    /** See {@link Posix#pidfdOpen(long)}. */
    int pidfdOpen(long pid);

    /** The real one. */
    static ChildWaiter system() {
        Posix posix = Posix.get();
        return new ChildWaiter() {
            @Override public long waitpid(long pid, int options) { return posix.waitpid(pid, options); }
            @Override public int pidfdOpen(long pid) { return posix.pidfdOpen(pid); }
        };
    }
}
