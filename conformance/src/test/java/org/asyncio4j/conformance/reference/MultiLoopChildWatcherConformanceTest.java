package org.asyncio4j.conformance.reference;

import org.asyncio4j.conformance.ChildWatcherConformance;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.MultiLoopChildWatcher;

/** The kit's watcher properties against asyncio4j's {@link MultiLoopChildWatcher}: registers on the loop running in the calling thread. */
class MultiLoopChildWatcherConformanceTest extends ChildWatcherConformance {
    @Override
    protected ChildWatcher createWatcher() {
        return new MultiLoopChildWatcher();
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
