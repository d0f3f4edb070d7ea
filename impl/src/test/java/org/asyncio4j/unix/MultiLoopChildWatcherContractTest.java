package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;

/** {@link MultiLoopChildWatcher} against the shared contract, with real children (MLW-01..12). */
class MultiLoopChildWatcherContractTest extends ChildWatcherContractTest {
    @Override
    ChildWatcher createWatcher() {
        return new MultiLoopChildWatcher();
    }

    @Override
    Detach detachBehaviour() {
        return Detach.UNAFFECTED; // MLW-02: attachLoop ignores its argument
    }

    @Override
    boolean watcherNeedsSigchld() {
        return true;
    }
}
