package org.asyncio4j.conformance.reference;

import org.asyncio4j.conformance.ChildWatcherConformance;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.PidfdChildWatcher;

/** The kit's watcher properties against asyncio4j's {@link PidfdChildWatcher}: needs an attached loop and drops its registrations on attachLoop. */
class PidfdChildWatcherConformanceTest extends ChildWatcherConformance {
    @Override
    protected ChildWatcher createWatcher() {
        return new PidfdChildWatcher();
    }

    @Override
    protected boolean needsAttachedLoop() {
        return true;
    }

    @Override
    protected boolean dropsRegistrationsOnAttach() {
        return true;
    }

    @Override
    protected boolean activeOnlyWhileLoopRuns() {
        return true;
    }

    @Override
    protected boolean closeIsDetach() {
        return true;
    }

    @Override
    protected boolean logsReferenceTexts() {
        return true;
    }
}
