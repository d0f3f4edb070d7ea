package org.asyncio4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A protocol that lets a writer wait while its transport is paused: CPython's {@code streams.FlowControlMixin}.
 * {@link StreamWriter#drain()} waits on it. Usable as is for a write pipe:
 * {@code loop.connectWritePipe(() -> new FlowControlProtocol(loop), fd)}.
 *
 * <p>Subclasses that override {@link #pauseWriting}, {@link #resumeWriting} or {@link #connectionLost} call
 * the super method.
 */
public class FlowControlProtocol implements Protocol {
    /** The loop this protocol's futures belong to. */
    protected final EventLoop loop;
    private final AsyncFuture<Void> closed;
    private final List<AsyncFuture<Void>> drainWaiters = new ArrayList<>();
    private boolean paused;
    private boolean connectionLost;

    /**
     * A protocol whose futures belong to {@code loop}.
     *
     * @param loop the loop that calls this protocol, and whose futures {@link #drainHelper()} returns
     * @throws NullPointerException if {@code loop} is null
     */
    public FlowControlProtocol(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.closed = loop.createFuture();
    }

    /** @throws IllegalStateException if already paused (the transport broke TRN-06) */
    @Override
    public void pauseWriting() {
        if (paused) {
            throw new IllegalStateException("pauseWriting() called while already paused");
        }
        paused = true;
    }

    /**
     * Wakes every {@link #drainHelper()} waiter.
     *
     * @throws IllegalStateException if not paused (the transport broke TRN-06)
     */
    @Override
    public void resumeWriting() {
        if (!paused) {
            throw new IllegalStateException("resumeWriting() called while not paused");
        }
        paused = false;
        for (AsyncFuture<Void> waiter : List.copyOf(drainWaiters)) {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    /**
     * Wakes the drain waiters (failing them with {@code exc} if not null) and completes {@link #closeWaiter()}.
     *
     * @param exc null after a regular close, else the error that ended the connection
     */
    @Override
    public void connectionLost(@Nullable Throwable exc) {
        connectionLost = true;
        if (!closed.done()) {
            if (exc == null) {
                closed.setResult(null);
            } else {
                closed.setException(exc);
                closed.exception(); // retrieved here: a writer need not wait for its close (CPython's __del__)
            }
        }
        if (!paused) {
            return;
        }
        for (AsyncFuture<Void> waiter : List.copyOf(drainWaiters)) {
            if (!waiter.done()) {
                if (exc == null) {
                    waiter.setResult(null);
                } else {
                    waiter.setException(exc);
                }
            }
        }
    }

    /** {@return whether the transport has paused writing} */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Waits for writing to resume: CPython's {@code _drain_helper}.
     *
     * @return a future of the loop done at once unless writing is paused, else when it resumes or the
     *         connection is lost (failed with the connection's error, if any); once the connection is lost,
     *         failed at once with {@code IOException("Connection lost")}
     */
    public AsyncFuture<Void> drainHelper() {
        AsyncFuture<Void> waiter = loop.createFuture();
        if (connectionLost) {
            waiter.setException(new IOException("Connection lost"));
            return waiter;
        }
        if (!paused) {
            waiter.setResult(null);
            return waiter;
        }
        drainWaiters.add(waiter);
        waiter.addDoneCallback(done -> drainWaiters.remove(waiter));
        return waiter;
    }

    /** {@return a future done when {@link #connectionLost} has run: with null, or failed with its exception} */
    public AsyncFuture<Void> closeWaiter() {
        return closed;
    }
}
