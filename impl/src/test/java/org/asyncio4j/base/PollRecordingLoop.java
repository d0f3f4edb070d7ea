package org.asyncio4j.base;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * A real {@link SelectorEventLoop} that records the timeout of every poll (nanoseconds; 0 = poll, -1 = no limit)
 * and can signal when it is about to block without a limit. The poll itself is the real epoll_wait.
 */
class PollRecordingLoop extends SelectorEventLoop {
    final List<Long> timeouts = new CopyOnWriteArrayList<>();
    volatile CountDownLatch blocking = new CountDownLatch(1);
    /** Counted down by every poll that may wait (timeout other than 0). */
    volatile CountDownLatch waiting = new CountDownLatch(1);

    @Override
    protected void select(long timeoutNanos) {
        timeouts.add(timeoutNanos);
        if (timeoutNanos < 0) {
            blocking.countDown();
        }
        if (timeoutNanos != 0) {
            waiting.countDown();
        }
        super.select(timeoutNanos);
    }

    /** The number of iterations so far. */
    int iterations() {
        return timeouts.size();
    }
}
