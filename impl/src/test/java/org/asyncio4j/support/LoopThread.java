package org.asyncio4j.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * Runs a loop's {@code runForever} in its own thread, for tests that drive the loop from the test's thread:
 * {@link #call} hands work to it through {@link EventLoops#runOnLoop}; {@link #close()} stops it, joins and closes
 * the loop.
 */
public final class LoopThread implements AutoCloseable {
    private final EventLoop loop;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The contexts the loop's exception handler received, when started by {@link #recordingErrors()}. */
    public final List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();

    private LoopThread(EventLoop loop, String name) {
        this.loop = loop;
        this.thread = new Thread(() -> {
            try {
                loop.callSoon(started::countDown);
                loop.runForever();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
    }

    /** Starts {@code loop} in a new thread named {@code name} and waits until its first iteration ran. */
    public static LoopThread start(EventLoop loop, String name) {
        LoopThread lt = new LoopThread(loop, name);
        lt.thread.start();
        Loops.await(lt.started, name + " to start");
        return lt;
    }

    /** Starts a new {@link SelectorEventLoop} whose exception handler records into {@link #errors}. */
    public static LoopThread recordingErrors() {
        SelectorEventLoop loop = new SelectorEventLoop();
        LoopThread lt = new LoopThread(loop, "test-loop");
        loop.setExceptionHandler((l, context) -> lt.errors.add(context));
        lt.thread.start();
        Loops.await(lt.started, "test-loop to start");
        return lt;
    }

    public EventLoop loop() {
        return loop;
    }

    public Thread thread() {
        return thread;
    }

    /** Runs {@code body} on the loop thread and returns its result; its exception is rethrown here. */
    public <T> T call(Callable<T> body) {
        try {
            return EventLoops.runOnLoop(loop, body).get(Loops.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the loop thread did not answer within " + Loops.TIMEOUT_SECONDS + " s", e);
        }
    }

    /** Runs {@code body} on the loop thread and waits for it. */
    public void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    /** Waits until everything the loop had queued before this call has run (FIFO, LOOP-23). */
    public void roundTrip() {
        run(() -> { });
    }

    /** The recorded error contexts whose message starts with {@code prefix}. */
    public List<Map<String, Object>> errorsStartingWith(String prefix) {
        return errors.stream().filter(c -> String.valueOf(c.get("message")).startsWith(prefix))
                .collect(Collectors.toList());
    }

    /** Stops the loop through callSoonThreadsafe and joins its thread, leaving the loop open. */
    public void stop() {
        if (thread.isAlive() && !loop.isClosed()) {
            loop.callSoonThreadsafe(loop::stop);
        }
        Loops.join(thread);
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("loop thread failed", t);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            loop.close();
        }
    }
}
