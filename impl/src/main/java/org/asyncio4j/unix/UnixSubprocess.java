package org.asyncio4j.unix;

import java.io.ByteArrayOutputStream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.Subprocess;
import org.asyncio4j.base.LoopFuture;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;

/**
 * A child started by {@link SubprocessLauncher}: its pid, its pipes (non-blocking, owned by this object)
 * and its exit, learnt from the child watcher and completed on the loop. Used from the loop's thread,
 * except {@link #sendSignal} and its kin.
 */
final class UnixSubprocess implements Subprocess, AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final EventLoop loop;
    private final Posix posix = Posix.get();
    private final long pid;
    private final LoopFuture<Integer> exit;
    private volatile Integer returnCode;
    private int stdinFd;
    private int stdoutFd;
    private int stderrFd;
    private LoopFuture<ProcessOutput> communication;

    UnixSubprocess(EventLoop loop, long pid, int stdinFd, int stdoutFd, int stderrFd) {
        this.loop = loop;
        this.pid = pid;
        this.exit = new LoopFuture<>(loop);
        this.stdinFd = stdinFd;
        this.stdoutFd = stdoutFd;
        this.stderrFd = stderrFd;
    }

    /** On the loop: the watcher reported the exit. */
    void exited(int rc) {
        returnCode = rc;
        if (!exit.done()) {
            exit.setResult(rc);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Integer returnCode() {
        return returnCode;
    }

    @Override
    public AsyncFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public void sendSignal(int signum) {
        org.asyncio4j.internal.signal.SignalDispatcher.checkSignalNumber(signum);
        if (returnCode != null) {
            return; // reaped: the pid may already belong to someone else
        }
        try {
            posix.kill(Pids.check(pid), signum);
        } catch (PosixException e) {
            if (e.errno() != PosixException.ESRCH) {
                throw SystemErrors.illegalState("Cannot send signal " + signum + " to pid " + pid, e);
            }
        }
    }

    @Override
    public void terminate() {
        sendSignal(Signals.SIGTERM);
    }

    @Override
    public void kill() {
        sendSignal(Signals.SIGKILL);
    }

    @Override
    public int stdinFd() {
        return stdinFd;
    }

    @Override
    public int stdoutFd() {
        return stdoutFd;
    }

    @Override
    public int stderrFd() {
        return stderrFd;
    }

    @Override
    public AsyncFuture<ProcessOutput> communicate(byte[] input) {
        if (communication != null) {
            throw new IllegalStateException("communicate() was already called for pid " + pid);
        }
        if (input != null && stdinFd < 0) {
            throw new IllegalStateException("communicate(input) needs stdin=PIPE (pid " + pid + ")");
        }
        LoopFuture<ProcessOutput> result = new LoopFuture<>(loop);
        communication = result;
        Communication c = new Communication(result);
        c.start(input);
        return result;
    }

    /** The state of one {@link #communicate} call: a writer for stdin, readers for stdout and stderr. */
    private final class Communication {
        private final LoopFuture<ProcessOutput> result;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[CHUNK];
        private int open;
        private byte[] input;
        private int written;

        Communication(LoopFuture<ProcessOutput> result) {
            this.result = result;
        }

        void start(byte[] data) {
            try {
                startOrThrow(data);
            } catch (PosixException e) {
                throw SystemErrors.illegalState("Cannot communicate with pid " + pid, e);
            }
        }

        private void startOrThrow(byte[] data) {
            input = data == null ? new byte[0] : data;
            if (!(loop instanceof SelectorEventLoop)) {
                startPumpThreads();
                return;
            }
            if (stdinFd >= 0) {
                if (input.length == 0) {
                    stdinFd = closeQuietly(stdinFd);
                } else {
                    posix.setNonBlocking(stdinFd, true);
                    open++;
                    loop.addWriter(stdinFd, this::writeSome);
                }
            }
            if (stdoutFd >= 0) {
                posix.setNonBlocking(stdoutFd, true);
                open++;
                loop.addReader(stdoutFd, () -> stdoutFd = readSome(stdoutFd, out));
            }
            if (stderrFd >= 0) {
                posix.setNonBlocking(stderrFd, true);
                open++;
                loop.addReader(stderrFd, () -> stderrFd = readSome(stderrFd, err));
            }
            exit.addDoneCallback(f -> finishIfDone());
        }

        /**
         * For loops without readiness callbacks (the proactor): a daemon thread per pipe does blocking I/O and
         * posts each stream's completion to the loop, the way a proactor's I/O threads do.
         */
        private void startPumpThreads() {
            if (stdinFd >= 0) {
                int fd = stdinFd;
                stdinFd = -1;
                open++;
                pump("stdin", () -> {
                    try {
                        for (int off = 0; off < input.length; ) {
                            off += posix.write(fd, input, off, input.length - off);
                        }
                    } catch (PosixException e) {
                        // EPIPE: the child closed its stdin; what it did not read is dropped, as in CPython.
                    } finally {
                        closeQuietly(fd);
                    }
                    return null;
                }, done -> streamDone());
            }
            if (stdoutFd >= 0) {
                int fd = stdoutFd;
                stdoutFd = -1;
                open++;
                pump("stdout", () -> drain(fd), bytes -> {
                    out.write(bytes, 0, bytes.length);
                    streamDone();
                });
            }
            if (stderrFd >= 0) {
                int fd = stderrFd;
                stderrFd = -1;
                open++;
                pump("stderr", () -> drain(fd), bytes -> {
                    err.write(bytes, 0, bytes.length);
                    streamDone();
                });
            }
            exit.addDoneCallback(f -> finishIfDone());
        }

        private <R> void pump(String stream, java.util.concurrent.Callable<R> io, java.util.function.Consumer<R> onLoop) {
            Thread t = new Thread(() -> {
                Runnable completion;
                try {
                    R outcome = io.call();
                    completion = () -> onLoop.accept(outcome);
                } catch (Exception e) {
                    completion = () -> {
                        if (!result.done()) {
                            result.setException(e);
                        }
                    };
                }
                try {
                    loop.callSoonThreadsafe(completion);
                } catch (IllegalStateException loopClosed) {
                    // nobody is waiting any more
                }
            }, "asyncio4j-pipe-" + pid + "-" + stream);
            t.setDaemon(true);
            t.start();
        }

        /** Blocking reads to end of file, then closes {@code fd}. */
        private byte[] drain(int fd) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            byte[] chunk = new byte[CHUNK];
            try {
                int n;
                while ((n = posix.read(fd, chunk, 0, chunk.length)) > 0) {
                    sink.write(chunk, 0, n);
                }
            } catch (PosixException e) {
                // a read error ends the stream, as on the readiness path
            } finally {
                closeQuietly(fd);
            }
            return sink.toByteArray();
        }

        private void writeSome() {
            try {
                int n = posix.write(stdinFd, input, written, input.length - written);
                if (n > 0) {
                    written += n;
                }
                if (written < input.length) {
                    return;
                }
            } catch (PosixException e) {
                // EPIPE: the child closed its stdin; what it did not read is dropped, as in CPython.
            }
            loop.removeWriter(stdinFd);
            stdinFd = closeQuietly(stdinFd);
            streamDone();
        }

        /** Reads what is there; returns the fd, or -1 once it reached end of file and was closed. */
        private int readSome(int fd, ByteArrayOutputStream sink) {
            int n;
            try {
                n = posix.read(fd, buffer, 0, buffer.length);
            } catch (PosixException e) {
                n = 0; // treat a read error as end of stream
            }
            if (n > 0) {
                sink.write(buffer, 0, n);
                return fd;
            }
            if (n < 0) {
                return fd; // EAGAIN: spurious wake-up
            }
            loop.removeReader(fd);
            closeQuietly(fd);
            streamDone();
            return -1;
        }

        private void streamDone() {
            open--;
            finishIfDone();
        }

        private void finishIfDone() {
            if (open == 0 && exit.done() && !result.done()) {
                result.setResult(new ProcessOutput(exit.result(), out.toByteArray(), err.toByteArray()));
            }
        }
    }

    private int closeQuietly(int fd) {
        if (fd >= 0) {
            SystemErrors.closeQuietly(posix, fd);
        }
        return -1;
    }

    /** Closes the pipes this object still holds; idempotent. Does not signal or wait for the child. */
    @Override
    public void close() {
        for (int fd : new int[] {stdinFd, stdoutFd, stderrFd}) {
            if (fd >= 0 && !loop.isClosed()) {
                loop.removeReader(fd);
                loop.removeWriter(fd);
            }
        }
        stdinFd = closeQuietly(stdinFd);
        stdoutFd = closeQuietly(stdoutFd);
        stderrFd = closeQuietly(stderrFd);
    }

    @Override
    public String toString() {
        return "<Subprocess pid=" + pid + (returnCode == null ? " running" : " returncode=" + returnCode) + ">";
    }
}
