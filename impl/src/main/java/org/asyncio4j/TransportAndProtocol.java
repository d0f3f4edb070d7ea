package org.asyncio4j;

import java.util.Objects;

/**
 * A connected transport and the protocol made for it: what CPython's {@code connect_read_pipe} and
 * {@code connect_write_pipe} return as a tuple.
 *
 * @param transport the transport, owner of the descriptor
 * @param protocol the protocol the factory made
 * @param <T> the type of the transport
 * @param <P> the type of the protocol
 */
public record TransportAndProtocol<T extends BaseTransport, P extends BaseProtocol>(T transport, P protocol) {

    /**
     * Pairs a transport with its protocol.
     *
     * @param transport the transport, owner of the descriptor
     * @param protocol the protocol the factory made
     * @throws NullPointerException if either is null
     */
    public TransportAndProtocol {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
    }
}
