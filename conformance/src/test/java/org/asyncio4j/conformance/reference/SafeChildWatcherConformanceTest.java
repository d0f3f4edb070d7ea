package org.asyncio4j.conformance.reference;

import org.asyncio4j.conformance.ChildWatcherConformance;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.SafeChildWatcher;

/** The kit's watcher properties against asyncio4j's {@link SafeChildWatcher}: needs an attached loop, polls only registered children. */
class SafeChildWatcherConformanceTest extends ChildWatcherConformance {
    @Override
    protected ChildWatcher createWatcher() {
        return new SafeChildWatcher();
    }

    @Override
    protected boolean needsAttachedLoop() {
        return true;
    }

    @Override
    protected boolean activeOnlyWhileLoopRuns() {
        return true;
    }

    @Override
    protected boolean reportsCallbackErrorsAsSweepErrors() {
        return true;
    }

    @Override
    protected boolean deliversExitedChildOnRegistration() {
        return true;
    }

    @Override
    protected boolean logsReferenceTexts() {
        return true;
    }
}
