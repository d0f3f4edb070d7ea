package org.asyncio4j;

import org.jspecify.annotations.Nullable;

/**
 * Learns when child processes exit and tells their handlers: asyncio's {@code AbstractChildWatcher}.
 *
 * <p>Register a child inside {@link #spawning()}, around the spawn itself, so that a watcher that reaps
 * every child ({@link org.asyncio4j.unix.FastChildWatcher}) can keep an exit that arrives before the handler does
 * (WCH-07). Implementations are thread-safe (WCH-11). Only one watcher that owns SIGCHLD should be
 * active in a process (WCH-12).
 */
public interface ChildWatcher extends AutoCloseable {

    /**
     * Arranges for {@code handler.childExited(pid, returnCode)} to be called once, when {@code pid}
     * exits; a second call for the same pid replaces the first (WCH-01, WCH-02).
     *
     * @param pid the child's process id
     * @param handler told of the exit, on the thread or loop the watcher delivers on
     */
    void addChildHandler(long pid, ChildHandler handler);

    /**
     * Forgets {@code pid} (WCH-03).
     *
     * @param pid the child's process id
     * @return true if a handler was removed, false if there was none
     */
    boolean removeChildHandler(long pid);

    /**
     * Detaches from the previous loop, then attaches to {@code loop} (WCH-04).
     *
     * @param loop the loop to deliver on, or null to only detach
     */
    void attachLoop(@Nullable EventLoop loop);

    /** {@return true when the watcher is ready to deliver exits (attached where it needs a loop) (WCH-06)} */
    boolean isActive();

    /**
     * Why this watcher cannot watch a child that {@code loop} starts now, for the {@link IllegalStateException}
     * a refused spawn fails with while {@link #isActive()} is false (POL-31). This default gives CPython's
     * words; a watcher that knows the usual misuses adds what to do about them.
     *
     * @param loop the loop that asked to start a child
     * @return the message
     */
    default String notActiveMessage(EventLoop loop) {
        return "EventLoops.getChildWatcher() is not activated, subprocess support is not installed.";
    }

    /** Frees the watcher's resources; no callback is delivered after it (WCH-05). Idempotent. */
    @Override
    void close();

    /**
     * Opens the fork window: spawn and {@link #addChildHandler} inside it (CPython's {@code with watcher:}).
     *
     * @return the window, to close once the child is registered
     */
    SpawnScope spawning();
}
