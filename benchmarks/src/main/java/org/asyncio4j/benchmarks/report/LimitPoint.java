package org.asyncio4j.benchmarks.report;

/**
 * The cost of one SIGCHLD at n children, as the C tool or the CPython script measured it.
 *
 * @param n                n registered live children
 * @param safe             Safe scan, microseconds
 * @param fast             Fast reap, microseconds
 * @param idleWaitpid      one waitpid(-1, WNOHANG) with nothing to reap (C only, else NaN quantiles)
 * @param safeWaitpidCalls waitpid calls per Safe pass
 * @param fastWaitpidCalls waitpid calls per Fast pass
 * @param reps             timed repetitions
 */
public record LimitPoint(int n, Quantiles safe, Quantiles fast, Quantiles idleWaitpid,
                         double safeWaitpidCalls, double fastWaitpidCalls, int reps) {

    static LimitPoint of(Object p) {
        return new LimitPoint((int) Json.number(p, "n"), Quantiles.of(Json.get(p, "safe_us")),
                Quantiles.of(Json.get(p, "fast_us")), Quantiles.of(Json.get(p, "idle_waitpid_us")),
                Json.number(p, "safe_waitpid_calls"), Json.number(p, "fast_waitpid_calls"),
                (int) Json.number(p, "reps"));
    }
}
