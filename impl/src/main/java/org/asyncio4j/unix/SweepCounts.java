package org.asyncio4j.unix;

/**
 * What the last reap sweep of a watcher did: registered children at its start, {@code waitpid} calls made,
 * exits reaped. Written by the thread that sweeps (under the watcher's lock); read by the
 * {@link ChildWatcherSweepEvent} and, package-private, by tests and benchmarks.
 */
final class SweepCounts {
    int registered;
    int waitpidCalls;
    int exitsReaped;

    void reset(int registeredAtStart) {
        registered = registeredAtStart;
        waitpidCalls = 0;
        exitsReaped = 0;
    }

    @Override
    public String toString() {
        return "SweepCounts[registered=" + registered + ", waitpidCalls=" + waitpidCalls + ", exitsReaped=" + exitsReaped + "]";
    }
}
