package org.asyncio4j.internal.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
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

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@link Posix} over the JDK's own foreign function API ({@code java.lang.foreign}, final in Java 22): the
 * same glibc calls, flags and spawn recipe as {@link JnrPosix}, without jnr-ffi, jffi or
 * {@code sun.misc.Unsafe}. Linux on LP64 (x86-64, aarch64, riscv64).
 *
 * <p>Calls that report failure through errno capture it with {@link Linker.Option#captureCallState}: the
 * value is copied into a per-thread segment before the JVM can run anything else on the thread. Hot paths
 * (waitpid, epoll_wait, the eventfd pair) use per-thread native scratch memory and allocate nothing once a
 * thread has made its first call.
 *
 * <p>Binding a downcall is a restricted operation: on Java 22+ the module (or {@code ALL-UNNAMED} on the
 * class path) needs {@code --enable-native-access}, else the JDK prints a warning (and later JDKs refuse).
 */
@SuppressWarnings("restricted")
final class FfmPosix implements Posix {
    static final Posix INSTANCE = new FfmPosix();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");

    // Functions that set errno take the capture segment as their first argument.
    private static final MethodHandle CLOSE = errnoCall("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle FCNTL = variadicErrnoCall("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle PIPE2 = errnoCall("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle OPEN = variadicErrnoCall("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle READ = errnoCall("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = errnoCall("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle EPOLL_CREATE1 = errnoCall("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL = errnoCall("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle EPOLL_WAIT = errnoCall("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD = errnoCall("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD_WRITE = errnoCall("eventfd_write", JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle WAITPID = errnoCall("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle KILL = errnoCall("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SYSCALL = variadicErrnoCall("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SYSCALL4 =
            variadicErrnoCall("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle GETPID = call("getpid", FunctionDescriptor.of(JAVA_INT));
    // sockets (issue 14)
    private static final MethodHandle SOCKET = errnoCall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = errnoCall("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = errnoCall("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = errnoCall("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = errnoCall("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKOPT = errnoCall("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECV = errnoCall("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SEND = errnoCall("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SHUTDOWN = errnoCall("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = errnoCall("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETPEERNAME = errnoCall("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle RECVFROM =
            errnoCall("recvfrom", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SENDTO =
            errnoCall("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SENDFILE = errnoCall("sendfile", JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private FfmPosix() {}

    @Override
    public String name() {
        return PosixBackends.FFM;
    }

    // ----- descriptors -------------------------------------------------------------------------

    @Override
    public void close(int fd) {
        Scratch s = SCRATCH.get();
        try {
            if ((int) CLOSE.invokeExact(s.callState, fd) != 0) {
                int e = s.errno();
                if (e != PosixException.EINTR) {
                    throw new PosixException("close", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public boolean isOpen(int fd) {
        try {
            return (int) FCNTL.invokeExact(SCRATCH.get().callState, fd, F_GETFD, 0) != -1;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int open(String path, int flags) {
        Scratch s = SCRATCH.get();
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(s.callState, arena.allocateFrom(path), flags | O_CLOEXEC, 0666);
            if (fd < 0) {
                throw new PosixException("open", s.errno(), path);
            }
            return fd;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int[] pipe() {
        Scratch s = SCRATCH.get();
        try {
            if ((int) PIPE2.invokeExact(s.callState, s.word, O_CLOEXEC) != 0) {
                throw new PosixException("pipe2", s.errno(), null);
            }
            return new int[] {s.word.get(JAVA_INT, 0), s.word.get(JAVA_INT, 4)};
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void setNonBlocking(int fd, boolean nonBlocking) {
        Scratch s = SCRATCH.get();
        try {
            int flags = (int) FCNTL.invokeExact(s.callState, fd, F_GETFL, 0);
            if (flags == -1) {
                throw new PosixException("fcntl", s.errno(), "F_GETFL fd " + fd);
            }
            int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
            if (wanted != flags && (int) FCNTL.invokeExact(s.callState, fd, F_SETFL, wanted) == -1) {
                throw new PosixException("fcntl", s.errno(), "F_SETFL fd " + fd);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Scratch s = SCRATCH.get();
        MemorySegment io = s.io();
        int count = Math.min(len, IO_CHUNK);
        try {
            while (true) {
                long n = (long) READ.invokeExact(s.callState, fd, io, (long) count);
                if (n >= 0) {
                    MemorySegment.copy(io, JAVA_BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return -1;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("read", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Scratch s = SCRATCH.get();
        MemorySegment io = s.io();
        int count = Math.min(len, IO_CHUNK);
        MemorySegment.copy(buf, off, io, JAVA_BYTE, 0, count);
        try {
            while (true) {
                long n = (long) WRITE.invokeExact(s.callState, fd, io, (long) count);
                if (n >= 0) {
                    return (int) n;
                }
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return -1;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("write", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ----- epoll and eventfd ---------------------------------------------------------------------

    @Override
    public int epollCreate() {
        Scratch s = SCRATCH.get();
        try {
            int fd = (int) EPOLL_CREATE1.invokeExact(s.callState, O_CLOEXEC);
            if (fd < 0) {
                throw new PosixException("epoll_create1", s.errno(), null);
            }
            return fd;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void epollCtl(int epfd, int op, int fd, int events) {
        Scratch s = SCRATCH.get();
        MemorySegment event = s.word;
        event.set(JAVA_INT, 0, events);
        event.set(JAVA_INT, EpollEvents.DATA_OFFSET, fd);
        event.set(JAVA_INT, EpollEvents.DATA_OFFSET + 4, 0);
        try {
            if ((int) EPOLL_CTL.invokeExact(s.callState, epfd, op, fd, event) != 0) {
                throw new PosixException("epoll_ctl", s.errno(), "epfd " + epfd + ", op " + op + ", fd " + fd);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int epollWait(int epfd, EpollEvents events, int timeoutMillis) {
        Scratch s = SCRATCH.get();
        // The segment views the events' direct buffer, which it keeps reachable.
        MemorySegment memory = events.nativeView instanceof MemorySegment m ? m : attach(events);
        try {
            int n = (int) EPOLL_WAIT.invokeExact(s.callState, epfd, memory, events.capacity(), timeoutMillis);
            if (n >= 0) {
                return n;
            }
            int e = s.errno();
            if (e == PosixException.EINTR) {
                return 0;
            }
            throw new PosixException("epoll_wait", e, "epfd " + epfd);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Views the events' direct buffer once; the events keep the view for every later call. */
    private static MemorySegment attach(EpollEvents events) {
        MemorySegment m = MemorySegment.ofBuffer(events.buffer);
        events.nativeView = m;
        return m;
    }

    @Override
    public int eventfd() {
        Scratch s = SCRATCH.get();
        try {
            int fd = (int) EVENTFD.invokeExact(s.callState, 0, O_CLOEXEC | O_NONBLOCK);
            if (fd < 0) {
                throw new PosixException("eventfd", s.errno(), null);
            }
            return fd;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void eventfdSignal(int fd) {
        Scratch s = SCRATCH.get();
        try {
            while ((int) EVENTFD_WRITE.invokeExact(s.callState, fd, 1L) != 0) {
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("eventfd_write", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public long eventfdDrain(int fd) {
        Scratch s = SCRATCH.get();
        try {
            while ((long) READ.invokeExact(s.callState, fd, s.word, 8L) != 8) {
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return 0;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("read", e, "eventfd " + fd);
                }
            }
            return s.word.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ----- processes ---------------------------------------------------------------------------

    @Override
    public long getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public long waitpid(long pid, int options) {
        Scratch s = SCRATCH.get();
        try {
            while (true) {
                int r = (int) WAITPID.invokeExact(s.callState, (int) pid, s.word, options);
                if (r >= 0) {
                    return WaitResult.pack(r, r == 0 ? 0 : s.word.get(JAVA_INT, 0));
                }
                int e = s.errno();
                if (e != PosixException.EINTR) {
                    throw new PosixException("waitpid", e, "pid " + pid);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void kill(long pid, int signum) {
        Scratch s = SCRATCH.get();
        try {
            if ((int) KILL.invokeExact(s.callState, (int) pid, signum) != 0) {
                throw new PosixException("kill", s.errno(), "pid " + pid + ", signal " + signum);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int pidfdOpen(long pid) {
        if (SYS_PIDFD_OPEN < 0) {
            throw new PosixException("pidfd_open", PosixException.ENOSYS, "unknown syscall number on " + System.getProperty("os.arch"));
        }
        Scratch s = SCRATCH.get();
        try {
            long fd = (long) SYSCALL.invokeExact(s.callState, SYS_PIDFD_OPEN, pid, 0L);
            if (fd < 0) {
                throw new PosixException("pidfd_open", s.errno(), "pid " + pid);
            }
            return (int) fd;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void pidfdSendSignal(int pidfd, int signum) {
        if (SYS_PIDFD_SEND_SIGNAL < 0) {
            throw new PosixException("pidfd_send_signal", PosixException.ENOSYS, "unknown syscall number on " + System.getProperty("os.arch"));
        }
        Scratch s = SCRATCH.get();
        try {
            if ((long) SYSCALL4.invokeExact(s.callState, SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) signum, 0L, 0L) < 0) {
                throw new PosixException("pidfd_send_signal", s.errno(), "pidfd " + pidfd + ", signal " + signum);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ----- sockets (issue 14) --------------------------------------------------------------------

    @Override
    public int socket(int family, int type) {
        Scratch s = SCRATCH.get();
        try {
            int fd = (int) SOCKET.invokeExact(s.callState, family, type | SOCK_FLAGS, 0);
            if (fd < 0) {
                throw new PosixException("socket", s.errno(), "family " + family + ", type " + type);
            }
            return fd;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Copies {@code address} into the thread's sockaddr memory; returns its length. */
    private static int putAddress(MemorySegment memory, InetSocketAddress address, String call) {
        byte[] bytes = new byte[SocketAddresses.STORAGE_BYTES];
        int length = SocketAddresses.encode(address, bytes, call);
        MemorySegment.copy(bytes, 0, memory, JAVA_BYTE, 0, length);
        return length;
    }

    private static InetSocketAddress getAddress(Scratch s, String call) {
        int length = Math.min(s.addressLength.get(JAVA_INT, 0), SocketAddresses.STORAGE_BYTES);
        byte[] bytes = new byte[SocketAddresses.STORAGE_BYTES];
        MemorySegment.copy(s.address, JAVA_BYTE, 0, bytes, 0, length);
        return SocketAddresses.decode(bytes, length, call);
    }

    @Override
    public void bind(int fd, InetSocketAddress address) {
        Scratch s = SCRATCH.get();
        try {
            if ((int) BIND.invokeExact(s.callState, fd, s.address, putAddress(s.address, address, "bind")) != 0) {
                throw new PosixException("bind", s.errno(), address.toString());
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void listen(int fd, int backlog) {
        Scratch s = SCRATCH.get();
        try {
            if ((int) LISTEN.invokeExact(s.callState, fd, backlog) != 0) {
                throw new PosixException("listen", s.errno(), "fd " + fd);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int accept(int fd) {
        Scratch s = SCRATCH.get();
        try {
            while (true) {
                int conn = (int) ACCEPT4.invokeExact(s.callState, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_FLAGS);
                if (conn >= 0) {
                    return conn;
                }
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return -1;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("accept4", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public boolean connect(int fd, InetSocketAddress address) {
        Scratch s = SCRATCH.get();
        try {
            if ((int) CONNECT.invokeExact(s.callState, fd, s.address, putAddress(s.address, address, "connect")) == 0) {
                return true;
            }
            int e = s.errno();
            if (e == PosixException.EINPROGRESS || e == PosixException.EINTR) {
                return false; // EINTR: the connection goes on asynchronously, as for EINPROGRESS
            }
            throw new PosixException("connect", e, address.toString());
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int socketError(int fd) {
        Scratch s = SCRATCH.get();
        s.addressLength.set(JAVA_INT, 0, 4);
        try {
            if ((int) GETSOCKOPT.invokeExact(s.callState, fd, SOL_SOCKET, SO_ERROR, s.address, s.addressLength) != 0) {
                throw new PosixException("getsockopt", s.errno(), "SO_ERROR fd " + fd);
            }
            return s.address.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void setSocketOption(int fd, int level, int option, int value) {
        Scratch s = SCRATCH.get();
        s.address.set(JAVA_INT, 0, value);
        try {
            if ((int) SETSOCKOPT.invokeExact(s.callState, fd, level, option, s.address, 4) != 0) {
                throw new PosixException("setsockopt", s.errno(), "fd " + fd + ", level " + level + ", option " + option);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int recv(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Scratch s = SCRATCH.get();
        MemorySegment io = s.io();
        int count = Math.min(len, IO_CHUNK);
        try {
            while (true) {
                long n = (long) RECV.invokeExact(s.callState, fd, io, (long) count, 0);
                if (n >= 0) {
                    MemorySegment.copy(io, JAVA_BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return -1;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("recv", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int send(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Scratch s = SCRATCH.get();
        MemorySegment io = s.io();
        int count = Math.min(len, IO_CHUNK);
        MemorySegment.copy(buf, off, io, JAVA_BYTE, 0, count);
        try {
            while (true) {
                long n = (long) SEND.invokeExact(s.callState, fd, io, (long) count, MSG_NOSIGNAL);
                if (n >= 0) {
                    return (int) n;
                }
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return -1;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("send", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void shutdown(int fd, int how) {
        Scratch s = SCRATCH.get();
        try {
            if ((int) SHUTDOWN.invokeExact(s.callState, fd, how) != 0) {
                throw new PosixException("shutdown", s.errno(), "fd " + fd);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public @Nullable ReceivedDatagram recvfrom(int fd) {
        Scratch s = SCRATCH.get();
        MemorySegment io = s.io();
        try {
            while (true) {
                s.addressLength.set(JAVA_INT, 0, SocketAddresses.STORAGE_BYTES);
                long n = (long) RECVFROM.invokeExact(s.callState, fd, io, (long) IO_CHUNK, 0, s.address, s.addressLength);
                if (n >= 0) {
                    byte[] data = new byte[(int) n];
                    MemorySegment.copy(io, JAVA_BYTE, 0, data, 0, data.length);
                    return new ReceivedDatagram(data, getAddress(s, "recvfrom"));
                }
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return null;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("recvfrom", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public int sendto(int fd, byte[] buf, int off, int len, @Nullable InetSocketAddress to) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > IO_CHUNK) {
            throw new PosixException("sendto", PosixException.EMSGSIZE, len + " bytes to " + to);
        }
        Scratch s = SCRATCH.get();
        MemorySegment io = s.io();
        MemorySegment.copy(buf, off, io, JAVA_BYTE, 0, len);
        int addressLength = to == null ? 0 : putAddress(s.address, to, "sendto");
        MemorySegment address = to == null ? MemorySegment.NULL : s.address;
        try {
            while (true) {
                long n = (long) SENDTO.invokeExact(s.callState, fd, io, (long) len, MSG_NOSIGNAL, address, addressLength);
                if (n >= 0) {
                    return (int) n;
                }
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return -1;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("sendto", e, "fd " + fd + (to == null ? "" : " to " + to));
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        Scratch s = SCRATCH.get();
        try {
            while (true) {
                s.word.set(JAVA_LONG, 0, offset);
                long n = (long) SENDFILE.invokeExact(s.callState, outFd, inFd, s.word, count);
                if (n >= 0) {
                    return n;
                }
                int e = s.errno();
                if (e == PosixException.EAGAIN) {
                    return -1;
                }
                if (e != PosixException.EINTR) {
                    throw new PosixException("sendfile", e, "fd " + inFd + " to fd " + outFd);
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public InetSocketAddress localAddress(int fd) {
        Scratch s = SCRATCH.get();
        s.addressLength.set(JAVA_INT, 0, SocketAddresses.STORAGE_BYTES);
        try {
            if ((int) GETSOCKNAME.invokeExact(s.callState, fd, s.address, s.addressLength) != 0) {
                throw new PosixException("getsockname", s.errno(), "fd " + fd);
            }
            return getAddress(s, "getsockname");
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public InetSocketAddress remoteAddress(int fd) {
        Scratch s = SCRATCH.get();
        s.addressLength.set(JAVA_INT, 0, SocketAddresses.STORAGE_BYTES);
        try {
            if ((int) GETPEERNAME.invokeExact(s.callState, fd, s.address, s.addressLength) != 0) {
                throw new PosixException("getpeername", s.errno(), "fd " + fd);
            }
            return getAddress(s, "getpeername");
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ----- Unix-domain sockets (issue 14) --------------------------------------------------------

    private static int putUnixAddress(MemorySegment memory, byte[] path, String call) {
        byte[] bytes = new byte[SocketAddresses.STORAGE_BYTES];
        int length = SocketAddresses.encodeUnix(path, bytes, call);
        MemorySegment.copy(bytes, 0, memory, JAVA_BYTE, 0, length);
        return length;
    }

    private static byte[] getUnixAddress(Scratch s, String call) {
        int length = Math.min(s.addressLength.get(JAVA_INT, 0), SocketAddresses.STORAGE_BYTES);
        byte[] bytes = new byte[SocketAddresses.STORAGE_BYTES];
        MemorySegment.copy(s.address, JAVA_BYTE, 0, bytes, 0, length);
        return SocketAddresses.decodeUnix(bytes, length, call);
    }

    @Override
    public void bindUnix(int fd, byte[] path) {
        Scratch s = SCRATCH.get();
        try {
            if ((int) BIND.invokeExact(s.callState, fd, s.address, putUnixAddress(s.address, path, "bind")) != 0) {
                throw new PosixException("bind", s.errno(), UnixPaths.describe(path));
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public boolean connectUnix(int fd, byte[] path) {
        Scratch s = SCRATCH.get();
        try {
            if ((int) CONNECT.invokeExact(s.callState, fd, s.address, putUnixAddress(s.address, path, "connect")) == 0) {
                return true;
            }
            int e = s.errno();
            if (e == PosixException.EINPROGRESS || e == PosixException.EINTR) {
                return false; // EAGAIN (the listener's backlog is full) is an error: nothing is in progress
            }
            throw new PosixException("connect", e, UnixPaths.describe(path));
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public byte[] localUnixPath(int fd) {
        Scratch s = SCRATCH.get();
        s.addressLength.set(JAVA_INT, 0, SocketAddresses.STORAGE_BYTES);
        try {
            if ((int) GETSOCKNAME.invokeExact(s.callState, fd, s.address, s.addressLength) != 0) {
                throw new PosixException("getsockname", s.errno(), "fd " + fd);
            }
            return getUnixAddress(s, "getsockname");
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public byte[] remoteUnixPath(int fd) {
        Scratch s = SCRATCH.get();
        s.addressLength.set(JAVA_INT, 0, SocketAddresses.STORAGE_BYTES);
        try {
            if ((int) GETPEERNAME.invokeExact(s.callState, fd, s.address, s.addressLength) != 0) {
                throw new PosixException("getpeername", s.errno(), "fd " + fd);
            }
            return getUnixAddress(s, "getpeername");
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ----- spawn ---------------------------------------------------------------------------------

    /** The same file actions as {@link JnrPosix#spawn}, whose javadoc explains their order. */
    @Override
    public long spawn(SpawnRequest request) {
        List<String> argv = request.argv();
        int[] sources = {request.stdin(), request.stdout(), request.stderr()};
        int[] parentCopies = {-1, -1, -1};
        Scratch s = SCRATCH.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argvArray = cStringArray(arena, argv);
            MemorySegment file = request.executable().equals(argv.get(0)) ? argvArray.get(ADDRESS, 0) : arena.allocateFrom(request.executable());
            MemorySegment envArray = request.env() == null ? Spawn.ENVIRON.get(ADDRESS, 0) : cStringArray(arena, request.env());
            MemorySegment actions = arena.allocate(FILE_ACTIONS_BYTES, 16);
            MemorySegment pid = arena.allocate(JAVA_INT);
            MemorySegment attr = Spawn.forRequest(arena, request);
            checkSpawn("posix_spawn_file_actions_init", (int) Spawn.FILE_ACTIONS_INIT.invokeExact(actions));
            try {
                if (request.cwd() != null) {
                    checkSpawn("posix_spawn_file_actions_addchdir_np",
                            (int) Spawn.ADDCHDIR.invokeExact(actions, arena.allocateFrom(request.cwd())));
                }
                for (int target = 0; target < 3; target++) {
                    int source = sources[target];
                    if (source >= 0 && source < 3 && source != target) {
                        source = (int) FCNTL.invokeExact(s.callState, source, F_DUPFD_CLOEXEC, 3);
                        if (source < 0) {
                            throw new PosixException("fcntl", s.errno(), "F_DUPFD_CLOEXEC fd " + sources[target]);
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
                checkSpawn("posix_spawn_file_actions_addclosefrom_np", (int) Spawn.ADDCLOSEFROM.invokeExact(actions, 3 + k));
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
                        checkSpawn("posix_spawn_file_actions_addclose", (int) Spawn.ADDCLOSE.invokeExact(actions, temp));
                    }
                }
                int rc = (int) Spawn.POSIX_SPAWNP.invokeExact(pid, file, actions, attr, argvArray, envArray);
                if (rc != 0) {
                    throw new PosixException("posix_spawnp", rc, request.cwd() == null ? request.executable() : request.executable() + " in cwd " + request.cwd());
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) Spawn.FILE_ACTIONS_DESTROY.invokeExact(actions);
                if (attr != Spawn.ATTR) {
                    ignored = (int) Spawn.ATTR_DESTROY.invokeExact(attr);
                }
                for (int copy : parentCopies) {
                    if (copy >= 0) {
                        close(copy);
                    }
                }
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    private static void addDup2(MemorySegment actions, int fd, int newfd) throws Throwable {
        int rc = (int) Spawn.ADDDUP2.invokeExact(actions, fd, newfd);
        if (rc != 0) {
            throw new PosixException("posix_spawn_file_actions_adddup2", rc, fd + " -> " + newfd);
        }
    }

    private static void checkSpawn(String call, int rc) {
        if (rc != 0) {
            throw new PosixException(call, rc, null);
        }
    }

    /** A NULL-terminated {@code char *[]} of UTF-8 copies of {@code strings}, all in {@code arena}. */
    private static MemorySegment cStringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    // ----- the native signal library ---------------------------------------------------------------

    @Override
    public SignalLibrary loadSignalLibrary(Path library) {
        try {
            // Global arena: the library stays loaded for the JVM's life, as a jnr-ffi library does.
            SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
            return new FfmSignalLibrary(lookup);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot load " + library + ": " + e.getMessage(), e);
        }
    }

    /** The library's functions as downcall handles; none sets errno (they return it). */
    private static final class FfmSignalLibrary implements SignalLibrary {
        private final MethodHandle setWakeupFd;
        private final MethodHandle install;
        private final MethodHandle uninstall;
        private final MethodHandle take;
        private final MethodHandle deliveries;

        FfmSignalLibrary(SymbolLookup lookup) {
            setWakeupFd = bind(lookup, "asyncio4j_sig_set_wakeup_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            install = bind(lookup, "asyncio4j_sig_install", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            uninstall = bind(lookup, "asyncio4j_sig_uninstall", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            take = bind(lookup, "asyncio4j_sig_take", FunctionDescriptor.of(JAVA_LONG));
            deliveries = bind(lookup, "asyncio4j_sig_deliveries", FunctionDescriptor.of(JAVA_LONG));
        }

        private static MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
            MemorySegment symbol = lookup.find(name)
                    .orElseThrow(() -> new UnsatisfiedLinkError("the signal library has no " + name));
            return LINKER.downcallHandle(symbol, descriptor);
        }

        @Override
        public int setWakeupFd(int fd) {
            try {
                return (int) setWakeupFd.invokeExact(fd);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        @Override
        public void install(int signum) {
            int rc;
            try {
                rc = (int) install.invokeExact(signum);
            } catch (Throwable t) {
                throw propagate(t);
            }
            SignalLibrary.Codes.install(signum, rc);
        }

        @Override
        public boolean uninstall(int signum) {
            int rc;
            try {
                rc = (int) uninstall.invokeExact(signum);
            } catch (Throwable t) {
                throw propagate(t);
            }
            return SignalLibrary.Codes.uninstall(signum, rc);
        }

        @Override
        public long takePending() {
            try {
                return (long) take.invokeExact();
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        @Override
        public long deliveries() {
            try {
                return (long) deliveries.invokeExact();
            } catch (Throwable t) {
                throw propagate(t);
            }
        }
    }

    // ----- binding -------------------------------------------------------------------------------

    private static MethodHandle call(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A function that sets errno: its handle takes the capture segment first. */
    private static MethodHandle errnoCall(String name, MemoryLayout result, MemoryLayout... args) {
        return call(name, FunctionDescriptor.of(result, args), SAVE_ERRNO);
    }

    /** A variadic function that sets errno, with {@code fixed} named parameters. */
    private static MethodHandle variadicErrnoCall(String name, int fixed, MemoryLayout result, MemoryLayout... args) {
        return call(name, FunctionDescriptor.of(result, args), SAVE_ERRNO, Linker.Option.firstVariadicArg(fixed));
    }

    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    /** One thread's errno capture segment and scratch memory; each call uses them and is done. */
    private static final class Scratch {
        private final Arena arena = Arena.ofAuto();
        /** Where the downcall stub saves errno. */
        final MemorySegment callState = arena.allocate(CALL_STATE);
        /**
         * A wait status, an eventfd counter, a pipe's fd pair or a {@code struct epoll_event}, always at
         * offset 0.
         */
        final MemorySegment word = arena.allocate(16, 8);
        /** A sockaddr for the socket calls (issue 14), and its length beside it. */
        final MemorySegment address = arena.allocate(SocketAddresses.STORAGE_BYTES, 8);
        final MemorySegment addressLength = arena.allocate(JAVA_INT);
        private MemorySegment io;

        int errno() {
            return (int) ERRNO.get(callState, 0L);
        }

        /** The read/write bounce buffer, allocated on the thread's first read or write. */
        MemorySegment io() {
            if (io == null) {
                io = arena.allocate(IO_CHUNK);
            }
            return io;
        }
    }

    /**
     * The posix_spawn family (which returns an error number rather than setting errno), bound on first
     * spawn, and the one {@code posix_spawnattr_t} every spawn without a session or group uses: an empty
     * signal mask and default dispositions for signals 1..64 but SIGKILL and SIGSTOP (the JVM blocks SIGQUIT;
     * under nohup SIGHUP is ignored; children must not inherit either). A spawn with a session or group gets
     * its own, the same plus those flags.
     */
    private static final class Spawn {

        static final MethodHandle POSIX_SPAWNP = call("posix_spawnp",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle FILE_ACTIONS_INIT = call("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FILE_ACTIONS_DESTROY = call("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ADDDUP2 = call("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle ADDCLOSE = call("posix_spawn_file_actions_addclose", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle ADDCLOSEFROM = call("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle ADDCHDIR = call("posix_spawn_file_actions_addchdir_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        private static final MethodHandle ATTR_INIT = call("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        private static final MethodHandle ATTR_SETFLAGS = call("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        private static final MethodHandle ATTR_SETSIGMASK = call("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        private static final MethodHandle ATTR_SETSIGDEFAULT = call("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        private static final MethodHandle ATTR_SETPGROUP = call("posix_spawnattr_setpgroup", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle ATTR_DESTROY = call("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        private static final MemorySegment EMPTY = Arena.global().allocate(SIGSET_BYTES, 16);
        private static final MemorySegment DEFAULTED = Arena.global().allocate(SIGSET_BYTES, 16);

        /** The global {@code char **environ}, read at each spawn that inherits the environment. */
        static final MemorySegment ENVIRON = LINKER.defaultLookup().find("environ")
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no environ"))
                .reinterpret(ADDRESS.byteSize());

        static final MemorySegment ATTR;

        /** {@link #ATTR}, or a new attribute object in {@code arena} (destroyed by the caller) with the session or group flags. */
        static MemorySegment forRequest(Arena arena, SpawnRequest request) throws Throwable {
            if (!request.newSession() && request.processGroup() < 0) {
                return ATTR;
            }
            short flags = request.newSession() ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP;
            return build(arena, flags, Math.max(0, request.processGroup()));
        }

        private static MemorySegment build(Arena arena, short extraFlags, long pgroup) throws Throwable {
            MemorySegment attr = arena.allocate(SPAWNATTR_BYTES, 16);
            checkSpawn("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
            checkSpawn("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attr, EMPTY));
            checkSpawn("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attr, DEFAULTED));
            if ((extraFlags & POSIX_SPAWN_SETPGROUP) != 0) {
                checkSpawn("posix_spawnattr_setpgroup", (int) ATTR_SETPGROUP.invokeExact(attr, (int) pgroup));
            }
            checkSpawn("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attr,
                    (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | extraFlags)));
            return attr;
        }

        static {
            // Zeroed memory is an empty sigset_t, so no sigemptyset. Bits are set by hand: sigfillset and
            // sigaddset leave out glibc's internal signals 32 and 33, which posix_spawn then sets to SIG_IGN
            // in the child, and an ignored disposition survives exec. sigset_t is an array of unsigned long,
            // bit (sig - 1) for sig.
            MemorySegment defaulted = DEFAULTED;
            for (int sig = 1; sig < NSIG; sig++) {
                if (sig != SIGKILL && sig != SIGSTOP) {
                    long offset = (long) ((sig - 1) / Long.SIZE) * Long.BYTES;
                    defaulted.set(JAVA_LONG, offset, defaulted.get(JAVA_LONG, offset) | 1L << ((sig - 1) % Long.SIZE));
                }
            }
            try {
                ATTR = build(Arena.global(), (short) 0, 0);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }
    }
}
