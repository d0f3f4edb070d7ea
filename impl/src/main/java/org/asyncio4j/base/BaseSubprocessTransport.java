package org.asyncio4j.base;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoops;
import org.asyncio4j.Protocol;
import org.asyncio4j.SubprocessProtocol;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SystemErrors;
import org.asyncio4j.internal.signal.SignalDispatcher;

/**
 * A child process as a transport, whichever loop drives it: CPython's {@code base_subprocess._BaseSubprocessTransport}
 * and {@code unix_events._UnixSubprocessTransport}. Its pipes are the loop's own pipe transports, connected
 * through {@link EventLoop#connectReadPipe} and {@link EventLoop#connectWritePipe}, so each loop drives them
 * its way; its exit comes from the policy's child watcher, posted to the loop.
 *
 * <p>Callback order (SUB-01..04): until the protocol's {@code connectionMade} is scheduled, pipe data, pipe
 * closes and the exit are queued; then they run in the order they happened; {@code connectionLost(null)} is
 * called once, after the exit and after every pipe has closed.
 *
 * <p>Signals go through a pidfd opened right after the spawn (before the watcher can reap the child), so they
 * can never reach a process that reused the pid; where the kernel refuses pidfds, through {@code kill} while
 * no exit has been seen. The pidfd is closed when the exit reaches the loop. Used on the loop's thread, except
 * the signal methods.
 */
final class BaseSubprocessTransport implements SubprocessTransport {
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;
    private static final Posix POSIX = Posix.get();

    private final BaseEventLoop loop;
    private final long pid;
    private final boolean leadsGroup;
    private final BaseTransport[] pipes = new BaseTransport[3];
    private final Object signalLock = new Object();
    private int pidfd;
    private SubprocessProtocol protocol;
    private volatile Integer returnCode;
    private int pipesOpen;
    private List<Runnable> pendingCalls = new ArrayList<>();
    private boolean closed;
    private boolean finished;

    BaseSubprocessTransport(BaseEventLoop loop, SubprocessProtocol protocol, long pid, int pidfd, boolean leadsGroup) {
        this.loop = loop;
        this.protocol = protocol;
        this.pid = pid;
        this.pidfd = pidfd;
        this.leadsGroup = leadsGroup;
    }

    /**
     * Connects the parent's ends of the child's pipes ({@code -1}: not a pipe) to the loop's pipe transports,
     * then schedules {@code connectionMade} and the queued calls, and completes {@code waiter}. If the loop
     * refuses a pipe, the transport closes (killing the child), the descriptors not yet handed over are closed,
     * and {@code waiter} fails; the protocol hears nothing.
     */
    <P extends SubprocessProtocol> void connectPipes(int[] parentFds, AsyncFuture<TransportAndProtocol<SubprocessTransport, P>> waiter,
            P userProtocol) {
        List<AsyncFuture<?>> connecting = new ArrayList<>(3);
        for (int fd = 0; fd < 3; fd++) {
            int pipeFd = parentFds[fd];
            if (pipeFd < 0) {
                continue;
            }
            try {
                connecting.add(fd == 0 ? connectStdin(pipeFd) : connectOutput(fd, pipeFd));
                pipesOpen++;
            } catch (RuntimeException | Error e) {
                for (int rest = fd; rest < 3; rest++) {
                    closeQuietly(parentFds[rest]);
                }
                close();
                waiter.setException(e);
                return;
            }
        }
        int[] remaining = {connecting.size()};
        Runnable whenConnected = () -> {
            if (waiter.cancelled()) {
                close();
                return;
            }
            loop.callSoon(() -> protocol.connectionMade(this));
            for (Runnable call : pendingCalls) {
                loop.callSoon(call);
            }
            pendingCalls = null;
            waiter.setResult(new TransportAndProtocol<>(this, userProtocol));
        };
        if (connecting.isEmpty()) {
            whenConnected.run(); // no pipe to wait for: connectionMade is scheduled now
            return;
        }
        for (AsyncFuture<?> f : connecting) {
            f.addDoneCallback(done -> {
                if (waiter.done() && !waiter.cancelled()) {
                    return; // an earlier pipe failed
                }
                Throwable failure = done.cancelled() ? null : done.exception();
                if (failure != null) {
                    close();
                    if (!waiter.done()) {
                        waiter.setException(failure);
                    }
                } else if (--remaining[0] == 0) {
                    whenConnected.run();
                }
            });
        }
    }

    private AsyncFuture<?> connectStdin(int fd) {
        AsyncFuture<? extends TransportAndProtocol<?, ?>> f = loop.connectWritePipe(() -> new StdinProtocol(), fd);
        f.addDoneCallback(done -> {
            if (!done.cancelled() && done.exception() == null) {
                pipes[0] = done.result().transport();
                if (closed) {
                    pipes[0].close(); // the transport closed while this pipe was connecting
                }
            }
        });
        return f;
    }

    private AsyncFuture<?> connectOutput(int childFd, int fd) {
        AsyncFuture<? extends TransportAndProtocol<?, ?>> f = loop.connectReadPipe(() -> new OutputProtocol(childFd), fd);
        f.addDoneCallback(done -> {
            if (!done.cancelled() && done.exception() == null) {
                pipes[childFd] = done.result().transport();
                if (closed) {
                    pipes[childFd].close(); // the transport closed while this pipe was connecting
                }
            }
        });
        return f;
    }

    /**
     * From the watcher, in any thread: posts the exit to the loop; a closed loop only gets the pidfd closed.
     * Reported on the running loop's own thread (as Pidfd reports) once the pipes are connected, it is handled
     * at once, saving the loop an iteration: {@link #processExited} only schedules the protocol's callbacks,
     * behind those already queued. Before that (Safe reports an early exit inside the spawn) it is posted, so
     * that the pipes are counted before the exit can finish the transport.
     */
    void exitReported(int rc) {
        if (EventLoops.runningLoopOrNull() == loop && pendingCalls == null) {
            processExited(rc);
            return;
        }
        try {
            loop.callSoonThreadsafe(() -> processExited(rc));
        } catch (IllegalStateException loopClosed) {
            releasePidfd();
            Loggers.LOG.log(Level.WARNING, "Loop " + loop + " that handles pid " + pid + " is closed");
        }
    }

    /** On the loop: CPython's {@code _process_exited}. */
    private void processExited(int rc) {
        loop.untrack(this);
        releasePidfd();
        returnCode = rc;
        call(() -> protocol.processExited());
        tryFinish();
    }

    private void pipeDataReceived(int fd, byte[] data) {
        call(() -> protocol.pipeDataReceived(fd, data));
    }

    private void pipeConnectionLost(int fd, Throwable exc) {
        pipesOpen--;
        call(() -> protocol.pipeConnectionLost(fd, exc));
        tryFinish();
    }

    private void tryFinish() {
        if (returnCode == null || pipesOpen > 0 || finished) {
            return;
        }
        finished = true;
        call(() -> protocol.connectionLost(null));
    }

    /** Queues {@code callback} until {@code connectionMade} is scheduled, else schedules it (CPython's {@code _call}). */
    private void call(Runnable callback) {
        if (pendingCalls != null) {
            pendingCalls.add(callback);
        } else {
            loop.callSoon(callback);
        }
    }

    /** The watcher refused the child: the transport will never hear of its exit, so its pidfd goes now. */
    void abandoned() {
        releasePidfd();
    }

    /** The loop closed before the exit reached it: the exit can no longer be delivered, so the pidfd goes now. */
    void loopClosed() {
        releasePidfd();
    }

    private void releasePidfd() {
        synchronized (signalLock) {
            if (pidfd >= 0) {
                closeQuietly(pidfd);
                pidfd = -1;
            }
        }
    }

    // ----- the transport -----------------------------------------------------------------------------

    @Override
    public long getPid() {
        return pid;
    }

    @Override
    public Integer getReturnCode() {
        return returnCode;
    }

    @Override
    public BaseTransport getPipeTransport(int fd) {
        return fd >= 0 && fd < 3 ? pipes[fd] : null;
    }

    @Override
    public void sendSignal(int signum) {
        SignalDispatcher.checkSignalNumber(signum);
        synchronized (signalLock) {
            try {
                if (pidfd >= 0) {
                    POSIX.pidfdSendSignal(pidfd, signum);
                } else if (returnCode == null) {
                    POSIX.kill(pid, signum); // the pid is the spawn's own; a reaped child is never signalled
                }
            } catch (PosixException e) {
                if (e.errno() != PosixException.ESRCH) {
                    throw SystemErrors.illegalState("Cannot send signal " + signum + " to pid " + pid, e);
                }
            }
        }
    }

    @Override
    public void terminate() {
        sendSignal(SIGTERM);
    }

    @Override
    public void kill() {
        sendSignal(SIGKILL);
    }

    @Override
    public void signalGroup(int signum) {
        SignalDispatcher.checkSignalNumber(signum);
        if (!leadsGroup) {
            throw new IllegalStateException("pid " + pid + " does not lead its own process group: start it with "
                    + "SubprocessOptions.builder().processGroup(0) or startNewSession(true) to signal its group");
        }
        try {
            POSIX.kill(-pid, signum);
        } catch (PosixException e) {
            if (e.errno() != PosixException.ESRCH) {
                throw SystemErrors.illegalState("Cannot send signal " + signum + " to process group " + pid, e);
            }
        }
    }

    /** Closes the pipes and kills the child if it still runs (CPython's {@code close}); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (BaseTransport pipe : pipes) {
            if (pipe != null) {
                pipe.close();
            }
        }
        if (returnCode == null) {
            if (loop.getDebug()) {
                Loggers.LOG.log(Level.WARNING, "Close running child process: kill " + this);
            }
            kill();
        }
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    /** {@code "pid"}: the child's process id. */
    @Override
    public Object getExtraInfo(String key, Object defaultValue) {
        return "pid".equals(key) ? (Object) pid : defaultValue;
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        this.protocol = (SubprocessProtocol) Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public SubprocessProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        Integer rc = returnCode;
        return "<SubprocessTransport pid=" + pid + (closed ? " closed" : "")
                + (rc == null ? " running" : " returncode=" + rc) + ">";
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            SystemErrors.closeQuietly(POSIX, fd);
        }
    }

    // ----- the pipes' protocols (CPython's WriteSubprocessPipeProto and ReadSubprocessPipeProto) --------------

    /** Stdin's protocol: its loss and its flow control go to the subprocess protocol. */
    private final class StdinProtocol implements BaseProtocol {
        @Override
        public void connectionLost(Throwable exc) {
            pipeConnectionLost(0, exc);
        }

        @Override
        public void pauseWriting() {
            protocol.pauseWriting();
        }

        @Override
        public void resumeWriting() {
            protocol.resumeWriting();
        }
    }

    /** A stdout or stderr pipe's protocol: its data and its loss go to the subprocess protocol with the fd. */
    private final class OutputProtocol implements Protocol {
        private final int fd;

        OutputProtocol(int fd) {
            this.fd = fd;
        }

        @Override
        public void dataReceived(byte[] data) {
            pipeDataReceived(fd, data);
        }

        @Override
        public void connectionLost(Throwable exc) {
            pipeConnectionLost(fd, exc);
        }
    }
}
