package org.asyncio4j;

import java.util.Objects;

/**
 * The two streams of a connection: what CPython's {@code open_connection} returns as {@code (reader, writer)}.
 *
 * @param reader what the peer sends
 * @param writer what is sent to the peer
 */
public record StreamConnection(StreamReader reader, StreamWriter writer) {

    /**
     * Pairs the streams of one connection.
     *
     * @param reader what the peer sends
     * @param writer what is sent to the peer
     * @throws NullPointerException if either is null
     */
    public StreamConnection {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(writer, "writer");
    }
}
