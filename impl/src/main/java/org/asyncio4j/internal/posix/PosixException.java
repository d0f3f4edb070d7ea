package org.asyncio4j.internal.posix;

/** A failed system call: the call's name and the errno it set. */
public final class PosixException extends RuntimeException {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;

    private final String call;
    private final int errno;

    public PosixException(String call, int errno, String detail) {
        super(call + " failed: " + Errno.describe(errno) + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.call = call;
        this.errno = errno;
    }

    /** The name of the failed call, e.g. {@code "waitpid"}. */
    public String call() {
        return call;
    }

    /** The errno value. */
    public int errno() {
        return errno;
    }
}
