package org.asyncio4j.internal.posix;

import static org.asyncio4j.internal.posix.LinuxAbi.FILE_ACTIONS_BYTES;
import static org.asyncio4j.internal.posix.LinuxAbi.F_DUPFD_CLOEXEC;
import static org.asyncio4j.internal.posix.LinuxAbi.F_GETFD;
import static org.asyncio4j.internal.posix.LinuxAbi.F_GETFL;
import static org.asyncio4j.internal.posix.LinuxAbi.F_SETFL;
import static org.asyncio4j.internal.posix.LinuxAbi.IO_CHUNK;
import static org.asyncio4j.internal.posix.LinuxAbi.MSG_NOSIGNAL;
import static org.asyncio4j.internal.posix.LinuxAbi.O_CLOEXEC;
import static org.asyncio4j.internal.posix.LinuxAbi.O_NONBLOCK;
import static org.asyncio4j.internal.posix.LinuxAbi.POSIX_SPAWN_SETPGROUP;
import static org.asyncio4j.internal.posix.LinuxAbi.POSIX_SPAWN_SETSID;
import static org.asyncio4j.internal.posix.LinuxAbi.POSIX_SPAWN_SETSIGDEF;
import static org.asyncio4j.internal.posix.LinuxAbi.POSIX_SPAWN_SETSIGMASK;
import static org.asyncio4j.internal.posix.LinuxAbi.SIGKILL;
import static org.asyncio4j.internal.posix.LinuxAbi.SIGSET_BYTES;
import static org.asyncio4j.internal.posix.LinuxAbi.SIGSTOP;
import static org.asyncio4j.internal.posix.LinuxAbi.SOCK_FLAGS;
import static org.asyncio4j.internal.posix.LinuxAbi.SO_ERROR;
import static org.asyncio4j.internal.posix.LinuxAbi.SPAWNATTR_BYTES;
import static org.asyncio4j.internal.posix.LinuxAbi.SYS_PIDFD_OPEN;
import static org.asyncio4j.internal.posix.LinuxAbi.SYS_PIDFD_SEND_SIGNAL;

import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.asyncio4j.internal.libc.LibC;
import org.jspecify.annotations.Nullable;
import org.asyncio4j.internal.libc.SignalLib;

/**
 * {@link Posix} over direct jnr-ffi bindings to glibc on Linux (flag values are the asm-generic
 * ones shared by x86-64, aarch64 and riscv64): the backend before Java 22, and after it when
 * {@link PosixBackends} is told to use jnr.
 *
 * <p>Hot paths use a small per-thread native scratch buffer, so after a thread's first call they
 * allocate nothing. Native memory handed to a call is kept reachable until the call returns.
 */
final class JnrPosix implements Posix {

    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    static final Posix INSTANCE = new JnrPosix();

    /**
     * Per-thread scratch for one call at a time: an eventfd counter, a wait status or a
     * {@code struct epoll_event}, always at offset 0 (so no sliced Pointer is allocated).
     */
    private static final ThreadLocal<Pointer> SCRATCH =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(RUNTIME, 16, true));
    private static final ThreadLocal<Pointer> IO_BUFFER =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(RUNTIME, IO_CHUNK, false));

    private JnrPosix() {}

    @Override
    public String name() {
        return PosixBackends.JNR;
    }

    private static int errno() {
        return RUNTIME.getLastError();
    }

    // ----- descriptors -------------------------------------------------------------------------

    @Override
    public void close(int fd) {
        if (LIBC.close(fd) != 0) {
            int e = errno();
            if (e != PosixException.EINTR) {
                throw new PosixException("close", e, "fd " + fd);
            }
        }
    }

    @Override
    public boolean isOpen(int fd) {
        return LIBC.fcntl(fd, F_GETFD, 0) != -1;
    }

    @Override
    public int open(String path, int flags) {
        int fd = LIBC.open(path, flags | O_CLOEXEC, 0666);
        if (fd < 0) {
            throw new PosixException("open", errno(), path);
        }
        return fd;
    }

    @Override
    public int[] pipe() {
        int[] fds = new int[2];
        if (LIBC.pipe2(fds, O_CLOEXEC) != 0) {
            throw new PosixException("pipe2", errno(), null);
        }
        return fds;
    }

    @Override
    public void setNonBlocking(int fd, boolean nonBlocking) {
        int flags = LIBC.fcntl(fd, F_GETFL, 0);
        if (flags == -1) {
            throw new PosixException("fcntl", errno(), "F_GETFL fd " + fd);
        }
        int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        if (wanted != flags && LIBC.fcntl(fd, F_SETFL, wanted) == -1) {
            throw new PosixException("fcntl", errno(), "F_SETFL fd " + fd);
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Pointer io = IO_BUFFER.get();
        int count = Math.min(len, IO_CHUNK);
        while (true) {
            long n = LIBC.read(fd, io, count);
            if (n >= 0) {
                io.get(0, buf, off, (int) n);
                return (int) n;
            }
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return -1;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("read", e, "fd " + fd);
            }
        }
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Pointer io = IO_BUFFER.get();
        int count = Math.min(len, IO_CHUNK);
        io.put(0, buf, off, count);
        while (true) {
            long n = LIBC.write(fd, io, count);
            if (n >= 0) {
                return (int) n;
            }
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return -1;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("write", e, "fd " + fd);
            }
        }
    }

    // ----- epoll and eventfd ---------------------------------------------------------------------

    @Override
    public int epollCreate() {
        int fd = LIBC.epoll_create1(O_CLOEXEC);
        if (fd < 0) {
            throw new PosixException("epoll_create1", errno(), null);
        }
        return fd;
    }

    @Override
    public void epollCtl(int epfd, int op, int fd, int events) {
        Pointer event = SCRATCH.get();
        event.putInt(0, events);
        event.putInt(EpollEvents.DATA_OFFSET, fd);
        event.putInt(EpollEvents.DATA_OFFSET + 4, 0);
        if (LIBC.epoll_ctl(epfd, op, fd, event) != 0) {
            throw new PosixException("epoll_ctl", errno(), "epfd " + epfd + ", op " + op + ", fd " + fd);
        }
    }

    @Override
    public int epollWait(int epfd, EpollEvents events, int timeoutMillis) {
        Pointer memory = events.nativeView instanceof Pointer p ? p : attach(events);
        int n = LIBC.epoll_wait(epfd, memory, events.capacity(), timeoutMillis);
        Reference.reachabilityFence(events);
        if (n >= 0) {
            return n;
        }
        int e = errno();
        if (e == PosixException.EINTR) {
            return 0;
        }
        throw new PosixException("epoll_wait", e, "epfd " + epfd);
    }

    /** Wraps the events' direct buffer once; the events keep it for every later call. */
    private static Pointer attach(EpollEvents events) {
        Pointer p = Pointer.wrap(RUNTIME, events.buffer);
        events.nativeView = p;
        return p;
    }

    @Override
    public int eventfd() {
        int fd = LIBC.eventfd(0, O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            throw new PosixException("eventfd", errno(), null);
        }
        return fd;
    }

    @Override
    public void eventfdSignal(int fd) {
        while (LIBC.eventfd_write(fd, 1) != 0) {
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("eventfd_write", e, "fd " + fd);
            }
        }
    }

    @Override
    public long eventfdDrain(int fd) {
        Pointer counter = SCRATCH.get();
        while (LIBC.read(fd, counter, 8) != 8) {
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return 0;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("read", e, "eventfd " + fd);
            }
        }
        return counter.getLong(0);
    }

    // ----- processes ---------------------------------------------------------------------------

    @Override
    public long getpid() {
        return LIBC.getpid();
    }

    @Override
    public long waitpid(long pid, int options) {
        Pointer status = SCRATCH.get();
        while (true) {
            int r = LIBC.waitpid((int) pid, status, options);
            if (r >= 0) {
                return WaitResult.pack(r, r == 0 ? 0 : status.getInt(0));
            }
            int e = errno();
            if (e != PosixException.EINTR) {
                throw new PosixException("waitpid", e, "pid " + pid);
            }
        }
    }

    @Override
    public void kill(long pid, int signum) {
        if (LIBC.kill((int) pid, signum) != 0) {
            throw new PosixException("kill", errno(), "pid " + pid + ", signal " + signum);
        }
    }

    @Override
    public int pidfdOpen(long pid) {
        if (SYS_PIDFD_OPEN < 0) {
            throw new PosixException("pidfd_open", PosixException.ENOSYS, "unknown syscall number on " + System.getProperty("os.arch"));
        }
        long fd = LIBC.syscall(SYS_PIDFD_OPEN, pid, 0);
        if (fd < 0) {
            throw new PosixException("pidfd_open", errno(), "pid " + pid);
        }
        return (int) fd;
    }

    @Override
    public void pidfdSendSignal(int pidfd, int signum) {
        if (SYS_PIDFD_SEND_SIGNAL < 0) {
            throw new PosixException("pidfd_send_signal", PosixException.ENOSYS, "unknown syscall number on " + System.getProperty("os.arch"));
        }
        if (LIBC.syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signum, 0L, 0L) < 0) {
            throw new PosixException("pidfd_send_signal", errno(), "pidfd " + pidfd + ", signal " + signum);
        }
    }

    // ----- sockets (issue 14) --------------------------------------------------------------------

    /** Per-thread room for a sockaddr (at 0) and its length (at {@link SocketAddresses#STORAGE_BYTES}). */
    private static final ThreadLocal<Pointer> ADDRESS =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(RUNTIME, SocketAddresses.STORAGE_BYTES + 8, true));

    @Override
    public int socket(int family, int type) {
        int fd = LIBC.socket(family, type | SOCK_FLAGS, 0);
        if (fd < 0) {
            throw new PosixException("socket", errno(), "family " + family + ", type " + type);
        }
        return fd;
    }

    /** Copies {@code address} into the thread's sockaddr memory; returns its length. */
    private static int putAddress(Pointer memory, InetSocketAddress address, String call) {
        byte[] bytes = new byte[SocketAddresses.STORAGE_BYTES];
        int length = SocketAddresses.encode(address, bytes, call);
        memory.put(0, bytes, 0, length);
        return length;
    }

    private static InetSocketAddress getAddress(Pointer memory, String call) {
        int length = Math.min(memory.getInt(SocketAddresses.STORAGE_BYTES), SocketAddresses.STORAGE_BYTES);
        byte[] bytes = new byte[SocketAddresses.STORAGE_BYTES];
        memory.get(0, bytes, 0, length);
        return SocketAddresses.decode(bytes, length, call);
    }

    @Override
    public void bind(int fd, InetSocketAddress address) {
        Pointer memory = ADDRESS.get();
        if (LIBC.bind(fd, memory, putAddress(memory, address, "bind")) != 0) {
            throw new PosixException("bind", errno(), address.toString());
        }
    }

    @Override
    public void listen(int fd, int backlog) {
        if (LIBC.listen(fd, backlog) != 0) {
            throw new PosixException("listen", errno(), "fd " + fd);
        }
    }

    @Override
    public int accept(int fd) {
        while (true) {
            int conn = LIBC.accept4(fd, null, null, SOCK_FLAGS);
            if (conn >= 0) {
                return conn;
            }
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return -1;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("accept4", e, "fd " + fd);
            }
        }
    }

    @Override
    public boolean connect(int fd, InetSocketAddress address) {
        Pointer memory = ADDRESS.get();
        if (LIBC.connect(fd, memory, putAddress(memory, address, "connect")) == 0) {
            return true;
        }
        int e = errno();
        if (e == PosixException.EINPROGRESS || e == PosixException.EINTR) {
            return false; // EINTR: the connection goes on asynchronously, as for EINPROGRESS
        }
        throw new PosixException("connect", e, address.toString());
    }

    @Override
    public int socketError(int fd) {
        Pointer memory = ADDRESS.get();
        memory.putInt(SocketAddresses.STORAGE_BYTES, 4);
        if (LIBC.getsockopt(fd, SOL_SOCKET, SO_ERROR, memory, memory.slice(SocketAddresses.STORAGE_BYTES)) != 0) {
            throw new PosixException("getsockopt", errno(), "SO_ERROR fd " + fd);
        }
        return memory.getInt(0);
    }

    @Override
    public void setSocketOption(int fd, int level, int option, int value) {
        Pointer memory = ADDRESS.get();
        memory.putInt(0, value);
        if (LIBC.setsockopt(fd, level, option, memory, 4) != 0) {
            throw new PosixException("setsockopt", errno(), "fd " + fd + ", level " + level + ", option " + option);
        }
    }

    @Override
    public int recv(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Pointer io = IO_BUFFER.get();
        int count = Math.min(len, IO_CHUNK);
        while (true) {
            long n = LIBC.recv(fd, io, count, 0);
            if (n >= 0) {
                io.get(0, buf, off, (int) n);
                return (int) n;
            }
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return -1;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("recv", e, "fd " + fd);
            }
        }
    }

    @Override
    public int send(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Pointer io = IO_BUFFER.get();
        int count = Math.min(len, IO_CHUNK);
        io.put(0, buf, off, count);
        while (true) {
            long n = LIBC.send(fd, io, count, MSG_NOSIGNAL);
            if (n >= 0) {
                return (int) n;
            }
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return -1;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("send", e, "fd " + fd);
            }
        }
    }

    @Override
    public void shutdown(int fd, int how) {
        if (LIBC.shutdown(fd, how) != 0) {
            throw new PosixException("shutdown", errno(), "fd " + fd);
        }
    }

    @Override
    public InetSocketAddress localAddress(int fd) {
        Pointer memory = ADDRESS.get();
        memory.putInt(SocketAddresses.STORAGE_BYTES, SocketAddresses.STORAGE_BYTES);
        if (LIBC.getsockname(fd, memory, memory.slice(SocketAddresses.STORAGE_BYTES)) != 0) {
            throw new PosixException("getsockname", errno(), "fd " + fd);
        }
        return getAddress(memory, "getsockname");
    }

    @Override
    public InetSocketAddress remoteAddress(int fd) {
        Pointer memory = ADDRESS.get();
        memory.putInt(SocketAddresses.STORAGE_BYTES, SocketAddresses.STORAGE_BYTES);
        if (LIBC.getpeername(fd, memory, memory.slice(SocketAddresses.STORAGE_BYTES)) != 0) {
            throw new PosixException("getpeername", errno(), "fd " + fd);
        }
        return getAddress(memory, "getpeername");
    }

    // ----- Unix-domain sockets (issue 14) --------------------------------------------------------

    private static int putUnixAddress(Pointer memory, byte[] path, String call) {
        byte[] bytes = new byte[SocketAddresses.STORAGE_BYTES];
        int length = SocketAddresses.encodeUnix(path, bytes, call);
        memory.put(0, bytes, 0, length);
        return length;
    }

    private static byte[] getUnixAddress(Pointer memory, String call) {
        int length = Math.min(memory.getInt(SocketAddresses.STORAGE_BYTES), SocketAddresses.STORAGE_BYTES);
        byte[] bytes = new byte[SocketAddresses.STORAGE_BYTES];
        memory.get(0, bytes, 0, length);
        return SocketAddresses.decodeUnix(bytes, length, call);
    }

    @Override
    public void bindUnix(int fd, byte[] path) {
        Pointer memory = ADDRESS.get();
        if (LIBC.bind(fd, memory, putUnixAddress(memory, path, "bind")) != 0) {
            throw new PosixException("bind", errno(), UnixPaths.describe(path));
        }
    }

    @Override
    public boolean connectUnix(int fd, byte[] path) {
        Pointer memory = ADDRESS.get();
        if (LIBC.connect(fd, memory, putUnixAddress(memory, path, "connect")) == 0) {
            return true;
        }
        int e = errno();
        if (e == PosixException.EINPROGRESS || e == PosixException.EINTR) {
            return false; // EAGAIN (the listener's backlog is full) is an error: nothing is in progress
        }
        throw new PosixException("connect", e, UnixPaths.describe(path));
    }

    @Override
    public byte[] localUnixPath(int fd) {
        Pointer memory = ADDRESS.get();
        memory.putInt(SocketAddresses.STORAGE_BYTES, SocketAddresses.STORAGE_BYTES);
        if (LIBC.getsockname(fd, memory, memory.slice(SocketAddresses.STORAGE_BYTES)) != 0) {
            throw new PosixException("getsockname", errno(), "fd " + fd);
        }
        return getUnixAddress(memory, "getsockname");
    }

    @Override
    public byte[] remoteUnixPath(int fd) {
        Pointer memory = ADDRESS.get();
        memory.putInt(SocketAddresses.STORAGE_BYTES, SocketAddresses.STORAGE_BYTES);
        if (LIBC.getpeername(fd, memory, memory.slice(SocketAddresses.STORAGE_BYTES)) != 0) {
            throw new PosixException("getpeername", errno(), "fd " + fd);
        }
        return getUnixAddress(memory, "getpeername");
    }

    @Override
    public @Nullable ReceivedDatagram recvfrom(int fd) {
        Pointer io = IO_BUFFER.get();
        Pointer memory = ADDRESS.get();
        while (true) {
            memory.putInt(SocketAddresses.STORAGE_BYTES, SocketAddresses.STORAGE_BYTES);
            long n = LIBC.recvfrom(fd, io, IO_CHUNK, 0, memory, memory.slice(SocketAddresses.STORAGE_BYTES));
            if (n >= 0) {
                byte[] data = new byte[(int) n];
                io.get(0, data, 0, data.length);
                return new ReceivedDatagram(data, getAddress(memory, "recvfrom"));
            }
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return null;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("recvfrom", e, "fd " + fd);
            }
        }
    }

    @Override
    public int sendto(int fd, byte[] buf, int off, int len, @Nullable InetSocketAddress to) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > IO_CHUNK) {
            throw new PosixException("sendto", PosixException.EMSGSIZE, len + " bytes to " + to);
        }
        Pointer io = IO_BUFFER.get();
        io.put(0, buf, off, len);
        Pointer memory = ADDRESS.get();
        int addressLength = to == null ? 0 : putAddress(memory, to, "sendto");
        while (true) {
            long n = LIBC.sendto(fd, io, len, MSG_NOSIGNAL, to == null ? null : memory, addressLength);
            if (n >= 0) {
                return (int) n;
            }
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return -1;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("sendto", e, "fd " + fd + (to == null ? "" : " to " + to));
            }
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        Pointer position = SCRATCH.get();
        while (true) {
            position.putLong(0, offset);
            long n = LIBC.sendfile(outFd, inFd, position, count);
            if (n >= 0) {
                return n;
            }
            int e = errno();
            if (e == PosixException.EAGAIN) {
                return -1;
            }
            if (e != PosixException.EINTR) {
                throw new PosixException("sendfile", e, "fd " + inFd + " to fd " + outFd);
            }
        }
    }

    // ----- spawn ---------------------------------------------------------------------------------

    /**
     * The child's fds are set up by file actions that run in order in the child:
     * <ol>
     * <li>dup2 each mapped source onto 0, 1, 2 (a source that is itself one of 0..2, other than its
     *     target, is first copied in the parent to a close-on-exec fd above 2, so that an earlier
     *     dup2 cannot overwrite it; {@code dup2(fd, fd)} clears FD_CLOEXEC in glibc 2.29+);
     * <li>without passFds, {@code closefrom(3)};
     * <li>with k passFds p[0] &lt; ... &lt; p[k-1] (all &gt;= 3): dup2(p[j], 3 + j) for ascending j
     *     (3 + j &lt;= p[j], so no pass fd is overwritten before it is saved), closefrom(3 + k), then
     *     dup2(3 + j, p[j]) for descending j (p[j] &gt;= 3 + j &gt; every temporary still needed),
     *     then close each temporary 3..3+k-1 that is not itself a pass fd.
     * </ol>
     * This takes O(k) actions whatever the fd numbers, needs no snapshot of the parent's open fds
     * (which would race with other threads), and leaves the pass fds without FD_CLOEXEC.
     */
    @Override
    public long spawn(SpawnRequest request) {
        List<String> argv = request.argv();
        Pointer argvArray = cStringArray(argv);
        Pointer file = request.executable().equals(argv.get(0)) ? argvArray.getPointer(0) : cString(request.executable());
        Pointer envArray = request.env() == null ? null : cStringArray(request.env());
        Pointer cwd = request.cwd() == null ? null : cString(request.cwd());
        int[] sources = {request.stdin(), request.stdout(), request.stderr()};
        int[] parentCopies = {-1, -1, -1};
        Pointer actions = Memory.allocateDirect(RUNTIME, FILE_ACTIONS_BYTES, true);
        Pointer pid = Memory.allocateDirect(RUNTIME, 8, true);
        Pointer attr = SpawnAttr.forRequest(request);
        checkSpawn("posix_spawn_file_actions_init", LIBC.posix_spawn_file_actions_init(actions));
        try {
            if (cwd != null) {
                checkSpawn("posix_spawn_file_actions_addchdir_np", LIBC.posix_spawn_file_actions_addchdir_np(actions, cwd));
            }
            for (int target = 0; target < 3; target++) {
                int source = sources[target];
                if (source >= 0 && source < 3 && source != target) {
                    source = LIBC.fcntl(source, F_DUPFD_CLOEXEC, 3);
                    if (source < 0) {
                        throw new PosixException("fcntl", errno(), "F_DUPFD_CLOEXEC fd " + sources[target]);
                    }
                    parentCopies[target] = source;
                }
                if (source >= 0) {
                    addDup2(actions, source, target);
                }
            }
            int[] pass = request.passFds();
            int k = pass.length;
            for (int j = 0; j < k; j++) {
                addDup2(actions, pass[j], 3 + j);
            }
            checkSpawn("posix_spawn_file_actions_addclosefrom_np", LIBC.posix_spawn_file_actions_addclosefrom_np(actions, 3 + k));
            for (int j = k - 1; j >= 0; j--) {
                if (pass[j] != 3 + j) {
                    addDup2(actions, 3 + j, pass[j]);
                }
            }
            for (int temp = 3, j = 0; temp < 3 + k; temp++) {
                while (j < k && pass[j] < temp) {
                    j++;
                }
                if (j == k || pass[j] != temp) {
                    checkSpawn("posix_spawn_file_actions_addclose", LIBC.posix_spawn_file_actions_addclose(actions, temp));
                }
            }
            int rc = LIBC.posix_spawnp(pid, file, actions, attr, argvArray,
                    envArray != null ? envArray : Pointer.wrap(RUNTIME, LIBC.environ().get()));
            if (rc != 0) {
                throw new PosixException("posix_spawnp", rc, request.cwd() == null ? request.executable() : request.executable() + " in cwd " + request.cwd());
            }
            return pid.getInt(0);
        } finally {
            LIBC.posix_spawn_file_actions_destroy(actions);
            if (attr != SpawnAttr.ATTR) {
                LIBC.posix_spawnattr_destroy(attr);
            }
            for (int copy : parentCopies) {
                if (copy >= 0) {
                    close(copy);
                }
            }
            Reference.reachabilityFence(argvArray);
            Reference.reachabilityFence(file);
            Reference.reachabilityFence(envArray);
            Reference.reachabilityFence(cwd);
            Reference.reachabilityFence(actions);
            Reference.reachabilityFence(pid);
            Reference.reachabilityFence(attr);
        }
    }

    private static void addDup2(Pointer actions, int fd, int newfd) {
        int rc = LIBC.posix_spawn_file_actions_adddup2(actions, fd, newfd);
        if (rc != 0) {
            throw new PosixException("posix_spawn_file_actions_adddup2", rc, fd + " -> " + newfd);
        }
    }

    private static void checkSpawn(String call, int rc) {
        if (rc != 0) {
            throw new PosixException(call, rc, null);
        }
    }

    /** A NUL-terminated UTF-8 copy of {@code s}. */
    private static Pointer cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Pointer p = Memory.allocateDirect(RUNTIME, bytes.length + 1, true);
        p.put(0, bytes, 0, bytes.length);
        return p;
    }

    /** One native block: a NULL-terminated {@code char *[]} followed by the strings it points to. */
    private static Pointer cStringArray(List<String> strings) {
        int n = strings.size();
        int pointerBytes = RUNTIME.addressSize();
        byte[][] encoded = new byte[n][];
        long size = (long) (n + 1) * pointerBytes;
        for (int i = 0; i < n; i++) {
            encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            size += encoded[i].length + 1;
        }
        Pointer block = Memory.allocateDirect(RUNTIME, size, true);
        long offset = (long) (n + 1) * pointerBytes;
        for (int i = 0; i < n; i++) {
            block.putAddress((long) i * pointerBytes, block.address() + offset);
            block.put(offset, encoded[i], 0, encoded[i].length);
            offset += encoded[i].length + 1;
        }
        return block;
    }

    /**
     * The one {@code posix_spawnattr_t} every spawn uses that asks for no session or group, built on first
     * spawn and never changed: an empty signal mask and default dispositions for signals 1..64 but SIGKILL
     * and SIGSTOP (the JVM blocks SIGQUIT; under nohup SIGHUP is ignored; children must not inherit either).
     * A spawn with a session or group gets its own, the same plus those flags.
     */
    private static final class SpawnAttr {
        private static final Pointer EMPTY = Memory.allocateDirect(RUNTIME, SIGSET_BYTES, true);
        private static final Pointer DEFAULTED = Memory.allocateDirect(RUNTIME, SIGSET_BYTES, true);
        static final Pointer ATTR;

        /** {@link #ATTR}, or a new attribute object (destroyed by the caller) with the session or group flags. */
        static Pointer forRequest(SpawnRequest request) {
            if (!request.newSession() && request.processGroup() < 0) {
                return ATTR;
            }
            short flags = request.newSession() ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP;
            return build(flags, Math.max(0, request.processGroup()));
        }

        private static Pointer build(short extraFlags, long pgroup) {
            Pointer attr = Memory.allocateDirect(RUNTIME, SPAWNATTR_BYTES, true);
            checkSpawn("posix_spawnattr_init", LIBC.posix_spawnattr_init(attr));
            checkSpawn("posix_spawnattr_setsigmask", LIBC.posix_spawnattr_setsigmask(attr, EMPTY));
            checkSpawn("posix_spawnattr_setsigdefault", LIBC.posix_spawnattr_setsigdefault(attr, DEFAULTED));
            if ((extraFlags & POSIX_SPAWN_SETPGROUP) != 0) {
                checkSpawn("posix_spawnattr_setpgroup", LIBC.posix_spawnattr_setpgroup(attr, (int) pgroup));
            }
            checkSpawn("posix_spawnattr_setflags", LIBC.posix_spawnattr_setflags(attr,
                    (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | extraFlags)));
            return attr;
        }

        static {
            LIBC.sigemptyset(EMPTY);
            LIBC.sigemptyset(DEFAULTED);
            // Bits set by hand: sigfillset and sigaddset leave out glibc's internal signals 32 and
            // 33, which posix_spawn then sets to SIG_IGN in the child, and an ignored disposition
            // survives exec. sigset_t is an array of unsigned long, bit (sig - 1) for sig.
            int wordBits = RUNTIME.longSize() * 8;
            for (int sig = 1; sig < NSIG; sig++) {
                if (sig != SIGKILL && sig != SIGSTOP) {
                    long offset = (long) ((sig - 1) / wordBits) * RUNTIME.longSize();
                    DEFAULTED.putNativeLong(offset, DEFAULTED.getNativeLong(offset) | 1L << ((sig - 1) % wordBits));
                }
            }
            ATTR = build((short) 0, 0);
        }
    }

    // ----- the native signal library ---------------------------------------------------------------

    @Override
    public SignalLibrary loadSignalLibrary(Path library) {
        String file = library.getFileName().toString();
        if (!file.startsWith("lib") || !file.endsWith(".so")) {
            throw new IllegalArgumentException("library must be a file named lib<name>.so: " + library);
        }
        SignalLib lib;
        try {
            lib = LibraryLoader.create(SignalLib.class).failImmediately()
                    .search(library.toAbsolutePath().getParent().toString())
                    .load(file.substring(3, file.length() - 3));
        } catch (LinkageError | RuntimeException e) {
            throw new IllegalStateException("cannot load " + library + ": " + e.getMessage(), e);
        }
        return new SignalLibrary() {
            @Override
            public int setWakeupFd(int fd) {
                return lib.asyncio4j_sig_set_wakeup_fd(fd);
            }

            @Override
            public void install(int signum) {
                SignalLibrary.Codes.install(signum, lib.asyncio4j_sig_install(signum));
            }

            @Override
            public boolean uninstall(int signum) {
                return SignalLibrary.Codes.uninstall(signum, lib.asyncio4j_sig_uninstall(signum));
            }

            @Override
            public long takePending() {
                return lib.asyncio4j_sig_take();
            }

            @Override
            public long deliveries() {
                return lib.asyncio4j_sig_deliveries();
            }
        };
    }
}
