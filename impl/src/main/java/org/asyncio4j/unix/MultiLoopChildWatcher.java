package org.asyncio4j.unix;

import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildHandler;

import org.asyncio4j.ChildWatcher;

import java.lang.System.Logger.Level;
import java.util.Objects;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.ChildWaiter;
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
    private final Object lock = new Object();
    private final PidScan<LoopRegistration> scan;
    private SignalSubscription subscription;
    /** Set by close(), cleared by attachLoop(): registrations are refused in between. */
    private boolean closed;

    /** A watcher that delivers each exit on the loop that registered the child, through the system's libc. */
    public MultiLoopChildWatcher() {
        this(ChildWaiter.system());
    }

    /** For tests: a watcher whose waitpid calls go through {@code waiter}. */
    MultiLoopChildWatcher(ChildWaiter waiter) {
        scan = new PidScan<>(Objects.requireNonNull(waiter, "waiter"));
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
        LoopRegistration registration = new LoopRegistration(loop, handler);
        int rc;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(
                        "Cannot add child handler, the child watcher is closed: call attachLoop() again first");
            }
            long result = scan.registerAndPoll(pid, registration);
            if (!PidScan.hasExited(result)) {
                return;
            }
            rc = PidScan.returnCode(pid, result);
        }
        registration.deliver(pid, rc);
    }

    @Override
    public boolean removeChildHandler(long pid) {
        synchronized (lock) {
            return scan.remove(pid) != null;
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
            PidScan.Exits<LoopRegistration> exits;
            synchronized (lock) {
                exits = scan.scan(lastSweep);
            }
            for (int i = 0; exits != null && i < exits.size(); i++) {
                exits.value(i).deliver(exits.pids[i], exits.codes[i]);
            }
        } catch (RuntimeException e) {
            Loggers.LOG.log(Level.WARNING, "Unknown exception in SIGCHLD handler", e);
        }
    }

    /** Drops every registration and removes the SIGCHLD handler; the watcher becomes inactive (MLW-10). */
    @Override
    public void close() {
        SignalSubscription s;
        synchronized (lock) {
            scan.clear();
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
        return SpawnWindows.NONE;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "MultiLoopChildWatcher[registered=" + scan.size() + ", active=" + (subscription != null) + "]";
        }
    }
}
