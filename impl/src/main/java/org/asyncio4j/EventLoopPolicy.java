package org.asyncio4j;

import org.jspecify.annotations.Nullable;


/**
 * An event-loop policy: asyncio's {@code AbstractEventLoopPolicy}. It decides what "the current loop" is
 * (for the default policy: one per thread) and owns the process's child watcher.
 *
 * <p>Implementations must be safe to call from any thread. Third-party policies certify against
 * {@code org.asyncio4j.conformance.EventLoopPolicyConformance}.
 */
public interface EventLoopPolicy {

    /** {@return the loop of the current context; never null: a loop or an exception (POL-07)} */
    EventLoop getEventLoop();

    /**
     * Makes {@code loop} the current context's loop.
     *
     * @param loop the loop, or null to leave the context without one
     */
    void setEventLoop(@Nullable EventLoop loop);

    /** {@return a new, open, not running loop; it does not become current (POL-08)} */
    EventLoop newEventLoop();

    /**
     * {@return the child watcher}
     *
     * @throws UnsupportedOperationException where the platform has none
     */
    ChildWatcher getChildWatcher();

    /**
     * Replaces the child watcher; the previous one is closed (POL-24).
     *
     * @param watcher the new watcher, or null to have the policy create its default on next use
     */
    void setChildWatcher(@Nullable ChildWatcher watcher);
}
