package org.asyncio4j.proactor;

import java.nio.channels.CompletionHandler;
import org.asyncio4j.base.LoopFuture;

/**
 * One overlapped operation: the NIO.2 completion handler that an I/O thread calls, and the completion the
 * loop thread then runs to settle the operation's future. One object per operation, nothing else allocated
 * on the way (the outcome travels in its fields, published by the completion queue's lock).
 */
final class IoCompletion<T> implements CompletionHandler<T, Void>, Runnable {
    private final LoopFuture<T> future;
    private final CompletionQueue queue;
    private T value;
    private Throwable error;

    IoCompletion(LoopFuture<T> future, CompletionQueue queue) {
        this.future = future;
        this.queue = queue;
    }

    LoopFuture<T> future() {
        return future;
    }

    @Override
    public void completed(T result, Void attachment) {
        value = result;
        queue.post(this); // false once the loop is closed: nobody can observe the future any more
    }

    @Override
    public void failed(Throwable exc, Void attachment) {
        error = exc;
        queue.post(this);
    }

    /** On the loop thread. A future cancelled meanwhile stays cancelled; the operation's outcome is dropped. */
    @Override
    public void run() {
        if (future.done()) {
            return;
        }
        if (error != null) {
            future.setException(error);
        } else {
            future.setResult(value);
        }
    }

    @Override
    public String toString() {
        return "IoCompletion[" + future + "]";
    }
}
