package org.asyncio4j;


/**
 * An event-loop policy: asyncio's {@code AbstractEventLoopPolicy}. It decides what "the current loop" is
 * (for the default policy: one per thread) and owns the process's child watcher.
 *
 * <p>Implementations must be safe to call from any thread. Third-party policies certify against
 * {@code org.asyncio4j.conformance.EventLoopPolicyConformance}.
 */
public interface EventLoopPolicy {

    /** The loop of the current context; never null: a loop or an exception (POL-07). */
    EventLoop getEventLoop();

    /** Makes {@code loop} (may be null) the current context's loop. */
    void setEventLoop(EventLoop loop);

    /** A new, open, not running loop; never null; does not become current (POL-08). */
    EventLoop newEventLoop();

    /** The child watcher; {@link UnsupportedOperationException} where the platform has none. */
    ChildWatcher getChildWatcher();

    /** Replaces the child watcher (may be null); the previous one is closed (POL-24). */
    void setChildWatcher(ChildWatcher watcher);
}
