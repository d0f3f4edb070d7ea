package org.asyncio4j.unix;

import java.lang.System.Logger.Level;
import org.asyncio4j.internal.Loggers;

/**
 * Maps raw wait statuses to CPython return codes (WCH-08): a normal exit gives the exit status, death by
 * signal N gives -N, and any other status (stopped, continued, garbage) passes through unchanged.
 */
public final class ReturnCodes {
    /** What watchers report when the status was collected elsewhere (ECHILD) (WCH-09). */
    public static final int UNKNOWN = 255;

    private ReturnCodes() {}

    /** A status collected elsewhere (ECHILD): logs "Unknown child process pid N, will report returncode 255". */
    static int unknownChild(long pid) {
        return statusLost("Unknown child process pid " + pid + ", will report returncode 255");
    }

    /** Logs {@code warning} and returns {@link #UNKNOWN}: every watcher's answer to a status it cannot read. */
    static int statusLost(String warning) {
        Loggers.LOG.log(Level.WARNING, warning);
        return UNKNOWN;
    }


    /**
     * {@return the return code for a raw {@code waitpid} status}
     *
     * @param status the status word {@code waitpid} stored
     */
    public static int fromWaitStatus(int status) {
        int low7 = status & 0x7f;
        if (low7 == 0) {                        // WIFEXITED
            return (status >> 8) & 0xff;
        }
        if (low7 != 0x7f) {                     // WIFSIGNALED (0x7f in the low bits means stopped)
            return -low7;
        }
        return status;
    }
}
