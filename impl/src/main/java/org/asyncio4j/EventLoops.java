package org.asyncio4j;

import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

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

    /**
     * The process-wide policy (POL-01). The first call creates the default policy: the {@link EventLoopPolicy}
     * service provider found by {@link ServiceLoader}, which for asyncio4j-impl alone is
     * {@code org.asyncio4j.unix.DefaultEventLoopPolicy}. A provider from another jar or module takes precedence
     * over that reference one, so a library can replace the default by declaring itself a provider.
     *
     * @return the current policy, never null
     * @throws IllegalStateException if no provider is found, or several besides the reference one
     */
    public static EventLoopPolicy getEventLoopPolicy() {
        EventLoopPolicy p = policy;
        if (p == null) {
            synchronized (POLICY_LOCK) {
                p = policy;
                if (p == null) {
                    p = DefaultPolicyProvider.create();
                    policy = p;
                }
            }
        }
        return p;
    }

    /**
     * Sets the process-wide policy (POL-02, POL-03).
     *
     * @param newPolicy the policy, or null to restore the default, a fresh one created on next use
     */
    public static void setEventLoopPolicy(@Nullable EventLoopPolicy newPolicy) {
        synchronized (POLICY_LOCK) {
            policy = newPolicy;
        }
    }

    /**
     * The loop running in this thread, else the policy's current loop; whatever the policy throws
     * propagates unchanged (POL-18, POL-19).
     *
     * @return the running or current loop
     */
    public static EventLoop getEventLoop() {
        EventLoop running = RUNNING.get();
        return running != null ? running : getEventLoopPolicy().getEventLoop();
    }

    /**
     * {@code getEventLoopPolicy().setEventLoop(loop)}.
     *
     * @param loop the loop, or null to leave the current context without one
     */
    public static void setEventLoop(@Nullable EventLoop loop) {
        getEventLoopPolicy().setEventLoop(loop);
    }

    /** {@return {@code getEventLoopPolicy().newEventLoop()}: a new loop, not made current} */
    public static EventLoop newEventLoop() {
        return getEventLoopPolicy().newEventLoop();
    }

    /**
     * {@return the loop running in this thread (POL-16)}
     *
     * @throws IllegalStateException "no running event loop"
     */
    public static EventLoop getRunningLoop() {
        EventLoop running = RUNNING.get();
        if (running == null) {
            throw new IllegalStateException("no running event loop");
        }
        return running;
    }

    /** {@return the loop running in this thread, or null: CPython's {@code _get_running_loop()}} */
    public static @Nullable EventLoop runningLoopOrNull() {
        return RUNNING.get();
    }

    /**
     * For {@link EventLoop} implementations: records {@code loop} as running in this thread (null clears it).
     * Call it on entry to and on every exit from {@code runForever}, as CPython's loops call
     * {@code _set_running_loop} (POL-17).
     *
     * @param loop the loop entering {@code runForever}, or null on exit
     * @throws IllegalStateException "Cannot run the event loop while another loop is running" if another loop
     *         is already recorded for this thread
     */
    public static void setRunningLoop(@Nullable EventLoop loop) {
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

    /** {@return {@code getEventLoopPolicy().getChildWatcher()}} */
    public static ChildWatcher getChildWatcher() {
        return getEventLoopPolicy().getChildWatcher();
    }

    /**
     * {@code getEventLoopPolicy().setChildWatcher(watcher)}.
     *
     * @param watcher the new watcher, or null for the policy's default on next use
     */
    public static void setChildWatcher(@Nullable ChildWatcher watcher) {
        getEventLoopPolicy().setChildWatcher(watcher);
    }

    /**
     * Runs {@code task} on {@code loop}'s thread and completes the returned future with its result: the
     * synchronous half of CPython's {@code run_coroutine_threadsafe}, the way to hand work to a loop from another
     * thread and wait for it.
     *
     * <p>The task is queued with {@link EventLoop#callSoonThreadsafe}, so it runs once the loop runs, in FIFO
     * order with other callbacks. A task that throws completes the returned future exceptionally with that
     * exception, unwrapped. Cancelling the returned future before the task has started keeps it from running.
     *
     * @param loop the loop to run on; not null
     * @param task the work; not null
     * @param <T> the result type
     * @return a future completed on the loop's thread
     * @throws IllegalStateException "Event loop is closed" if {@code loop} is closed
     */
    public static <T> CompletableFuture<T> runOnLoop(EventLoop loop, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return runOnLoopAsync(loop, () -> {
            AsyncFuture<T> done = loop.createFuture();
            done.setResult(task.call());
            return done;
        });
    }

    /**
     * Starts {@code task} on {@code loop}'s thread and completes the returned future when the
     * {@link AsyncFuture} it returns completes, with the same outcome: CPython's {@code run_coroutine_threadsafe}.
     * A cancelled inner future cancels the returned one; a task that throws completes it exceptionally.
     *
     * @param loop the loop to run on; not null
     * @param task starts the work and returns its future; not null, and it must not return null
     * @param <T> the result type
     * @return a future completed on the loop's thread
     * @throws IllegalStateException "Event loop is closed" if {@code loop} is closed
     */
    public static <T> CompletableFuture<T> runOnLoopAsync(EventLoop loop, Callable<? extends AsyncFuture<T>> task) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            if (result.isDone()) {
                return; // cancelled before it started
            }
            AsyncFuture<T> inner;
            try {
                inner = Objects.requireNonNull(task.call(), "the task returned null");
            } catch (Exception e) {
                result.completeExceptionally(e);
                return;
            } catch (Error e) {
                result.completeExceptionally(e);
                throw e;
            }
            inner.addDoneCallback(f -> complete(f, result));
        });
        return result;
    }

    private static <T> void complete(AsyncFuture<T> inner, CompletableFuture<T> outer) {
        if (inner.cancelled()) {
            outer.cancel(false);
            return;
        }
        Throwable e = inner.exception();
        if (e != null) {
            outer.completeExceptionally(e);
        } else {
            outer.complete(inner.result());
        }
    }
}
