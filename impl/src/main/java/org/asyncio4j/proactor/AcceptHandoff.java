package org.asyncio4j.proactor;

import java.io.IOException;
import java.net.SocketException;
import java.util.function.Function;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.LoopSocket;
import org.jspecify.annotations.Nullable;

/**
 * The one {@code sockAccept} waiting on a listening socket of the proactor loop, and what the accept in flight
 * brought while no call waited. An accept cannot be taken back (NIO cannot cancel it without closing the
 * channel), so a cancelled {@code sockAccept} leaves it running: its connection or error is kept here for the
 * next call, so that cancelling loses nothing. Loop thread only.
 *
 * @param <C> the kind of channel an accept gives
 */
final class AcceptHandoff<C> {
    private final Function<C, LoopSocket> wrap;
    private @Nullable AsyncFuture<LoopSocket> waiter;
    private @Nullable C early;
    private @Nullable IOException error;
    /** Whether an accept is running (its completion calls {@link #accepted} or {@link #failed}). */
    boolean inFlight;

    /** @param wrap makes the loop's socket of an accepted channel */
    AcceptHandoff(Function<C, LoopSocket> wrap) {
        this.wrap = wrap;
    }

    /**
     * Makes {@code result} the waiting call, completed at once if a connection or error is kept.
     *
     * @return whether the caller must start an accept (none in flight and nothing kept)
     * @throws IllegalStateException if another call is waiting ({@code socket} names the socket)
     */
    boolean await(AsyncFuture<LoopSocket> result, Object socket) {
        if (waiter != null && !waiter.done()) { // a cancelled one, its clean-up not run yet, is replaced
            throw new IllegalStateException("another sockAccept is waiting on " + socket);
        }
        waiter = result;
        result.addDoneCallback(done -> {
            if (waiter == done) {
                waiter = null;
            }
        });
        deliver();
        return !result.done() && !inFlight;
    }

    /** The accept in flight gave {@code connection}: to the waiting call, or kept for the next. */
    void accepted(C connection) {
        inFlight = false;
        early = connection;
        deliver();
    }

    /** The accept in flight failed: to the waiting call, or kept for the next. */
    void failed(IOException e) {
        inFlight = false;
        error = e;
        deliver();
    }

    private void deliver() {
        AsyncFuture<LoopSocket> w = waiter;
        if (w == null || w.done()) {
            return;
        }
        if (early != null) {
            C accepted = early;
            early = null;
            waiter = null;
            w.setResult(wrap.apply(accepted));
        } else if (error != null) {
            IOException e = error;
            error = null;
            waiter = null;
            w.setException(e);
        }
    }

    /** The socket is closing: fails the waiting call with {@code SocketException("Socket closed")}. */
    void failWaiter() {
        if (waiter != null && !waiter.done()) {
            waiter.setException(new SocketException("Socket closed"));
        }
        waiter = null;
    }

    /** {@return the kept connection, now the caller's to close, or null} */
    @Nullable C takeKept() {
        C kept = early;
        early = null;
        return kept;
    }
}
