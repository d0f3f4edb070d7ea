package org.asyncio4j;

import java.net.InetSocketAddress;

/**
 * The callbacks of a UDP endpoint's protocol: CPython's {@code asyncio.DatagramProtocol}. Each default does
 * nothing. Order: {@link #connectionMade} first, then datagrams and errors, {@link #connectionLost} exactly once
 * and last; {@link #pauseWriting}/{@link #resumeWriting} when the transport's buffer crosses its water marks.
 */
public interface DatagramProtocol extends BaseProtocol {

    /**
     * A datagram arrived: CPython's {@code datagram_received}.
     *
     * @param data the datagram's bytes (possibly empty), the protocol's to keep
     * @param addr the sender's address
     */
    default void datagramReceived(byte[] data, InetSocketAddress addr) {}

    /**
     * A send or receive failed without closing the transport: CPython's {@code error_received}. On a connected
     * endpoint an ICMP "port unreachable" arrives here as a {@link java.net.ConnectException} naming ECONNREFUSED.
     *
     * @param exc the error, naming the call and the errno
     */
    default void errorReceived(Exception exc) {}
}
