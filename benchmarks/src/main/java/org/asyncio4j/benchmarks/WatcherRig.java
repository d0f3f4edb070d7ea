package org.asyncio4j.benchmarks;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.asyncio4j.EventLoop;
import org.asyncio4j.unix.WatcherProbe;
import org.asyncio4j.unix.WatcherProbe.Kind;
import org.asyncio4j.internal.signal.SignalDispatcher;
import org.asyncio4j.internal.signal.SignalSubscription;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.SelectorEventLoop;
import org.asyncio4j.unix.Signals;
import org.asyncio4j.SpawnScope;

/**
 * One watcher of a given kind on its own {@link SelectorEventLoop}, with its idle children, built in one
 * of two ways:
 * <ul>
 * <li>{@link #direct}: no SIGCHLD reaches the watcher (Safe and Fast are attached, then the loop's SIGCHLD
 *     handler is removed; MultiLoop is never activated), so the benchmark runs each pass itself, exactly
 *     once per exit, as the C tool and the CPython script do;</li>
 * <li>{@link #live}: the real path, signal to callback, optionally counting SIGCHLD passes (the watcher's
 *     handler is then replaced by one that counts and runs the same sweep).</li>
 * </ul>
 * Registration follows each watcher's contract: Fast inside {@code spawning()}, MultiLoop and Threaded
 * from a callback of the running loop. {@link #close()} closes the watcher, kills and reaps every child and
 * closes the loop.
 *
 * <p>The watcher's waitpid calls go through a {@link CountingChildWaiter}, over a {@link SlowChildWaiter}
 * when the gate's self-test injects a slowdown.
 */
final class WatcherRig implements AutoCloseable {
    final Kind kind;
    final EventLoop loop = new SelectorEventLoop();
    final CountingChildWaiter waiter = new CountingChildWaiter(SlowChildWaiter.fromSystemProperty());
    final ChildWatcher watcher;
    private IdleChildren children = new IdleChildren();
    private SignalSubscription countingSubscription;

    private WatcherRig(Kind kind) {
        this.kind = kind;
        this.watcher = WatcherProbe.create(kind, waiter);
    }

    /** A watcher that never sees SIGCHLD: the caller runs each pass (Safe, Fast, MultiLoop: {@link #sweeper()}). */
    static WatcherRig direct(Kind kind) {
        WatcherRig rig = new WatcherRig(kind);
        try {
            if (kind == Kind.SAFE || kind == Kind.FAST) {
                rig.watcher.attachLoop(rig.loop);
                rig.loop.removeSignalHandler(Signals.SIGCHLD);
            } else if (kind == Kind.PIDFD) {
                rig.watcher.attachLoop(rig.loop);
            } else if (kind == Kind.THREADED) {
                throw new IllegalArgumentException("watcher=threaded has no SIGCHLD handler to time: it waits "
                        + "in one thread per child (ExitLatencyBenchmark and DrainBenchmark measure it)");
            }
            return rig;
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    /**
     * A watcher on the real path. With {@code passes} non-null, each SIGCHLD pass of Safe, Fast and MultiLoop
     * is counted there (Pidfd and Threaded have none).
     */
    static WatcherRig live(Kind kind, LongAdder passes) {
        WatcherRig rig = new WatcherRig(kind);
        try {
            if (kind == Kind.MULTILOOP && passes != null) {
                Runnable sweep = WatcherProbe.sweeper(rig.watcher);
                rig.countingSubscription = SignalDispatcher.get().subscribe(Signals.SIGCHLD, signum -> {
                    passes.increment();
                    sweep.run();
                });
            } else {
                rig.watcher.attachLoop(rig.loop);
                if (passes != null && kind.sweeps()) {
                    Runnable sweep = WatcherProbe.sweeper(rig.watcher);
                    rig.loop.addSignalHandler(Signals.SIGCHLD, () -> {
                        passes.increment();
                        sweep.run();
                    });
                }
            }
            return rig;
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    /** One SIGCHLD pass of this watcher, on the calling thread. */
    Runnable sweeper() {
        return WatcherProbe.sweeper(watcher);
    }

    /** The children spawned by {@link #spawnAndRegister}. */
    IdleChildren children() {
        return children;
    }

    /** Starts a fresh group of children (the old one must be empty or closed by the caller). */
    void newGroup() {
        children.close();
        children = new IdleChildren();
    }

    /** Spawns {@code count} idle children and registers each with {@code handler}; returns their pids. */
    long[] spawnAndRegister(int count, ChildHandler handler) {
        long[] pids = new long[count];
        if (kind == Kind.MULTILOOP || kind == Kind.THREADED) {
            onLoop(() -> {
                for (int i = 0; i < count; i++) {
                    pids[i] = spawnOne(handler);
                }
            });
        } else {
            for (int i = 0; i < count; i++) {
                pids[i] = spawnOne(handler);
            }
        }
        return pids;
    }

    /** Spawns and registers one idle child. */
    long spawnAndRegister(ChildHandler handler) {
        return spawnAndRegister(1, handler)[0];
    }

    @SuppressWarnings("try")   // the scope is held, not used: Fast must not reap the child before it is registered
    private long spawnOne(ChildHandler handler) {
        try (SpawnScope scope = watcher.spawning()) {
            long pid = children.spawn();
            watcher.addChildHandler(pid, handler);
            return pid;
        }
    }

    /** Runs the loop for one iteration: what is ready now, then it stops. */
    void runOnce() {
        loop.callSoon(loop::stop);
        loop.runForever();
    }

    /** Runs {@code action} as a callback of the running loop and rethrows what it threw. */
    void onLoop(Runnable action) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        loop.callSoon(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        runOnce();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @Override
    public void close() {
        try {
            if (countingSubscription != null) {
                countingSubscription.close();
            }
            for (long pid : children.pids()) {
                watcher.removeChildHandler(pid); // so that closing a watcher does not warn of pending handlers
            }
            watcher.close();
        } finally {
            children.close(kind == Kind.THREADED);
            loop.close();
        }
    }
}
