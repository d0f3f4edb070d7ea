package org.asyncio4j.unix;

import org.asyncio4j.ChildHandler;

import java.lang.System.Logger.Level;
import org.asyncio4j.EventLoop;
import org.asyncio4j.internal.Loggers;

/**
 * A handler and the loop it is to be called on: the one home of "post an exit to its loop, or warn that the
 * loop is closed", for the watchers that deliver through the registering loop ({@link ThreadedChildWatcher},
 * {@link MultiLoopChildWatcher}). Subprocess transports post their exits the same way
 * ({@code BaseSubprocessTransport.exitReported}).
 */
record LoopRegistration(EventLoop loop, ChildHandler handler) {

    /** Posts the exit to the loop; a closed loop gets a warning instead (THR-04, MLW-07). */
    void deliver(long pid, int returnCode) {
        if (!loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(() -> handler.childExited(pid, returnCode));
                return;
            } catch (IllegalStateException closedMeanwhile) {
                // fall through to the warning
            }
        }
        Loggers.LOG.log(Level.WARNING, "Loop " + loop + " that handles pid " + pid + " is closed");
    }
}
