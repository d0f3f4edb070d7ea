package com.example;

import org.asyncio4j.ChildWatcher;
import org.asyncio4j.conformance.ChildWatcherConformance;
import org.asyncio4j.unix.SafeChildWatcher;

/** The kit's watcher properties against asyncio4j's own SafeChildWatcher, written as a user of the kit would. */
class ReferenceWatcherConformanceTest extends ChildWatcherConformance {
    @Override protected ChildWatcher createWatcher() { return new SafeChildWatcher(); }        // new, unattached
    @Override protected boolean needsAttachedLoop() { return true; }                         // how to drive it
    @Override protected boolean activeOnlyWhileLoopRuns() { return true; }
    @Override protected boolean reportsCallbackErrorsAsSweepErrors() { return true; }        // WCH-22's message
}
