package org.asyncio4j;

/**
 * Zero-copy sending is not available for this file or socket and the fallback was not allowed: CPython's
 * {@code asyncio.SendfileNotAvailableError}. Like CPython's (a {@code RuntimeError}), it is unchecked.
 */
public final class SendfileNotAvailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message why zero-copy sending is not available
     */
    public SendfileNotAvailableException(String message) {
        super(message);
    }
}
