package org.asyncio4j;

/** asyncio.InvalidStateError: an operation on a future in the wrong state. */
public class InvalidStateException extends IllegalStateException {
    /**
     * Creates the exception with CPython's message.
     *
     * @param message what was wrong, e.g. "Result is not set."
     */
    public InvalidStateException(String message) {
        super(message);
    }
}
