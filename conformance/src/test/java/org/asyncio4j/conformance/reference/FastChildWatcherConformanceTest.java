package org.asyncio4j.conformance.reference;

import org.asyncio4j.conformance.ChildWatcherConformance;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.FastChildWatcher;

/** The kit's watcher properties against asyncio4j's {@link FastChildWatcher}: needs an attached loop and the spawning window, and reaps every child. */
class FastChildWatcherConformanceTest extends ChildWatcherConformance {
    @Override
    protected ChildWatcher createWatcher() {
        return new FastChildWatcher();
    }

    @Override
    protected boolean needsAttachedLoop() {
        return true;
    }

    @Override
    protected boolean needsSpawningWindow() {
        return true;
    }

    @Override
    protected boolean reapsEveryChild() {
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
    protected boolean logsReferenceTexts() {
        return true;
    }
}
