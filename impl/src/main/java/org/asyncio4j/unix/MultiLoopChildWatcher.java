package org.asyncio4j.unix;

import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildHandler;

import org.asyncio4j.ChildWatcher;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Objects;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.WaitResult;
import org.asyncio4j.internal.signal.SignalDispatcher;
import org.asyncio4j.internal.signal.SignalSubscription;

/**
 * A process-wide SIGCHLD handler that serves loops in any thread (MLW-01..12): on each SIGCHLD,
 * {@code waitpid(pid, WNOHANG)} for every registered child (O(n), like {@link SafeChildWatcher}), and each
 * exit is delivered with {@code callSoonThreadsafe} on the loop that was running where its handler was
 * added.
 *
 * <p>{@link #attachLoop} ignores its argument: the first call installs the handler, through the
 * process-wide signal dispatcher, and makes the watcher active; {@link #close()} removes it, and the
 * dispatcher restores the previous disposition when no one else listens, unless outside code has replaced
 * the handler meanwhile: then it logs "SIGCHLD handler was changed by outside code" and leaves theirs
 * (MLW-10, RACE-21). The sweep runs on the JVM's
 * signal-dispatch thread; an error there is logged as "Unknown exception in SIGCHLD handler" (MLW-08).
 */
public class MultiLoopChildWatcher implements ChildWatcher {
    private static final SpawnScope NO_WINDOW = () -> { };

    private final ChildWaiter waiter;
    private final Object lock = new Object();
    private final PidTable<LoopRegistration> registrations = new PidTable<>();
    private SignalSubscription subscription;
    /** Set by close(), cleared by attachLoop(): registrations are refused in between. */
    private boolean closed;

    public MultiLoopChildWatcher() {
        this(ChildWaiter.system());
    }

    /** For tests: a watcher whose waitpid calls go through {@code waiter}. */
    MultiLoopChildWatcher(ChildWaiter waiter) {
        this.waiter = Objects.requireNonNull(waiter, "waiter");
    }

    /** Installs the SIGCHLD handler on first call; {@code loop} is ignored (MLW-02). */
    @Override
    public void attachLoop(EventLoop loop) {
        synchronized (lock) {
            closed = false;
            if (subscription == null) {
                subscription = SignalDispatcher.get().subscribe(Signals.SIGCHLD, signum -> sweep());
            }
        }
    }

    @Override
    public boolean isActive() {
        synchronized (lock) {
            return subscription != null;
        }
    }

    /** CPython's words, then what to do about the usual misuse with this watcher. */
    @Override
    public String notActiveMessage(EventLoop loop) {
        return NotActivated.message(loop, this);
    }

    /**
     * Registers {@code handler}, to be called on the loop running in this thread, and polls the child once
     * at once (MLW-05).
     *
     * @throws IllegalStateException "no running event loop"; or after {@link #close()} (until the next
     *         {@link #attachLoop}), since nothing would ever deliver the exit (CPython accepts it and never delivers)
     */
    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        Pids.check(pid);
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = EventLoops.getRunningLoop();
        LoopRegistration exited;
        int rc;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(
                        "Cannot add child handler, the child watcher is closed: call attachLoop() again first");
            }
            registrations.put(pid, new LoopRegistration(loop, handler));
            long result = waitpid(pid);
            if (result != ECHILD && WaitResult.pid(result) == 0) {
                return;
            }
            exited = registrations.remove(pid);
            rc = returnCode(pid, result);
        }
        exited.deliver(pid, rc);
    }

    @Override
    public boolean removeChildHandler(long pid) {
        synchronized (lock) {
            return registrations.remove(pid) != null;
        }
    }

    /** Counts of the last sweep (package-private hook for tests and benchmarks; also the JFR event's). */
    final SweepCounts lastSweep = new SweepCounts();

    /**
     * One reap pass, on the JVM's signal thread (or a test's, as "SIGCHLD now"); commits a
     * {@link ChildWatcherSweepEvent} when a JFR recording enables it.
     */
    void sweep() {
        ChildWatcherSweepEvent event = ChildWatcherSweepEvent.beginIfEnabled();
        try {
            reapAll();
        } finally {
            if (event != null) {
                synchronized (lock) {
                    event.commit(this, lastSweep);
                }
            }
        }
    }

    private void reapAll() {
        try {
            long[] exitedPids = new long[0];
            LoopRegistration[] exited = new LoopRegistration[0];
            int[] codes = new int[0];
            int count = 0;
            synchronized (lock) {
                int n = registrations.size();
                lastSweep.reset(n);
                for (int i = 0; i < n; i++) {
                    long pid = registrations.pidAt(i);
                    lastSweep.waitpidCalls++;
                    long result = waitpid(pid);
                    if (result == ECHILD || WaitResult.pid(result) != 0) {
                        if (count == exitedPids.length) {
                            int grown = Math.max(4, count * 2);
                            exitedPids = Arrays.copyOf(exitedPids, grown);
                            codes = Arrays.copyOf(codes, grown);
                        }
                        exitedPids[count] = pid;
                        codes[count] = returnCode(pid, result);
                        count++;
                        lastSweep.exitsReaped++;
                    }
                }
                exited = new LoopRegistration[count];
                for (int i = 0; i < count; i++) {
                    exited[i] = registrations.remove(exitedPids[i]);
                }
            }
            for (int i = 0; i < count; i++) {
                exited[i].deliver(exitedPids[i], codes[i]);
            }
        } catch (RuntimeException e) {
            Loggers.LOG.log(Level.WARNING, "Unknown exception in SIGCHLD handler", e);
        }
    }

    private static final long ECHILD = -1L;

    private long waitpid(long pid) {
        try {
            return waiter.waitpid(pid, Posix.WNOHANG);
        } catch (PosixException e) {
            if (e.errno() == PosixException.ECHILD) {
                return ECHILD;
            }
            throw e;
        }
    }

    private static int returnCode(long pid, long result) {
        if (result == ECHILD) {
            Loggers.LOG.log(Level.WARNING, "Unknown child process pid " + pid + ", will report returncode 255");
            return ReturnCodes.UNKNOWN;
        }
        return ReturnCodes.fromWaitStatus(WaitResult.status(result));
    }

    /** Drops every registration and removes the SIGCHLD handler; the watcher becomes inactive (MLW-10). */
    @Override
    public void close() {
        SignalSubscription s;
        synchronized (lock) {
            registrations.clear();
            closed = true;
            s = subscription;
            subscription = null;
        }
        if (s != null) {
            s.close();
        }
    }

    @Override
    public SpawnScope spawning() {
        return NO_WINDOW;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "MultiLoopChildWatcher[registered=" + registrations.size() + ", active=" + (subscription != null) + "]";
        }
    }
}
