package org.asyncio4j.internal.posix;

import java.net.InetSocketAddress;

/**
 * One datagram {@link Posix#recvfrom} received, and who sent it.
 *
 * @param data the datagram's bytes (possibly empty)
 * @param sender the sender's address
 */
public record ReceivedDatagram(byte[] data, InetSocketAddress sender) {}
