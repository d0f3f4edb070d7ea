package org.asyncio4j.benchmarks.sockets;

import org.asyncio4j.proactor.ProactorEventLoop;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * One library's TCP echo on loopback, as a benchmark drives it: an echo server on 127.0.0.1 and
 * {@code connections} client connections to it in this JVM, the library's I/O running on its own thread(s)
 * while the benchmark thread starts rounds and waits for them. Each implementation is one small class, so that
 * a round means the same thing on every side. {@link #close()} closes every connection and stops every thread
 * the peer started.
 */
interface SocketPeer extends AutoCloseable {

    /**
     * One round: each client connection writes {@code depth} messages at once (the pipelining depth), and the
     * call returns when every connection has received all its bytes back from the server.
     *
     * @param depth messages each connection writes before waiting, at least 1
     * @throws IllegalStateException naming the peer when a round fails or takes longer than
     *     {@link EchoRound#TIMEOUT_SECONDS}
     */
    void echo(int depth);

    /** {@return the port the echo server listens on, on 127.0.0.1} */
    int serverPort();

    /** Closes every connection and the server, and stops the peer's threads; bounded in time. */
    @Override
    void close();

    /**
     * Opens the peer named {@code name} with messages of {@code messageBytes} bytes and {@code connections}
     * connected clients: asyncio4j-selector, asyncio4j-proactor or netty-epoll.
     *
     * @param name the library
     * @param messageBytes bytes in each message, at least 1
     * @param connections client connections, at least 1
     * @return the open peer, its I/O threads running
     * @throws IllegalArgumentException naming the argument and its value
     */
    static SocketPeer open(String name, int messageBytes, int connections) {
        if (messageBytes < 1) {
            throw new IllegalArgumentException("messageBytes must be at least 1, got " + messageBytes);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        switch (name) {
            case "asyncio4j-selector":
                return Asyncio4jSocketPeer.open(name, new SelectorEventLoop(), messageBytes, connections);
            case "asyncio4j-proactor":
                return Asyncio4jSocketPeer.open(name, new ProactorEventLoop(), messageBytes, connections);
            case "netty-epoll":
                return NettyEpollPeer.open(messageBytes, connections);
            default:
                throw new IllegalArgumentException("peer must be asyncio4j-selector, asyncio4j-proactor or "
                        + "netty-epoll, got " + name);
        }
    }

    /**
     * {@code n} bytes of a pattern, the message every peer sends.
     *
     * @param n the length
     * @return the bytes
     */
    static byte[] message(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31 + (i >>> 8));
        }
        return data;
    }
}
