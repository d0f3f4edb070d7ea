package org.asyncio4j;

/** asyncio.InvalidStateError: an operation on a future in the wrong state. */
public class InvalidStateException extends IllegalStateException {
    public InvalidStateException(String message) {
        super(message);
    }
}
