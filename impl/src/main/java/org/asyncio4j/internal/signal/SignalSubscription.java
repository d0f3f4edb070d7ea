package org.asyncio4j.internal.signal;

/**
 * One listener's registration with the {@link SignalDispatcher} for one signal.
 *
 * <p>While open, its listener is called for every delivery of {@link #signum()}. Closing it stops
 * that; closing the last open subscription for a signal also gives the signal back to whatever
 * handled it before the first subscription.
 */
public interface SignalSubscription extends AutoCloseable {

    /** The signal this subscription listens to. */
    int signum();

    /**
     * Removes the listener. Idempotent: later calls do nothing. When the last subscription for a signal
     * closes, the disposition that was in place before the first subscription is restored (the
     * {@code struct sigaction} the native path saved, or the handler {@code sun.misc.Signal.handle}
     * returned on the JVM path; SIG_DFL and SIG_IGN alike), and on the native path the
     * {@code asyncio4j-signals} thread ends once no signal is installed.
     *
     * <p>A delivery that was already being dispatched when {@code close()} was called may still reach
     * the listener once, even after {@code close()} returns; later deliveries do not.
     *
     * @throws IllegalStateException "sig N cannot be caught" in the unexpected case that the JVM
     *         refuses to reinstall the previous handler; the subscription is closed regardless
     */
    @Override
    void close();
}
