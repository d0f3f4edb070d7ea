package org.asyncio4j.benchmarks;

import java.util.Objects;
import org.asyncio4j.internal.posix.ChildWaiter;

/**
 * A {@link ChildWaiter} that counts the {@code waitpid} calls a watcher makes and passes every call on.
 *
 * <p>For asyncio4j's benchmarks: the count is a plain field (a benchmark's sweep runs on one thread, and
 * the increment must not perturb what is timed), so read it only from the thread that makes the calls, or
 * after that thread has handed over through a happens-before edge.
 */
public final class CountingChildWaiter implements ChildWaiter {
    private final ChildWaiter delegate;
    private long waitpidCalls;

    /** Counts the calls made through {@code delegate}. */
    public CountingChildWaiter(ChildWaiter delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Counts the calls made to the real system calls. */
    public CountingChildWaiter() {
        this(ChildWaiter.system());
    }

    @Override
    public long waitpid(long pid, int options) {
        waitpidCalls++;
        return delegate.waitpid(pid, options);
    }

    @Override
    public int pidfdOpen(long pid) {
        return delegate.pidfdOpen(pid);
    }

    /** The number of waitpid calls so far. */
    public long waitpidCalls() {
        return waitpidCalls;
    }
}
