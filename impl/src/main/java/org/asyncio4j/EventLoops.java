package org.asyncio4j;

import org.asyncio4j.unix.ChildWatcher;
import org.asyncio4j.unix.DefaultEventLoopPolicy;

/**
 * asyncio's module-level functions: the process-wide policy and the per-thread running loop.
 *
 * <p>All methods are safe to call from any thread.
 */
public final class EventLoops {
    private static final Object POLICY_LOCK = new Object();
    private static volatile EventLoopPolicy policy;
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();

    private EventLoops() {}

    /** The process-wide policy; the first call creates a {@link DefaultEventLoopPolicy} (POL-01). */
    public static EventLoopPolicy getEventLoopPolicy() {
        EventLoopPolicy p = policy;
        if (p == null) {
            synchronized (POLICY_LOCK) {
                p = policy;
                if (p == null) {
                    p = new DefaultEventLoopPolicy();
                    policy = p;
                }
            }
        }
        return p;
    }

    /**
     * Sets the process-wide policy; null restores the default, a fresh one created on next use (POL-02, POL-03).
     */
    public static void setEventLoopPolicy(EventLoopPolicy newPolicy) {
        synchronized (POLICY_LOCK) {
            policy = newPolicy;
        }
    }

    /**
     * The loop running in this thread, else the policy's current loop; whatever the policy throws
     * propagates unchanged (POL-18, POL-19).
     */
    public static EventLoop getEventLoop() {
        EventLoop running = RUNNING.get();
        return running != null ? running : getEventLoopPolicy().getEventLoop();
    }

    /** {@code getEventLoopPolicy().setEventLoop(loop)}; loop may be null. */
    public static void setEventLoop(EventLoop loop) {
        getEventLoopPolicy().setEventLoop(loop);
    }

    /** {@code getEventLoopPolicy().newEventLoop()}. */
    public static EventLoop newEventLoop() {
        return getEventLoopPolicy().newEventLoop();
    }

    /** The loop running in this thread (POL-16). @throws IllegalStateException "no running event loop" */
    public static EventLoop getRunningLoop() {
        EventLoop running = RUNNING.get();
        if (running == null) {
            throw new IllegalStateException("no running event loop");
        }
        return running;
    }

    /** The loop running in this thread, or null: CPython's {@code _get_running_loop()}. */
    public static EventLoop runningLoopOrNull() {
        return RUNNING.get();
    }

    /**
     * For {@link EventLoop} implementations: records {@code loop} as running in this thread (null clears it).
     * Call it on entry to and on every exit from {@code runForever}, as CPython's loops call
     * {@code _set_running_loop} (POL-17).
     *
     * @throws IllegalStateException "Cannot run the event loop while another loop is running" if another loop
     *         is already recorded for this thread
     */
    public static void setRunningLoop(EventLoop loop) {
        if (loop != null) {
            EventLoop current = RUNNING.get();
            if (current != null && current != loop) {
                throw new IllegalStateException("Cannot run the event loop while another loop is running");
            }
            RUNNING.set(loop);
        } else {
            RUNNING.remove();
        }
    }

    /** {@code getEventLoopPolicy().getChildWatcher()}. */
    public static ChildWatcher getChildWatcher() {
        return getEventLoopPolicy().getChildWatcher();
    }

    /** {@code getEventLoopPolicy().setChildWatcher(watcher)}. */
    public static void setChildWatcher(ChildWatcher watcher) {
        getEventLoopPolicy().setChildWatcher(watcher);
    }

}
