package org.asyncio4j.conformance.reference;

import org.asyncio4j.conformance.ChildWatcherConformance;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.ThreadedChildWatcher;

/** The kit's watcher properties against asyncio4j's {@link ThreadedChildWatcher}: registers on the loop running in the calling thread. */
class ThreadedChildWatcherConformanceTest extends ChildWatcherConformance {
    @Override
    protected ChildWatcher createWatcher() {
        return new ThreadedChildWatcher();
    }

    @Override
    protected boolean needsRunningLoopToRegister() {
        return true;
    }

    @Override
    protected boolean logsReferenceTexts() {
        return true;
    }
}
