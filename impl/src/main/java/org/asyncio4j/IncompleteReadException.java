package org.asyncio4j;

import java.io.EOFException;

/**
 * End of file came before the requested number of bytes: CPython's {@code asyncio.IncompleteReadError}.
 * Message: "N bytes read on a total of M expected bytes" ("None" when no size was expected).
 */
public class IncompleteReadException extends EOFException {
    private static final long serialVersionUID = 1L;

    private final transient byte[] partial;
    /** The number of bytes expected, or -1 when reading up to a separator. */
    private final long expected;

    /**
     * An end of file that came before the data a read needed.
     *
     * @param partial the bytes read before end of file
     * @param expected the number of bytes expected, or -1 when reading up to a separator
     * @throws NullPointerException if {@code partial} is null
     */
    public IncompleteReadException(byte[] partial, long expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "None" : Long.toString(expected))
                + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /** {@return the bytes read before end of file (a copy)} */
    public byte[] getPartial() {
        return partial.clone();
    }

    /** {@return the number of bytes expected, or -1 when reading up to a separator} */
    public long getExpected() {
        return expected;
    }
}
