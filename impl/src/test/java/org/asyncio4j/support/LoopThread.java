package org.asyncio4j.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.EventLoop;

/** Runs a loop's {@code runForever} in its own thread; {@link #close()} stops it, joins and closes the loop. */
public final class LoopThread implements AutoCloseable {
    private final EventLoop loop;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

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

    public EventLoop loop() {
        return loop;
    }

    public Thread thread() {
        return thread;
    }

    /** Stops the loop through callSoonThreadsafe and joins its thread, leaving the loop open. */
    public void stop() {
        if (thread.isAlive()) {
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
