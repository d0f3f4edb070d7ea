package org.asyncio4j.benchmarks;

import org.asyncio4j.EventLoop;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * {@link LoopBenchmark#callSoonDispatch}'s body, repeated a given number of rounds in a plain JVM, for
 * counting instructions under {@code valgrind --tool=callgrind} ({@code benchmarks/thread-check-cost.sh
 * --instructions}). The count does not depend on the machine's load, unlike any timing: two runs of different
 * lengths give the instructions per dispatched callback as their difference divided by the extra callbacks,
 * with start-up and compilation cancelling out.
 */
public final class CallSoonRounds {
    /** Callbacks per round, as in {@link LoopBenchmark#callSoonDispatch}. */
    public static final int CALLBACKS_PER_ROUND = LoopBenchmark.DISPATCH_N;

    private static final Runnable NOOP = () -> { };

    private CallSoonRounds() {
    }

    /**
     * Runs the rounds.
     *
     * @param args one argument: the number of rounds, at least 1
     */
    public static void main(String[] args) {
        if (args.length != 1 || !args[0].matches("[1-9][0-9]{0,5}")) {
            throw new IllegalArgumentException("usage: CallSoonRounds ROUNDS (1 to 999999), got " + String.join(" ", args));
        }
        int rounds = Integer.parseInt(args[0]);
        EventLoop loop = new SelectorEventLoop();
        try {
            Runnable stop = loop::stop;
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < CALLBACKS_PER_ROUND; i++) {
                    loop.callSoon(NOOP);
                }
                loop.callSoon(stop);
                loop.runForever();
            }
        } finally {
            loop.close();
        }
    }
}
