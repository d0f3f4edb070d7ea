package org.asyncio4j.internal.libc;

import jnr.ffi.Pointer;
import jnr.ffi.Variable;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * The libc functions that {@code JnrPosix} calls, bound by jnr-ffi.
 *
 * <p>Alone in its package (with {@link SignalLib}, for the same reason) because jnr-ffi defines the generated
 * implementation in an unnamed module of a class loader of its own, which a qualified export cannot name:
 * module-info exports this package (and nothing else internal) so that the generated class may implement the
 * interface on the module path.
 */
// jnr types in the signatures, and libc's own man pages as documentation: the package is exported for jnr-ffi alone
@SuppressWarnings({"exports", "doclint:missing"})
public interface LibC {
    @SaveError int close(int fd);
    @SaveError @Variadic(fixedCount = 2) int fcntl(int fd, int cmd, int arg);
    @SaveError int pipe2(@Out int[] fds, int flags);
    @SaveError @Variadic(fixedCount = 2) int open(String path, int flags, int mode);
    @SaveError @ssize_t long read(int fd, Pointer buf, @size_t long count);
    @SaveError @ssize_t long write(int fd, Pointer buf, @size_t long count);
    @SaveError int epoll_create1(int flags);
    @SaveError int epoll_ctl(int epfd, int op, int fd, Pointer event);
    @SaveError int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);
    @SaveError int eventfd(int initval, int flags);
    @SaveError int eventfd_write(int fd, @u_int64_t long value);
    @IgnoreError int getpid();
    @SaveError int waitpid(int pid, Pointer status, int options);
    @SaveError int kill(int pid, int sig);
    @SaveError @Variadic(fixedCount = 1) long syscall(long number, long arg1, long arg2);
    // sockets (issue 14)
    @SaveError int socket(int domain, int type, int protocol);
    @SaveError int bind(int fd, Pointer addr, int addrlen);
    @SaveError int listen(int fd, int backlog);
    @SaveError int accept4(int fd, Pointer addr, Pointer addrlen, int flags);
    @SaveError int connect(int fd, Pointer addr, int addrlen);
    @SaveError int getsockopt(int fd, int level, int option, Pointer value, Pointer length);
    @SaveError int setsockopt(int fd, int level, int option, Pointer value, int length);
    @SaveError @ssize_t long recv(int fd, Pointer buf, @size_t long count, int flags);
    @SaveError @ssize_t long send(int fd, Pointer buf, @size_t long count, int flags);
    @SaveError int shutdown(int fd, int how);
    @SaveError int getsockname(int fd, Pointer addr, Pointer addrlen);
    @SaveError int getpeername(int fd, Pointer addr, Pointer addrlen);
    @SaveError @ssize_t long recvfrom(int fd, Pointer buf, @size_t long count, int flags, Pointer addr, Pointer addrlen);
    @SaveError @ssize_t long sendto(int fd, Pointer buf, @size_t long count, int flags, Pointer addr, int addrlen);
    @SaveError @ssize_t long sendfile(int outFd, int inFd, Pointer offset, @size_t long count);
    @SaveError @Variadic(fixedCount = 1) long syscall(long number, long arg1, long arg2, long arg3, long arg4);

    // The posix_spawn family returns an error number instead of setting errno.
    @IgnoreError int posix_spawnp(Pointer pid, Pointer file, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);
    @IgnoreError int posix_spawn_file_actions_init(Pointer fileActions);
    @IgnoreError int posix_spawn_file_actions_destroy(Pointer fileActions);
    @IgnoreError int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd);
    @IgnoreError int posix_spawn_file_actions_addclose(Pointer fileActions, int fd);
    @IgnoreError int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);
    @IgnoreError int posix_spawn_file_actions_addchdir_np(Pointer fileActions, Pointer path);
    @IgnoreError int posix_spawnattr_init(Pointer attr);
    @IgnoreError int posix_spawnattr_setflags(Pointer attr, short flags);
    @IgnoreError int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
    @IgnoreError int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
    @IgnoreError int posix_spawnattr_setpgroup(Pointer attr, int pgroup);
    @IgnoreError int posix_spawnattr_destroy(Pointer attr);
    @IgnoreError int sigemptyset(Pointer sigset);

    /** The global {@code char **environ} (as an address: jnr-ffi 2.2.17 mis-generates a Pointer variable). */
    Variable<Long> environ();
}
