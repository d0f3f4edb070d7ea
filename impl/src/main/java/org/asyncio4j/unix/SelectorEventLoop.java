package org.asyncio4j.unix;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.Handle;
import org.asyncio4j.Protocol;
import org.asyncio4j.base.BaseEventLoop;
import org.asyncio4j.base.ReadPipeTransport;
import org.asyncio4j.base.SocketSupport;
import org.asyncio4j.base.WritePipeTransport;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.EpollEvents;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SystemErrors;

/**
 * The Unix event loop: readiness of raw file descriptors through Linux epoll, woken from other threads
 * through an eventfd (CPython's {@code selector_events} and {@code unix_events}).
 *
 * <p>Descriptors given to {@link #addReader} and {@link #addWriter} are the caller's: the loop never closes
 * them (those given to {@link #connectReadPipe} and {@link #connectWritePipe} belong to their transports,
 * which close them after {@code connectionLost}, or when the loop closes). A descriptor closed while registered is
 * forgotten by the kernel; remove it from the loop before closing it, as in CPython.
 *
 * <p>A loop that is garbage-collected without {@link #close()} reports {@code ResourceWarning: unclosed event
 * loop <loop>} on the {@code org.asyncio4j.warnings} logger and closes its epoll and eventfd descriptors
 * (LOOP-21). A loop with signal handlers stays reachable through the signal dispatcher until it is closed.
 */
public class SelectorEventLoop extends BaseEventLoop {
    private static final int MAX_EVENTS = 256;
    private static final Cleaner CLEANER = Cleaner.create();

    private final Posix posix = Posix.get();
    private final int epollFd;
    private final int wakeFd;
    private final EpollEvents events = new EpollEvents(MAX_EVENTS);
    private final AtomicInteger wakers = new AtomicInteger();
    private volatile boolean selectorClosing;
    private final UnclosedLoop unclosed;
    private final Cleaner.Cleanable unclosedReport;

    /** Descriptors owned by this loop's pipe transports, closed with the loop if still open (loop thread only). */
    private final Set<Integer> pipeFds = new HashSet<>();

    /** The loop's sockets, made on first use (loop thread only). */
    private UnixSockets sockets;

    /** Per descriptor: its reader and writer handles; indexed by fd (loop thread only). */
    private FdEntry[] entries = new FdEntry[64];

    private static final class FdEntry {
        Handle reader;
        Handle writer;

        int mask() {
            return (reader != null ? Posix.EPOLLIN : 0) | (writer != null ? Posix.EPOLLOUT : 0);
        }
    }

    /**
     * A new, open, not running loop.
     *
     * @throws IllegalStateException if the epoll or eventfd descriptor cannot be created (EMFILE, say)
     */
    @SuppressWarnings("this-escape") // toString() describes the new loop for the unclosed-loop warning; reads only
    public SelectorEventLoop() {
        try {
            epollFd = posix.epollCreate();
        } catch (PosixException e) {
            throw SystemErrors.illegalState("Cannot create an event loop", e);
        }
        int wake = -1;
        try {
            wake = posix.eventfd();
            posix.epollCtl(epollFd, Posix.EPOLL_CTL_ADD, wake, Posix.EPOLLIN);
        } catch (PosixException e) {
            if (wake >= 0) {
                SystemErrors.closeQuietly(posix, wake);
            }
            SystemErrors.closeQuietly(posix, epollFd);
            throw SystemErrors.illegalState("Cannot create an event loop", e);
        }
        wakeFd = wake;
        unclosed = new UnclosedLoop(posix, epollFd, wakeFd, toString());
        unclosedReport = CLEANER.register(this, unclosed);
    }

    /** Run once: by {@link #closeSelector()} (closed properly), or by the cleaner for a loop nobody closed. */
    private static final class UnclosedLoop implements Runnable {
        private final Posix posix;
        private final int epollFd;
        private final int wakeFd;
        private final String description;
        volatile boolean closedByOwner;

        UnclosedLoop(Posix posix, int epollFd, int wakeFd, String description) {
            this.posix = posix;
            this.epollFd = epollFd;
            this.wakeFd = wakeFd;
            this.description = description;
        }

        @Override
        public void run() {
            if (closedByOwner) {
                return;
            }
            Loggers.warn("ResourceWarning", "unclosed event loop " + description);
            posix.close(wakeFd);
            posix.close(epollFd);
        }
    }

    // ----- BaseEventLoop's I/O hooks ------------------------------------------------------------

    @Override
    protected void select(long timeoutNanos) {
        int timeoutMillis = timeoutNanos < 0 ? -1
                : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int n;
        try {
            n = posix.epollWait(epollFd, events, timeoutMillis);
        } catch (PosixException e) {
            throw SystemErrors.illegalState("Cannot poll " + this, e);
        }
        for (int i = 0; i < n; i++) {
            int fd = events.fd(i);
            int ready = events.events(i);
            if (fd == wakeFd) {
                drainWakeups();
                continue;
            }
            FdEntry entry = fd < entries.length ? entries[fd] : null;
            if (entry == null) {
                continue;
            }
            if ((ready & ~Posix.EPOLLOUT) != 0 && entry.reader != null) {
                if (entry.reader.cancelled()) {
                    removeReader(fd);
                } else {
                    addReady(entry.reader);
                }
            }
            if ((ready & ~Posix.EPOLLIN) != 0 && entry.writer != null) {
                if (entry.writer.cancelled()) {
                    removeWriter(fd);
                } else {
                    addReady(entry.writer);
                }
            }
        }
    }

    private void drainWakeups() {
        try {
            posix.eventfdDrain(wakeFd);
        } catch (PosixException e) {
            throw SystemErrors.illegalState("Cannot read the wake-up eventfd of " + this, e);
        }
    }

    @Override
    protected void wakeup() {
        wakers.incrementAndGet();
        try {
            if (!selectorClosing) {
                posix.eventfdSignal(wakeFd);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Fail to write a null byte into the self-pipe socket", e);
        } finally {
            wakers.decrementAndGet();
        }
    }

    @Override
    protected void closeSelector() {
        selectorClosing = true;
        while (wakers.get() != 0) {
            Thread.onSpinWait(); // a concurrent wakeup() is writing to wakeFd: let it finish first
        }
        Arrays.fill(entries, null);
        if (sockets != null) {
            sockets.closeAll();
        }
        closePipes();
        SystemErrors.closeQuietly(posix, wakeFd);
        SystemErrors.closeQuietly(posix, epollFd);
        unclosed.closedByOwner = true;
        unclosedReport.clean();
    }

    // ----- readers and writers ------------------------------------------------------------------

    @Override
    public void addReader(int fd, Runnable callback) {
        register(fd, callback, true);
    }

    @Override
    public void addWriter(int fd, Runnable callback) {
        register(fd, callback, false);
    }

    @Override
    public boolean removeReader(int fd) {
        return unregister(fd, true);
    }

    @Override
    public boolean removeWriter(int fd) {
        return unregister(fd, false);
    }

    private void register(int fd, Runnable callback, boolean reading) {
        checkClosed();
        checkThread();
        checkFd(fd);
        Objects.requireNonNull(callback, "callback");
        Handle handle = new Handle(callback, this);
        FdEntry existing = fd < entries.length ? entries[fd] : null;
        int before = existing == null ? 0 : existing.mask();
        int after = before | (reading ? Posix.EPOLLIN : Posix.EPOLLOUT);
        control(fd, before, after); // the kernel validates fd before the table grows to hold it
        FdEntry entry = existing != null ? existing : entryFor(fd);
        Handle previous = reading ? entry.reader : entry.writer;
        if (reading) {
            entry.reader = handle;
        } else {
            entry.writer = handle;
        }
        if (previous != null) {
            previous.cancel();
        }
    }

    private boolean unregister(int fd, boolean reading) {
        if (isClosed() || fd < 0 || fd >= entries.length || entries[fd] == null) {
            return false;
        }
        checkThread();
        FdEntry entry = entries[fd];
        Handle handle = reading ? entry.reader : entry.writer;
        if (handle == null) {
            return false;
        }
        int before = entry.mask();
        if (reading) {
            entry.reader = null;
        } else {
            entry.writer = null;
        }
        int after = entry.mask();
        if (after == 0) {
            entries[fd] = null;
        }
        try {
            control(fd, before, after);
        } catch (IllegalArgumentException closedByOwner) {
            // The descriptor was closed while registered: the kernel has already forgotten it.
        }
        handle.cancel();
        return true;
    }

    private void control(int fd, int before, int after) {
        try {
            if (after == 0) {
                posix.epollCtl(epollFd, Posix.EPOLL_CTL_DEL, fd, 0);
            } else if (before == 0) {
                posix.epollCtl(epollFd, Posix.EPOLL_CTL_ADD, fd, after);
            } else {
                try {
                    posix.epollCtl(epollFd, Posix.EPOLL_CTL_MOD, fd, after);
                } catch (PosixException e) {
                    if (e.errno() != PosixException.ENOENT) {
                        throw e;
                    }
                    // closed and reopened under the same number since it was registered
                    posix.epollCtl(epollFd, Posix.EPOLL_CTL_ADD, fd, after);
                }
            }
        } catch (PosixException e) {
            throw badDescriptor(fd, e);
        }
    }

    private static IllegalArgumentException badDescriptor(int fd, PosixException e) {
        String why = switch (e.errno()) {
            case PosixException.EBADF -> "fd " + fd + " is not an open file descriptor";
            case PosixException.EPERM -> "fd " + fd + " cannot be polled (regular files and directories are always ready)";
            case PosixException.ENOENT -> "fd " + fd + " is not registered with the selector";
            default -> "fd " + fd + " cannot be watched";
        };
        return SystemErrors.illegalArgument(why, e);
    }

    private static void checkFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("Invalid file descriptor: " + fd);
        }
    }

    private FdEntry entryFor(int fd) {
        if (fd >= entries.length) {
            entries = Arrays.copyOf(entries, Math.max(fd + 1, entries.length * 2));
        }
        FdEntry entry = entries[fd];
        if (entry == null) {
            entry = new FdEntry();
            entries[fd] = entry;
        }
        return entry;
    }

    // ----- pipes ---------------------------------------------------------------------------------

    /** A transport that reads by readiness, at most 64 KiB per readiness. */
    @Override
    protected ReadPipeTransport makeReadPipeTransport(int fd, Protocol protocol) {
        adoptPipe(fd);
        return new UnixReadPipeTransport(this, fd, protocol);
    }

    /** A transport that writes straight through while nothing is buffered, the rest by readiness. */
    @Override
    protected WritePipeTransport makeWritePipeTransport(int fd, BaseProtocol protocol) {
        adoptPipe(fd);
        return new UnixWritePipeTransport(this, fd, protocol);
    }

    /**
     * Makes {@code fd} non-blocking and the loop's, to be closed by {@link #releasePipe} or with the loop, once
     * epoll is known to accept it.
     */
    private void adoptPipe(int fd) {
        checkPollable(fd);
        setPipeNonBlocking(fd);
        pipeFds.add(fd);
    }

    /** A pipe transport is done with {@code fd}: it is closed now. */
    void releasePipe(int fd) {
        if (pipeFds.remove(fd)) {
            posix.close(fd);
        }
    }

    /** Closes the descriptors of pipe transports still open when the loop closes (their protocols hear nothing). */
    private void closePipes() {
        for (int fd : pipeFds) {
            try {
                posix.close(fd);
            } catch (PosixException e) {
                LOG.log(Level.WARNING, "closing pipe fd " + fd + " of " + this + " failed (closed by someone else "
                        + "while its transport owned it?): " + e.getMessage());
            }
        }
        pipeFds.clear();
    }

    /**
     * Refuses, now rather than from the transport's first callback, a descriptor epoll cannot watch (a regular
     * file: EPERM) or that is not open, by registering it for a moment. One already watched is left alone.
     */
    private void checkPollable(int fd) {
        if (fd < entries.length && entries[fd] != null) {
            return;
        }
        try {
            posix.epollCtl(epollFd, Posix.EPOLL_CTL_ADD, fd, 0);
            posix.epollCtl(epollFd, Posix.EPOLL_CTL_DEL, fd, 0);
        } catch (PosixException e) {
            throw badDescriptor(fd, e);
        }
    }

    // ----- sockets (issue 14): see UnixSockets -----------------------------------------------------

    @Override
    protected SocketSupport socketSupport() {
        checkClosed();
        checkThread();
        if (sockets == null) {
            sockets = new UnixSockets(this);
        }
        return sockets;
    }
}
