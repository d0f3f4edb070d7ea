package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;

/** {@link ThreadedChildWatcher} against the shared contract, with real children (THR-01..09, §11.7). */
class ThreadedChildWatcherContractTest extends ChildWatcherContractTest {
    @Override
    ChildWatcher createWatcher() {
        return new ThreadedChildWatcher();
    }

    @Override
    Detach detachBehaviour() {
        return Detach.UNAFFECTED; // THR-05
    }

    @Override
    void awaitIdle() {
        TestChildren.awaitNoWaitpidThreads();
    }
}
