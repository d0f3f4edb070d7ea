package org.asyncio4j.internal.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Objects;
import org.asyncio4j.internal.posix.ChildWaiter;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.FastChildWatcher;
import org.asyncio4j.unix.MultiLoopChildWatcher;
import org.asyncio4j.unix.PidfdChildWatcher;
import org.asyncio4j.unix.SafeChildWatcher;
import org.asyncio4j.unix.ThreadedChildWatcher;

/**
 * The entry points asyncio4j's benchmarks need inside the watchers, and nothing else uses: a watcher built
 * on a given {@link ChildWaiter} (the package-private test constructors) and one SIGCHLD sweep run directly,
 * without a signal (the package-private {@code sweep()} of Safe, Fast and MultiLoop).
 *
 * <p>This package is not exported by the module descriptor; the benchmarks run on the class path. The
 * members are reached through method handles with private access, which the module system grants here
 * because this class belongs to the same module as the watchers.
 */
public final class WatcherProbe {

    private WatcherProbe() {
    }

    /** The watcher kinds, as the benchmarks' {@code watcher} parameter names them. */
    public enum Kind {
        SAFE(SafeChildWatcher.class), FAST(FastChildWatcher.class), THREADED(ThreadedChildWatcher.class),
        MULTILOOP(MultiLoopChildWatcher.class), PIDFD(PidfdChildWatcher.class);

        private final Class<? extends ChildWatcher> type;

        Kind(Class<? extends ChildWatcher> type) {
            this.type = type;
        }

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
        try {
            MethodHandle ctor = lookupIn(kind.type)
                    .findConstructor(kind.type, MethodType.methodType(void.class, ChildWaiter.class));
            return (ChildWatcher) ctor.invoke(waiter);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot build a " + kind.type.getSimpleName() + " on a ChildWaiter", e);
        }
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
        Class<?> owner;
        if (watcher instanceof SafeChildWatcher || watcher instanceof FastChildWatcher) {
            owner = SafeChildWatcher.class.getSuperclass(); // the package-private SignalChildWatcher
        } else if (watcher instanceof MultiLoopChildWatcher) {
            owner = MultiLoopChildWatcher.class;
        } else {
            throw new IllegalArgumentException("watcher has no SIGCHLD sweep: " + watcher.getClass().getName());
        }
        MethodHandle sweep;
        try {
            sweep = lookupIn(owner).findVirtual(owner, "sweep", MethodType.methodType(void.class)).bindTo(watcher);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no sweep() in " + owner.getName(), e);
        }
        return () -> {
            try {
                sweep.invokeExact();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static MethodHandles.Lookup lookupIn(Class<?> type) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    }
}
