package org.asyncio4j;

/**
 * The separator was not found within the stream's limit: CPython's {@code asyncio.LimitOverrunError}. The
 * buffered data stays in the reader.
 */
public class LimitOverrunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The number of bytes to consume to get past the data that overran. */
    private final long consumed;

    /**
     * A separator not found within the reader's limit.
     *
     * @param message what went wrong
     * @param consumed the number of bytes to consume to get past the data that overran
     */
    public LimitOverrunException(String message, long consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** {@return the number of bytes to consume to get past the data that overran} */
    public long getConsumed() {
        return consumed;
    }
}
