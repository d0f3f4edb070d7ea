package org.asyncio4j.unix;

import java.util.concurrent.atomic.AtomicInteger;
import org.asyncio4j.internal.posix.ChildWaiter;

/** Test helper: the real {@link ChildWaiter#system()} with a count of its waitpid calls. Nothing is faked. */
final class CountingWaiter implements ChildWaiter {
    private final ChildWaiter real = ChildWaiter.system();
    final AtomicInteger waitpidCalls = new AtomicInteger();

    @Override
    public long waitpid(long pid, int options) {
        waitpidCalls.incrementAndGet();
        return real.waitpid(pid, options);
    }

    @Override
    public int pidfdOpen(long pid) {
        return real.pidfdOpen(pid);
    }
}
