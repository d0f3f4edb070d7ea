package org.asyncio4j.unix;

import org.asyncio4j.internal.posix.SystemErrors;
import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildHandler;

import org.asyncio4j.ChildWatcher;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.asyncio4j.EventLoop;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.WaitResult;

/**
 * A pidfd per child, watched for readability by the attached loop: no SIGCHLD, no threads, and O(1) in
 * both system calls and time per exit, since epoll wakes only for the child that exited (PFD-01..08).
 * Linux 5.3 or later; where the kernel or a sandbox refuses {@code pidfd_open},
 * {@link #addChildHandler} throws {@link UnsupportedOperationException} (see {@link #isSupported()}).
 *
 * <p>It waits for its own children only and never disturbs others. A child that exited before it was
 * registered yields a pidfd that is readable at once, so there is no registration race. Moving to
 * another loop drops every registration, as in CPython (PFD-06).
 */
public class PidfdChildWatcher implements ChildWatcher {
    private final ChildWaiter waiter;
    private final Posix posix = Posix.get();
    private final Object lock = new Object();
    private final Map<Long, Registration> registrations = new HashMap<>();
    private EventLoop loop;

    private static final class Registration {
        final int pidfd;
        volatile ChildHandler handler;

        Registration(int pidfd, ChildHandler handler) {
            this.pidfd = pidfd;
            this.handler = handler;
        }
    }

    /** A watcher that learns of each exit through the pidfd of the child on the attached loop, through the system's libc. */
    public PidfdChildWatcher() {
        this(ChildWaiter.system());
    }

    /** For tests: a watcher whose waitpid and pidfd_open calls go through {@code waiter}. */
    PidfdChildWatcher(ChildWaiter waiter) {
        this.waiter = Objects.requireNonNull(waiter, "waiter");
    }

    /** {@return true if this kernel and sandbox let this process open a pidfd (tried on itself)} */
    public static boolean isSupported() {
        Posix posix = Posix.get();
        try {
            posix.close(posix.pidfdOpen(posix.getpid()));
            return true;
        } catch (PosixException e) {
            return false;
        }
    }

    @Override
    public void attachLoop(EventLoop newLoop) {
        Map<Long, Registration> dropped;
        EventLoop old;
        synchronized (lock) {
            old = loop;
            dropped = new HashMap<>(registrations);
            registrations.clear();
            loop = newLoop;
        }
        if (old != null && newLoop == null && !dropped.isEmpty()) {
            Loggers.warn("RuntimeWarning", "A loop is being detached from a child watcher with pending handlers");
        }
        for (Registration reg : dropped.values()) {
            if (old != null) {
                onLoopThread(old, () -> old.removeReader(reg.pidfd), () -> SystemErrors.closeQuietly(posix, reg.pidfd));
            } else {
                SystemErrors.closeQuietly(posix, reg.pidfd);
            }
        }
    }

    @Override
    public boolean isActive() {
        synchronized (lock) {
            return loop != null && loop.isRunning();
        }
    }

    /** CPython's words, then what to do about the usual misuse with this watcher. */
    @Override
    public String notActiveMessage(EventLoop loop) {
        return NotActivated.message(loop, this);
    }

    /**
     * Opens a pidfd for {@code pid} and watches it on the attached loop; a known pid only has its handler
     * replaced (PFD-03).
     *
     * @throws IllegalStateException if no loop is attached (checked before anything is opened)
     * @throws IllegalArgumentException if there is no such process
     * @throws UnsupportedOperationException if pidfd_open is not available here
     */
    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        Pids.check(pid);
        Objects.requireNonNull(handler, "handler");
        EventLoop target;
        Registration reg;
        synchronized (lock) {
            if (loop == null) {
                throw new IllegalStateException(
                        "Cannot add child handler, the child watcher does not have a loop attached");
            }
            if (loop.isClosed()) {
                throw new IllegalStateException("Cannot add child handler, the attached loop " + loop + " is closed");
            }
            Registration existing = registrations.get(pid);
            if (existing != null) {
                existing.handler = handler;
                return;
            }
            reg = new Registration(open(pid), handler);
            registrations.put(pid, reg);
            target = loop;
        }
        try {
            onLoopThread(target, () -> target.addReader(reg.pidfd, () -> exited(target, pid)), null);
        } catch (RuntimeException refused) {
            synchronized (lock) {
                registrations.remove(pid, reg);
            }
            SystemErrors.closeQuietly(posix, reg.pidfd);
            throw refused;
        }
    }

    private int open(long pid) {
        try {
            return waiter.pidfdOpen(pid);
        } catch (PosixException e) {
            switch (e.errno()) {
                case PosixException.ESRCH -> throw new IllegalArgumentException("No such process: pid " + pid);
                case PosixException.ENOSYS, PosixException.EPERM -> throw new UnsupportedOperationException(
                        "pidfd_open is not available here (Linux 5.3+, not refused by a sandbox): " + e.getMessage());
                default -> throw SystemErrors.illegalState("Cannot watch pid " + pid, e);
            }
        }
    }

    /**
     * Reader callback on the loop thread: the child has exited (PFD-04). A child whose registration was
     * dropped meanwhile (by {@link #attachLoop} or {@link #removeChildHandler}) is left unreaped, for whoever
     * registers it next.
     */
    private void exited(EventLoop on, long pid) {
        long result;
        boolean echild = false;
        Registration reg;
        synchronized (lock) {
            reg = registrations.get(pid);
            if (reg == null) {
                return;
            }
            try {
                result = waiter.waitpid(pid, Posix.WNOHANG);
                if (WaitResult.pid(result) == 0) {
                    return; // not an exit after all: keep watching
                }
            } catch (PosixException e) {
                if (e.errno() != PosixException.ECHILD) {
                    throw SystemErrors.illegalState("Cannot reap pid " + pid, e);
                }
                result = 0;
                echild = true;
            }
            registrations.remove(pid);
        }
        on.removeReader(reg.pidfd);
        SystemErrors.closeQuietly(posix, reg.pidfd);
        int rc = echild
                ? ReturnCodes.statusLost("child process pid " + pid + " exit status already read:  will report returncode 255")
                : ReturnCodes.fromWaitStatus(WaitResult.status(result));
        reg.handler.childExited(pid, rc);
    }

    @Override
    public boolean removeChildHandler(long pid) {
        Registration reg;
        EventLoop on;
        synchronized (lock) {
            reg = registrations.remove(pid);
            on = loop;
        }
        if (reg == null) {
            return false;
        }
        onLoopThread(on, () -> on.removeReader(reg.pidfd), () -> SystemErrors.closeQuietly(posix, reg.pidfd));
        return true;
    }

    /** Same as {@code attachLoop(null)} (PFD-07). */
    @Override
    public void close() {
        attachLoop(null);
    }

    @Override
    public SpawnScope spawning() {
        return SpawnWindows.NONE;
    }

    /**
     * Runs {@code action} (then {@code after}) on {@code loop}'s thread: at once if called there or if the
     * loop is not running, else through {@code callSoonThreadsafe}, since readers belong to the loop thread.
     */
    private void onLoopThread(EventLoop loop, Runnable action, Runnable after) {
        Runnable both = after == null ? action : () -> {
            try {
                if (!loop.isClosed()) {
                    action.run();
                }
            } finally {
                after.run();
            }
        };
        if (!loop.isRunning() || org.asyncio4j.EventLoops.runningLoopOrNull() == loop) {
            both.run();
            return;
        }
        try {
            loop.callSoonThreadsafe(both);
        } catch (IllegalStateException closed) {
            if (after == null) {
                throw closed;
            }
            after.run();
        }
    }

    /** The attached loop, or null. */
    EventLoop attachedLoop() {
        synchronized (lock) {
            return loop;
        }
    }

    int registeredCount() {
        synchronized (lock) {
            return registrations.size();
        }
    }

    @Override
    public String toString() {
        return "PidfdChildWatcher[registered=" + registeredCount() + ", loop=" + loop + "]";
    }
}
