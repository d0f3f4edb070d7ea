package org.asyncio4j.internal.posix;

import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;
import java.nio.file.Path;

/**
 * The operating-system calls asyncio4j makes, as a small Java interface.
 *
 * <p>This is the one seam between asyncio4j and the OS: only this package calls native code, through
 * one of two backends that {@link PosixBackends} chooses (the JDK's {@code java.lang.foreign} on Java 22+,
 * jnr-ffi otherwise or when forced). Every method
 * either succeeds or throws {@link PosixException} carrying the errno; none returns -1. Methods that
 * sit on hot paths (waitpid, epoll_wait, eventfd) allocate nothing per call.
 *
 * <p>Tests that must replay a fault the kernel cannot be made to produce on demand (ECHILD, EINTR)
 * substitute their own implementation of the narrow interfaces the watchers take ({@link ChildWaiter}),
 * never of this one.
 */
public interface Posix {

    /** The process-wide implementation: see {@link PosixBackends} for which one. */
    static Posix get() {
        return PosixBackends.selected();
    }

    /** The backend's name: {@link PosixBackends#JNR} or {@link PosixBackends#FFM}. */
    String name();

    // ----- descriptors -------------------------------------------------------------------------

    /** {@code close(2)}; EINTR is treated as closed (Linux semantics). */
    void close(int fd);

    /** True if {@code fd} is an open descriptor ({@code fcntl(fd, F_GETFD)} succeeds). */
    boolean isOpen(int fd);

    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_CREAT = 0100;
    int O_TRUNC = 01000;
    int O_APPEND = 02000;

    /** {@code open(path, O_RDONLY or O_WRONLY | O_CLOEXEC)}: for /dev/null redirections. */
    default int open(String path, boolean forWriting) {
        return open(path, forWriting ? O_WRONLY : O_RDONLY);
    }

    /**
     * {@code open(path, flags | O_CLOEXEC, 0666)} (the umask applies to a created file): for redirections to
     * and from files. {@code flags} combines the {@code O_*} constants of this interface.
     */
    int open(String path, int flags);

    /** {@code pipe2(O_CLOEXEC)}: {@code [readEnd, writeEnd]}, both blocking. */
    int[] pipe();

    /** Sets or clears O_NONBLOCK. */
    void setNonBlocking(int fd, boolean nonBlocking);

    /**
     * {@code read(2)} into {@code buf[off, off+len)}, restarted on EINTR; returns bytes read (at most
     * 64 KiB per call), 0 at end of file, -1 on EAGAIN.
     */
    int read(int fd, byte[] buf, int off, int len);

    /**
     * {@code write(2)} from {@code buf[off, off+len)}, restarted on EINTR; returns bytes written (at
     * most 64 KiB per call: callers loop over short writes anyway), -1 on EAGAIN.
     */
    int write(int fd, byte[] buf, int off, int len);

    // ----- epoll and eventfd ---------------------------------------------------------------------

    int EPOLLIN = 0x001;
    int EPOLLOUT = 0x004;
    int EPOLLERR = 0x008;
    int EPOLLHUP = 0x010;
    int EPOLL_CTL_ADD = 1;
    int EPOLL_CTL_DEL = 2;
    int EPOLL_CTL_MOD = 3;

    /** {@code epoll_create1(EPOLL_CLOEXEC)}. */
    int epollCreate();

    /** {@code epoll_ctl(epfd, op, fd, {events, data.fd = fd})}. */
    void epollCtl(int epfd, int op, int fd, int events);

    /**
     * {@code epoll_wait} into {@code events}; returns the number of ready entries (0 on timeout or
     * EINTR). {@code timeoutMillis} -1 blocks.
     */
    int epollWait(int epfd, EpollEvents events, int timeoutMillis);

    /** {@code eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)}. */
    int eventfd();

    /** Adds 1 to an eventfd counter; never blocks (EAGAIN on a saturated counter is ignored). */
    void eventfdSignal(int fd);

    /** Reads and resets an eventfd counter; returns 0 if it was already 0. */
    long eventfdDrain(int fd);

    // ----- processes ---------------------------------------------------------------------------

    int WNOHANG = 1;

    /** {@code getpid()}. */
    long getpid();

    /**
     * {@code waitpid(pid, &status, options)}, restarted on EINTR.
     *
     * @return a packed result: see {@link WaitResult}; pid 0 means WNOHANG and nothing to report
     * @throws PosixException with errno ECHILD when there is no such child
     */
    long waitpid(long pid, int options);

    /** {@code kill(pid, sig)}. */
    void kill(long pid, int signum);

    /** {@code pidfd_open(pid, 0)} (Linux 5.3+); ENOSYS or EPERM where the kernel or sandbox refuses. */
    int pidfdOpen(long pid);

    /**
     * {@code pidfd_send_signal(pidfd, sig, NULL, 0)} (Linux 5.1+): signals the process {@code pidfd} refers to,
     * which can never be another process that reused its pid; ESRCH once it has been reaped.
     */
    void pidfdSendSignal(int pidfd, int signum);

    /**
     * Starts a process with {@code posix_spawnp}: the child gets the descriptors that {@code request}
     * maps or passes and no others, an empty signal mask and default signal dispositions, and the new
     * session ({@code POSIX_SPAWN_SETSID}) or process group ({@code POSIX_SPAWN_SETPGROUP}) it asks for.
     *
     * @return the child's pid
     * @throws PosixException if the spawn fails (ENOENT for a missing executable, for example)
     */
    long spawn(SpawnRequest request);

    // ----- sockets (issue 14): IPv4 and IPv6 stream sockets, always non-blocking and close-on-exec ----------

    int AF_INET = 2;
    int AF_INET6 = 10;
    int SOCK_STREAM = 1;
    int SOCK_DGRAM = 2;
    int SOL_SOCKET = 1;
    int SO_REUSEADDR = 2;
    int SO_REUSEPORT = 15;
    int SO_BROADCAST = 6;
    int IPPROTO_TCP = 6;
    int TCP_NODELAY = 1;
    int IPPROTO_IPV6 = 41;
    int IPV6_V6ONLY = 26;
    int SHUT_WR = 1;

    /** {@code socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)}. */
    int socket(int family, int type);

    /** {@code bind(fd, address)}; the address is resolved (an IPv4 or IPv6 literal). */
    void bind(int fd, InetSocketAddress address);

    /** {@code listen(fd, backlog)}. */
    void listen(int fd, int backlog);

    /** {@code accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)}, restarted on EINTR; -1 on EAGAIN. */
    int accept(int fd);

    /**
     * {@code connect(fd, address)} on a non-blocking socket: true once connected, false while in progress
     * (EINPROGRESS: wait for writability, then read {@link #socketError}).
     */
    boolean connect(int fd, InetSocketAddress address);

    /** {@code getsockopt(fd, SOL_SOCKET, SO_ERROR)}: the pending error of a socket, 0 for none (clears it). */
    int socketError(int fd);

    /** {@code setsockopt(fd, level, option, &value, sizeof(int))}. */
    void setSocketOption(int fd, int level, int option, int value);

    /** {@code recv(fd, buf, len, 0)}, restarted on EINTR: bytes received (at most 64 KiB), 0 at end of stream, -1 on EAGAIN. */
    int recv(int fd, byte[] buf, int off, int len);

    /** {@code send(fd, buf, len, MSG_NOSIGNAL)}, restarted on EINTR: bytes sent (at most 64 KiB), -1 on EAGAIN. */
    int send(int fd, byte[] buf, int off, int len);

    /** {@code shutdown(fd, how)}. */
    void shutdown(int fd, int how);

    /** {@code getsockname(fd)} of an IPv4 or IPv6 socket. */
    InetSocketAddress localAddress(int fd);

    /** {@code getpeername(fd)} of a connected IPv4 or IPv6 socket (ENOTCONN otherwise). */
    InetSocketAddress remoteAddress(int fd);

    // ----- Unix-domain stream sockets (issue 14): a path as the bytes of sockaddr_un's sun_path ----------

    int AF_UNIX = 1;
    /** The size of {@code sockaddr_un}'s {@code sun_path} on Linux: the longest path, in bytes. */
    int SUN_PATH_BYTES = 108;

    /**
     * {@code bind(fd, sockaddr_un)}: {@code path} is the path's bytes, a leading 0 for a Linux abstract name
     * (taken as it is, without a terminating NUL); a file-system path is NUL-terminated when it leaves room.
     *
     * @throws PosixException ENAMETOOLONG for more than {@link #SUN_PATH_BYTES} bytes, EINVAL for none
     */
    void bindUnix(int fd, byte[] path);

    /**
     * {@code connect(fd, sockaddr_un)} as {@link #connect} does, for a path as {@link #bindUnix} takes it; a
     * listener whose backlog is full fails it with EAGAIN (Linux connects AF_UNIX at once or not at all).
     */
    boolean connectUnix(int fd, byte[] path);

    /** {@code getsockname(fd)} of a Unix-domain socket: the path's bytes, empty for an unnamed socket. */
    byte[] localUnixPath(int fd);

    /** {@code getpeername(fd)} of a connected Unix-domain socket: the peer's path bytes, empty if unnamed. */
    byte[] remoteUnixPath(int fd);
    /**
     * {@code recvfrom(fd, buf, len, 0, &from)}, restarted on EINTR: one datagram (at most 64 KiB, the rest of a
     * larger one is dropped by the kernel) and its sender.
     *
     * @return the datagram, or null on EAGAIN
     * @throws PosixException for a failure, e.g. ECONNREFUSED on a connected socket after an ICMP port unreachable
     */
    @Nullable ReceivedDatagram recvfrom(int fd);

    /**
     * {@code sendto(fd, buf, len, MSG_NOSIGNAL, to)}, restarted on EINTR; {@code to} null sends to the connected
     * peer ({@code send}). A datagram goes whole or not at all.
     *
     * @return the bytes sent, or -1 on EAGAIN
     * @throws PosixException EMSGSIZE for a datagram above 64 KiB, or the OS's error for the send
     */
    int sendto(int fd, byte[] buf, int off, int len, @Nullable InetSocketAddress to);

    /**
     * {@code sendfile(outFd, inFd, &offset, count)}, restarted on EINTR: copies in the kernel from the file at
     * {@code offset} (its position is left alone) to the socket.
     *
     * @return the bytes sent (0 at the end of the file), or -1 on EAGAIN
     * @throws PosixException for a failure (EINVAL or ENOSYS where the descriptors do not support it)
     */
    long sendfile(int outFd, int inFd, long offset, long count);

    // ----- signals -------------------------------------------------------------------------------

    /** The number of signals ({@code NSIG}, 65 on Linux: valid numbers are 1..64). */
    int NSIG = 65;

    /**
     * Loads asyncio4j's native signal library from the file {@code library} (named {@code libasyncio4j.so})
     * and binds all its functions.
     *
     * @throws IllegalStateException if it cannot be loaded or lacks a function (another architecture, a
     *         {@code noexec} directory, a C library it was not built for)
     */
    SignalLibrary loadSignalLibrary(Path library);
}
