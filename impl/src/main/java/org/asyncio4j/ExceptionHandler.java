package org.asyncio4j;

import java.util.Map;

/** A loop's exception handler: receives the loop and a CPython-style context map ("message", "exception", "handle", "future"...). */
@FunctionalInterface
public interface ExceptionHandler {
    void handle(EventLoop loop, Map<String, Object> context);
}
