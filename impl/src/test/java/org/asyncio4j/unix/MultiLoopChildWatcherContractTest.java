package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;

/** {@link MultiLoopChildWatcher} against the shared contract, with real children (MLW-01..12). */
class MultiLoopChildWatcherContractTest extends ChildWatcherContractTest {
    @Override
    ChildWatcher createWatcher() {
        return new MultiLoopChildWatcher();
    }

    @Override
    boolean reapsUnwatchedChildren() {
        return false; // MLW-09
    }

    @Override
    String callbackErrorMessagePrefix() {
        return "Exception in callback"; // RACE-08: delivered through the registering loop
    }

    @Override
    Detach detachBehaviour() {
        return Detach.UNAFFECTED; // MLW-02: attachLoop ignores its argument
    }

    @Override
    boolean reportsEarlyExitSynchronously() {
        return false; // MLW-05: the immediate poll delivers through callSoonThreadsafe
    }

    @Override
    boolean watcherNeedsSigchld() {
        return true;
    }
}
