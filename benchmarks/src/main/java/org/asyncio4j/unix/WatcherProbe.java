package org.asyncio4j.unix;

import java.util.Locale;
import java.util.Objects;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.internal.posix.ChildWaiter;

/**
 * The entry points asyncio4j's benchmarks need inside the watchers, and nothing else uses: a watcher built
 * on a given {@link ChildWaiter} (the package-private constructors) and one SIGCHLD sweep run directly,
 * without a signal (the package-private {@code sweep()} of Safe, Fast and MultiLoop).
 *
 * <p>This class lives in the benchmarks module but in the watchers' package, as Netty's microbenchmarks
 * do: the benchmarks run on the class path, where both jars' {@code org.asyncio4j.unix} classes form one
 * run-time package, so package-private members are reachable without reflection and the product jar ships
 * nothing for the benchmarks. It couples to exactly two things in impl: each watcher's
 * {@code (ChildWaiter)} constructor and the {@code sweep()} method.
 */
public final class WatcherProbe {

    private WatcherProbe() {
    }

    /** The watcher kinds, as the benchmarks' {@code watcher} parameter names them. */
    public enum Kind {
        SAFE, FAST, THREADED, MULTILOOP, PIDFD;

        /** "safe" -> SAFE; any other name is refused with the accepted ones. */
        public static Kind of(String name) {
            Objects.requireNonNull(name, "name");
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("watcher must be one of safe, fast, threaded, multiloop, pidfd; got "
                        + name, e);
            }
        }

        /** Whether one SIGCHLD sweep can be run directly ({@link #sweeper}): Safe, Fast and MultiLoop. */
        public boolean sweeps() {
            return this == SAFE || this == FAST || this == MULTILOOP;
        }
    }

    /** A new watcher of {@code kind} whose waitpid and pidfd_open calls go through {@code waiter}. */
    public static ChildWatcher create(Kind kind, ChildWaiter waiter) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(waiter, "waiter");
        return switch (kind) {
            case SAFE -> new SafeChildWatcher(waiter);
            case FAST -> new FastChildWatcher(waiter);
            case THREADED -> new ThreadedChildWatcher(waiter);
            case MULTILOOP -> new MultiLoopChildWatcher(waiter);
            case PIDFD -> new PidfdChildWatcher(waiter);
        };
    }

    /**
     * A runnable that performs one SIGCHLD sweep of {@code watcher} on the calling thread, exactly what the
     * watcher's SIGCHLD handler does: Safe and Fast deliver their exits synchronously inside it, MultiLoop
     * posts them to the loop that registered each child.
     *
     * @throws IllegalArgumentException for a watcher without a sweep (Threaded, Pidfd, or not asyncio4j's)
     */
    public static Runnable sweeper(ChildWatcher watcher) {
        Objects.requireNonNull(watcher, "watcher");
        if (watcher instanceof SafeChildWatcher safe) {
            return safe::sweep;
        } else if (watcher instanceof FastChildWatcher fast) {
            return fast::sweep;
        } else if (watcher instanceof MultiLoopChildWatcher multiLoop) {
            return multiLoop::sweep;
        }
        throw new IllegalArgumentException("watcher has no SIGCHLD sweep: " + watcher.getClass().getName());
    }
}
