package org.asyncio4j.benchmarks.sockets;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One echo round: every client connection has sent its messages and waits for the same number of bytes back.
 * The I/O thread reports each connection's completion; the benchmark thread waits, bounded, for all of them.
 */
final class EchoRound {
    /** How long a round may take before the trial fails: far above any round on loopback. */
    static final long TIMEOUT_SECONDS = 30;

    private final AtomicInteger connectionsLeft;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** A round of {@code depth} messages on each of {@code connections} connections. */
    EchoRound(int connections, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, got " + depth);
        }
        connectionsLeft = new AtomicInteger(connections);
    }

    /** A connection received all the bytes it sent. */
    void connectionDone() {
        if (connectionsLeft.decrementAndGet() == 0) {
            done.complete(null);
        }
    }

    /** The round cannot complete (a connection got more than it sent, or was lost). */
    void fail(Throwable why) {
        done.completeExceptionally(why);
    }

    /** Waits until every connection is done; throws, naming the peer, when one failed or the round timed out. */
    void await(String peer) {
        try {
            done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("peer " + peer + ": echo round not complete after " + TIMEOUT_SECONDS
                    + " s, " + connectionsLeft.get() + " connection(s) still waiting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("peer " + peer + ": echo round failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("peer " + peer + ": interrupted while waiting for an echo round", e);
        }
    }

    /**
     * What a client connection has still to receive in the current round; used on the I/O thread only.
     */
    static final class Expectation {
        private long awaiting;
        private EchoRound round;

        /** Starts a round: {@code bytes} are on their way out and must come back. */
        void expect(EchoRound r, long bytes) {
            round = r;
            awaiting = bytes;
        }

        /** {@code n} bytes came back. */
        void received(int n) {
            awaiting -= n;
            if (awaiting == 0) {
                round.connectionDone();
            } else if (awaiting < 0) {
                round.fail(new IllegalStateException("the server echoed " + -awaiting + " bytes more than were sent"));
            }
        }

        /** The connection ended while a round waited for it. */
        void lost(Throwable why) {
            if (round != null && awaiting > 0) {
                round.fail(why != null ? why : new IllegalStateException("connection lost with " + awaiting
                        + " bytes still to come back"));
            }
        }
    }
}
