package org.asyncio4j.internal.posix;

/**
 * A failed system call: the call's name and the errno it set.
 *
 * <p>The message is built only when asked for. ECHILD carries no stack trace: it is how
 * {@code waitpid(-1)} says "no children left", an expected outcome that a FastChildWatcher sweep meets
 * on every SIGCHLD once it has reaped the last child, and capturing a stack there cost more than the
 * system call itself.
 */
public final class PosixException extends RuntimeException {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSYS = 38;
    public static final int EPIPE = 32;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int EMSGSIZE = 90;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EINPROGRESS = 115;

    private final String call;
    private final int errno;
    private final String detail;

    public PosixException(String call, int errno, String detail) {
        super(null, null, false, errno != ECHILD);
        this.call = call;
        this.errno = errno;
        this.detail = detail;
    }

    @Override
    public String getMessage() {
        return call + " failed: " + Errno.describe(errno) + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
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
