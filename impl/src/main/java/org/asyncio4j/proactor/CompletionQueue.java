package org.asyncio4j.proactor;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The proactor's completion port: I/O threads post finished operations, the loop thread waits for them
 * (IOCP's {@code GetQueuedCompletionStatus}, built from a lock-guarded queue and park/unpark).
 *
 * <h2>Waking without losing a wake-up</h2>
 * A waker sets {@code signalled}, then reads {@code sleeper} and unparks it; the loop thread writes
 * {@code sleeper}, then reads {@code signalled} before each park. Both are volatile, so (Dekker) at least one
 * side sees the other's write: either the loop sees the signal and does not park, or the waker sees the
 * sleeper and unparks it; an unpark that lands before the park leaves a permit that makes the park return.
 * Only the waker that flips {@code signalled} from false to true unparks, so a burst costs one unpark.
 * The loop clears the flag before it takes the queue, so a completion posted after the take has its own
 * signal pending for the next wait.
 *
 * <p>Posting allocates nothing but the caller's completion: the queue is a pair of array deques swapped
 * once per wait, like {@code BaseEventLoop}'s ready queue.
 */
final class CompletionQueue {
    private final Object lock = new Object();
    private ArrayDeque<Runnable> posted = new ArrayDeque<>(); // guarded by lock
    private ArrayDeque<Runnable> taken = new ArrayDeque<>();  // loop thread only
    private boolean closed;                                   // guarded by lock

    private final AtomicBoolean signalled = new AtomicBoolean();
    private volatile Thread sleeper;

    /**
     * From any thread: queues {@code completion} for the loop thread and wakes it. Returns false, dropping
     * the completion, once the queue is closed.
     */
    boolean post(Runnable completion) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            posted.add(completion);
        }
        wake();
        return true;
    }

    /** From any thread; never throws: makes the current wait, or the next one, return. */
    void wake() {
        if (!signalled.getAndSet(true)) {
            Thread t = sleeper;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Loop thread: waits until woken or {@code timeoutNanos} pass (0: do not wait, negative: no limit), then
     * returns the completions posted so far, in posting order. The caller empties the returned deque before
     * the next call. An interrupt does not cut the wait short (as with the epoll loop) but is preserved.
     */
    ArrayDeque<Runnable> await(long timeoutNanos) {
        if (timeoutNanos != 0 && !signalled.get()) {
            park(timeoutNanos);
        }
        signalled.set(false);
        synchronized (lock) {
            ArrayDeque<Runnable> swap = taken;
            taken = posted;
            posted = swap;
        }
        return taken;
    }

    private void park(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        sleeper = Thread.currentThread();
        try {
            while (!signalled.get()) {
                if (timeoutNanos < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, left);
                }
                interrupted |= Thread.interrupted(); // else park would return at once, spinning
            }
        } finally {
            sleeper = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Drops what is queued and refuses later posts. Waking still works (and does nothing useful). */
    void close() {
        synchronized (lock) {
            closed = true;
            posted.clear();
        }
        taken.clear();
    }
}
