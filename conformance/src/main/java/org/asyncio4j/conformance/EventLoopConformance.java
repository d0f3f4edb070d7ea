package org.asyncio4j.conformance;

import org.asyncio4j.EventLoop;

/**
 * Conformance properties for an {@link EventLoop}, one contract per subject: callbacks and timers
 * ({@link CallbacksAndTimersContract}), run, stop and close ({@link LoopLifecycleContract}), futures
 * ({@link FutureContract}), exception handling and debug mode ({@link ExceptionHandlingContract}), other
 * threads ({@link ThreadSafetyContract}) and signal handlers ({@link SignalHandlerContract}).
 *
 * <p>Extend it in a test class and return a new, open, not running loop from {@link #createEventLoop()} on
 * every call; override the capability methods to declare what the loop lacks or claims. The kit runs each
 * loop in the calling thread, or in a thread of its own where a property needs another thread.
 */
public abstract class EventLoopConformance extends ConformanceBase implements CallbacksAndTimersContract, LoopLifecycleContract,
        FutureContract, ExceptionHandlingContract, ThreadSafetyContract, SignalHandlerContract {
    /** For subclasses. */
    protected EventLoopConformance() {}

    /** A new, open, not running loop; called once or more per try. */
    protected abstract EventLoop createEventLoop();

    /** A new loop from {@link #createEventLoop()}. */
    @Override
    public final EventLoop newLoop() {
        return createEventLoop();
    }

    /** False if the loop has no signal handlers (addSignalHandler throws UnsupportedOperationException). Default true. */
    protected boolean supportsSignals() {
        return true;
    }

    /** False if the loop cannot watch raw file descriptors with addReader/addWriter. Default true. */
    protected boolean supportsRawFdReaders() {
        return true;
    }

    /**
     * True if timers due at the same instant run in the order they were scheduled. CPython leaves that
     * order undefined (LOOP-29); asyncio4j's loops promise it. Default false.
     */
    protected boolean claimsTimerTiesInSchedulingOrder() {
        return false;
    }

    /**
     * True if the loop logs asyncio4j's reference texts (CPython's texts) on the {@code org.asyncio4j}
     * java.util.logging logger: slow callbacks in debug mode (LOOP-43), the default exception handler (LOOP-50).
     * Default false.
     */
    protected boolean logsReferenceTexts() {
        return false;
    }

    /** Answers from the capability methods above (or override it to answer for all at once); false for other kits' capabilities. */
    @Override
    protected boolean declares(Capability capability) {
        return switch (capability) {
            case SIGNALS -> supportsSignals();
            case RAW_FD_READERS -> supportsRawFdReaders();
            case TIMER_TIES_IN_SCHEDULING_ORDER -> claimsTimerTiesInSchedulingOrder();
            case REFERENCE_LOG_TEXTS -> logsReferenceTexts();
            default -> false;
        };
    }
}
