package org.asyncio4j;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * asyncio.Runner (CPython 3.11) with 3.12's {@code loop_factory}: runs a program on a loop it owns, then
 * shuts the loop down properly. CPython now recommends it over policies; asyncio4j offers both.
 *
 * <pre>{@code
 * try (Runner runner = new Runner(SelectorEventLoop::new)) {
 *     int answer = runner.run(loop -> compute(loop));
 * }
 * }</pre>
 *
 * <p>With a null factory the loop comes from the policy's {@code newEventLoop()} and is made the current
 * thread's loop until {@link #close()}, as in CPython. Not thread-safe: use a runner from one thread.
 */
public final class Runner implements AutoCloseable {
    private enum State { CREATED, INITIALIZED, CLOSED }

    private final Supplier<? extends EventLoop> loopFactory;
    private State state = State.CREATED;
    private EventLoop loop;
    private boolean setEventLoop;

    /**
     * A runner whose loop comes from {@code loopFactory}.
     *
     * @param loopFactory makes the runner's loop, or null for the policy's {@code newEventLoop()}
     */
    public Runner(@Nullable Supplier<? extends EventLoop> loopFactory) {
        this.loopFactory = loopFactory;
    }

    /** A runner whose loop comes from the current policy's {@code newEventLoop()}. */
    public Runner() {
        this(null);
    }

    /**
     * Runs {@code main} on the loop: calls it with the loop, then runs the loop until the future it returns is
     * done, and returns the result.
     *
     * @param <T> the type of the result
     * @param main called with the loop; returns the future to wait for
     * @return the future's result
     * @throws IllegalStateException "Runner.run() cannot be called from a running event loop", or
     *         "Runner is closed"
     */
    public <T extends @Nullable Object> T run(Function<EventLoop, AsyncFuture<T>> main) {
        Objects.requireNonNull(main, "main");
        if (EventLoops.runningLoopOrNull() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop");
        }
        lazyInit();
        AsyncFuture<T> future = main.apply(loop);
        if (future == null) {
            throw new IllegalArgumentException("main returned null instead of a future");
        }
        return loop.runUntilComplete(future);
    }

    /**
     * {@return the runner's loop, created on first use}
     *
     * @throws IllegalStateException "Runner is closed"
     */
    public EventLoop getLoop() {
        lazyInit();
        return loop;
    }

    /**
     * Shuts down the default executor (waiting for its work), closes the loop and, for a policy loop,
     * unsets the current loop. Idempotent.
     *
     * @throws IllegalStateException "Cannot close a running event loop" when called from inside
     *         {@link #run}; the runner and the thread's current loop are left as they were
     */
    @Override
    public void close() {
        if (state != State.INITIALIZED) {
            state = State.CLOSED;
            return;
        }
        if (loop.isRunning()) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        try {
            if (!loop.isClosed()) {
                loop.runUntilComplete(loop.shutdownDefaultExecutor());
            }
        } finally {
            if (setEventLoop) {
                EventLoops.setEventLoop(null);
            }
            loop.close();
            loop = null;
            state = State.CLOSED;
        }
    }

    private void lazyInit() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Runner is closed");
        }
        if (state == State.INITIALIZED) {
            return;
        }
        if (loopFactory == null) {
            loop = EventLoops.newEventLoop();
            EventLoops.setEventLoop(loop);
            setEventLoop = true;
        } else {
            loop = loopFactory.get();
            if (loop == null) {
                throw new IllegalStateException("loopFactory returned null");
            }
        }
        state = State.INITIALIZED;
    }
}
