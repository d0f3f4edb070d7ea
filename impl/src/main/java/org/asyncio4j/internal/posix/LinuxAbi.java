package org.asyncio4j.internal.posix;

/**
 * The Linux and glibc numbers both backends of the seam pass to libc: fcntl commands, open flags, signal numbers,
 * posix_spawn flags, syscall numbers and the sizes of glibc's opaque structures, one home for each.
 */
final class LinuxAbi {
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int F_GETFD = 1;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int SIGKILL = 9;
    static final int SIGSTOP = 19;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETPGROUP = 0x02;
    static final short POSIX_SPAWN_SETSID = 0x80;
    /** {@code SYS_pidfd_send_signal}: 424 in the unified table of every arch listed; -1 where unknown. */
    static final long SYS_PIDFD_SEND_SIGNAL = pidfdSyscall(424);
    /** {@code SYS_pidfd_open}: 434 in the unified table of every arch listed; -1 where unknown. */
    static final long SYS_PIDFD_OPEN = pidfdSyscall(434);
    /** glibc's sizes are 80 and 336 bytes (sigset_t 128) on x86-64; allocated with headroom. */
    static final int FILE_ACTIONS_BYTES = 256;
    static final int SPAWNATTR_BYTES = 1024;
    static final int SIGSET_BYTES = 256;
    /** read/write copy through this much per-thread native memory per call (a short count beyond). */
    static final int IO_CHUNK = 64 * 1024;

    /** {@code SOCK_NONBLOCK | SOCK_CLOEXEC}, the flags of every socket the seam makes or accepts. */
    static final int SOCK_FLAGS = O_NONBLOCK | O_CLOEXEC;
    /** {@code MSG_NOSIGNAL}: a send to a closed peer fails with EPIPE instead of raising SIGPIPE. */
    static final int MSG_NOSIGNAL = 0x4000;
    /** {@code SO_ERROR} of {@code SOL_SOCKET}: a socket's pending error. */
    static final int SO_ERROR = 4;

    private LinuxAbi() {}

    private static long pidfdSyscall(long number) {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64", "aarch64", "riscv64", "x86", "i386", "arm", "ppc64le", "ppc64", "s390x" -> number;
            default -> -1;
        };
    }
}
