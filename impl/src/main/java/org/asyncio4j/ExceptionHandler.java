package org.asyncio4j;

import java.util.Map;

/** A loop's exception handler: receives the loop and a CPython-style context map ("message", "exception", "handle", "future"...). */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * Handles an error reported on {@code loop}; whatever it throws is logged, never propagated.
     *
     * @param loop the loop the error was reported on
     * @param context CPython's context: "message", and "exception", "handle", "future" where they apply
     */
    void handle(EventLoop loop, Map<String, Object> context);
}
