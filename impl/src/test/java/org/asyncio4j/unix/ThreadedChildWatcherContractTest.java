package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;

/** {@link ThreadedChildWatcher} against the shared contract, with real children (THR-01..09, §11.7). */
class ThreadedChildWatcherContractTest extends ChildWatcherContractTest {
    @Override
    ChildWatcher createWatcher() {
        return new ThreadedChildWatcher();
    }

    @Override
    boolean reapsUnwatchedChildren() {
        return true; // its waiting thread still reaps a removed child (§11.7)
    }

    @Override
    String callbackErrorMessagePrefix() {
        return "Exception in callback"; // THR-04: an ordinary loop callback
    }

    @Override
    Detach detachBehaviour() {
        return Detach.UNAFFECTED; // THR-05
    }

    @Override
    boolean reportsEarlyExitSynchronously() {
        return false; // delivered through callSoonThreadsafe
    }

    @Override
    boolean activeAfterClose() {
        return true; // THR-05
    }

    @Override
    void awaitIdle() {
        TestChildren.awaitNoWaitpidThreads();
    }
}
