package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;

/** {@link SafeChildWatcher} against the shared contract, with real children (SAFE-01..12). */
class SafeChildWatcherContractTest extends ChildWatcherContractTest {
    @Override
    ChildWatcher createWatcher() {
        return new SafeChildWatcher();
    }

    @Override
    boolean reapsUnwatchedChildren() {
        return false; // SAFE-06, SAFE-08
    }

    @Override
    String callbackErrorMessagePrefix() {
        return "Unknown exception in SIGCHLD handler"; // WCH-22
    }

    @Override
    Detach detachBehaviour() {
        return Detach.REPORTED_AT_REATTACH;
    }

    @Override
    boolean reportsEarlyExitSynchronously() {
        return true; // SAFE-05
    }

    @Override
    boolean watcherNeedsSigchld() {
        return true;
    }
}
