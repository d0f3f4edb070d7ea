package org.asyncio4j.proactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.EpollEvents;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;

/**
 * Completes the proactor's pipe operations. NIO.2 has no asynchronous pipe channel on Unix, so one thread per
 * loop ({@code asyncio4j-loopN-pipes}, started with the first pipe, joined by the loop's {@code close()})
 * performs each read and write the loop starts, on non-blocking descriptors, waiting in an epoll of its own
 * when the OS is not ready, and posts each completion to the loop's completion queue, as the channel group's
 * threads do for sockets. The loop sees only operations and completions, never readiness.
 *
 * <p>The pump owns the descriptors given to it: it closes each on {@link #close(int)}, after dropping that
 * descriptor's pending operations, or when it shuts down. Closing on the pump thread means no read or write
 * can ever reach a descriptor number that was closed and reused.
 */
final class PipePump {
    /** Bytes read per operation (the libc seam's chunk). */
    static final int MAX_READ = 64 * 1024;
    private static final long JOIN_SECONDS = 30;

    /** How a read completes, on the loop thread: data, or null data at end of file, or an error. */
    interface ReadDone {
        void done(byte[] data, IOException error);
    }

    private final Posix posix = Posix.get();
    private final CompletionQueue completions;
    private final String threadName;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> requests = new ArrayDeque<>(); // guarded by lock
    private boolean stopping;                                        // guarded by lock
    private Thread thread;                                           // guarded by lock
    private int epollFd = -1;
    private int wakeFd = -1;

    // pump thread only
    private final Map<Integer, Registration> registrations = new HashMap<>();
    private final Set<Integer> owned = new HashSet<>();
    private final byte[] scratch = new byte[MAX_READ];

    /** What is pending on one descriptor. */
    private static final class Registration {
        ReadDone read;
        byte[] writeData;
        int written;
        Consumer<IOException> writeDone;
        Runnable peerClosed;
        int mask = -1; // -1: not in the epoll set

        boolean idle() {
            return read == null && writeData == null && peerClosed == null;
        }

        int wanted() {
            return (read != null ? Posix.EPOLLIN : 0) | (writeData != null ? Posix.EPOLLOUT : 0);
        }
    }

    PipePump(CompletionQueue completions, String threadName) {
        this.completions = completions;
        this.threadName = threadName;
    }

    // ----- the loop thread's side ------------------------------------------------------------------

    /** Takes {@code fd} over: the pump closes it on {@link #close(int)} or at shutdown. */
    void adopt(int fd) {
        submit(() -> owned.add(fd));
    }

    /** Reads once from {@code fd} (up to {@link #MAX_READ} bytes) and posts the outcome to {@code done}. */
    void read(int fd, ReadDone done) {
        submit(() -> {
            Registration r = registration(fd);
            r.read = done;
            tryRead(fd, r);
            update(fd, r);
        });
    }

    /** Writes all of {@code data} to {@code fd} and posts the outcome (null: all written) to {@code done}. */
    void write(int fd, byte[] data, Consumer<IOException> done) {
        submit(() -> {
            Registration r = registration(fd);
            r.writeData = data;
            r.written = 0;
            r.writeDone = done;
            tryWrite(fd, r);
            update(fd, r);
        });
    }

    /** Posts {@code closed} once the OS reports an error or hang-up on {@code fd} with no write pending. */
    void watchPeerClose(int fd, Runnable closed) {
        submit(() -> {
            Registration r = registration(fd);
            r.peerClosed = closed;
            update(fd, r);
        });
    }

    /** Drops what is pending on {@code fd} (its completions never come) and closes it. */
    void close(int fd) {
        submit(() -> closeNow(fd));
    }

    private void submit(Runnable request) {
        synchronized (lock) {
            if (stopping) {
                return; // the loop is closing: shutdown() closes what the pump owns
            }
            if (thread == null) {
                startThread();
            }
            requests.add(request);
        }
        posix.eventfdSignal(wakeFd);
    }

    private void startThread() {
        try {
            epollFd = posix.epollCreate();
            wakeFd = posix.eventfd();
            posix.epollCtl(epollFd, Posix.EPOLL_CTL_ADD, wakeFd, Posix.EPOLLIN);
        } catch (PosixException e) {
            if (epollFd >= 0) {
                posix.close(epollFd);
            }
            if (wakeFd >= 0) {
                posix.close(wakeFd);
            }
            epollFd = -1;
            wakeFd = -1;
            throw new IllegalStateException("cannot start " + threadName + ": " + e.getMessage());
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the pump thread, which closes every descriptor it still owns, and waits for it to end. */
    void shutdown() {
        Thread t;
        synchronized (lock) {
            stopping = true;
            t = thread;
        }
        if (t == null) {
            return;
        }
        posix.eventfdSignal(wakeFd);
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_SECONDS);
        while (t.isAlive() && System.nanoTime() < deadline) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (t.isAlive()) {
            Loggers.LOG.log(Level.WARNING, threadName + " did not end within " + JOIN_SECONDS + " s of close()");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ----- the pump thread -------------------------------------------------------------------------

    private void run() {
        EpollEvents events = new EpollEvents(64);
        try {
            while (true) {
                ArrayDeque<Runnable> batch;
                boolean stop;
                synchronized (lock) {
                    stop = stopping;
                    batch = new ArrayDeque<>(requests);
                    requests.clear();
                }
                for (Runnable request : batch) {
                    request.run();
                }
                if (stop) {
                    break;
                }
                int n = posix.epollWait(epollFd, events, -1);
                for (int i = 0; i < n; i++) {
                    int fd = events.fd(i);
                    if (fd == wakeFd) {
                        posix.eventfdDrain(wakeFd);
                    } else {
                        ready(fd, events.events(i));
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            Loggers.LOG.log(Level.ERROR, threadName + " failed; pipe operations of this loop will not complete", e);
            throw e;
        } finally {
            for (int fd : Set.copyOf(owned)) {
                closeNow(fd);
            }
            posix.close(wakeFd);
            posix.close(epollFd);
        }
    }

    private Registration registration(int fd) {
        return registrations.computeIfAbsent(fd, k -> new Registration());
    }

    private void ready(int fd, int ready) {
        Registration r = registrations.get(fd);
        if (r == null) {
            return;
        }
        if (r.read != null) {
            tryRead(fd, r);
        }
        if (r.writeData != null) {
            tryWrite(fd, r);
        }
        if (r.writeData == null && r.peerClosed != null
                && (ready & (Posix.EPOLLERR | Posix.EPOLLHUP)) != 0) {
            Runnable closed = r.peerClosed;
            r.peerClosed = null;
            completions.post(closed);
        }
        update(fd, r);
    }

    private void tryRead(int fd, Registration r) {
        int n;
        try {
            n = posix.read(fd, scratch, 0, MAX_READ);
        } catch (PosixException e) {
            ReadDone done = r.read;
            r.read = null;
            IOException error = new IOException(e.getMessage());
            completions.post(() -> done.done(null, error));
            return;
        }
        if (n < 0) {
            return; // EAGAIN: wait for readiness
        }
        ReadDone done = r.read;
        r.read = null;
        byte[] data = n == 0 ? null : Arrays.copyOf(scratch, n);
        completions.post(() -> done.done(data, null));
    }

    private void tryWrite(int fd, Registration r) {
        try {
            int n;
            while (r.written < r.writeData.length
                    && (n = posix.write(fd, r.writeData, r.written, r.writeData.length - r.written)) >= 0) {
                r.written += n;
            }
        } catch (PosixException e) {
            finishWrite(r, new IOException(e.getMessage()));
            return;
        }
        if (r.written == r.writeData.length) {
            finishWrite(r, null);
        }
    }

    private void finishWrite(Registration r, IOException error) {
        Consumer<IOException> done = r.writeDone;
        r.writeData = null;
        r.writeDone = null;
        completions.post(() -> done.accept(error));
    }

    /** Brings the epoll set in line with what is pending on {@code fd}. */
    private void update(int fd, Registration r) {
        try {
            if (r.idle()) {
                if (r.mask >= 0) {
                    posix.epollCtl(epollFd, Posix.EPOLL_CTL_DEL, fd, 0);
                }
                registrations.remove(fd);
                return;
            }
            int wanted = r.wanted();
            if (r.mask < 0) {
                posix.epollCtl(epollFd, Posix.EPOLL_CTL_ADD, fd, wanted);
            } else if (r.mask != wanted) {
                posix.epollCtl(epollFd, Posix.EPOLL_CTL_MOD, fd, wanted);
            }
            r.mask = wanted;
        } catch (PosixException e) {
            failAll(fd, r, new IOException(e.getMessage()));
        }
    }

    /** The descriptor cannot be waited on: every pending operation fails with {@code error}. */
    private void failAll(int fd, Registration r, IOException error) {
        registrations.remove(fd);
        if (r.read != null) {
            ReadDone done = r.read;
            completions.post(() -> done.done(null, error));
        }
        if (r.writeData != null) {
            finishWrite(r, error);
        }
        if (r.peerClosed != null) {
            completions.post(r.peerClosed);
        }
    }

    private void closeNow(int fd) {
        Registration r = registrations.remove(fd);
        if (r != null && r.mask >= 0) {
            try {
                posix.epollCtl(epollFd, Posix.EPOLL_CTL_DEL, fd, 0);
            } catch (PosixException ignored) {
                // not in the set any more
            }
        }
        if (owned.remove(fd)) {
            try {
                posix.close(fd);
            } catch (PosixException e) {
                Loggers.LOG.log(Level.WARNING, threadName + ": closing pipe fd " + fd + " failed (closed by "
                        + "someone else while its transport owned it?): " + e.getMessage());
            }
        }
    }
}
