package org.asyncio4j.unix;

import org.asyncio4j.ChildHandler;

import java.lang.System.Logger.Level;
import org.asyncio4j.EventLoop;
import org.asyncio4j.internal.Loggers;

/**
 * A handler and the loop that was running where it was registered, for the watchers that deliver through
 * that loop ({@link ThreadedChildWatcher}, {@link MultiLoopChildWatcher}).
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
