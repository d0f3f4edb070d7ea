package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;

/** {@link SafeChildWatcher} against the shared contract, with real children (SAFE-01..12). */
class SafeChildWatcherContractTest extends ChildWatcherContractTest {
    @Override
    ChildWatcher createWatcher() {
        return new SafeChildWatcher();
    }

    @Override
    Detach detachBehaviour() {
        return Detach.REPORTED_AT_REATTACH;
    }

    @Override
    boolean watcherNeedsSigchld() {
        return true;
    }
}
