package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.DatagramTransport;
import org.asyncio4j.unix.SelectorEventLoop;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The datagram transports' buffer, as CPython's {@code _SelectorDatagramTransport} keeps it: what the kernel would
 * not take waits, in order, pausing the protocol above the high-water mark, until the socket is writable; close
 * flushes it first, abort drops it, an error of a buffered send goes to {@code errorReceived}.
 *
 * <p>The kernel is faked here, and only here: on loopback a UDP send never meets EAGAIN (the datagram goes straight
 * to the receiver's queue, or is dropped), so a full socket cannot be produced on demand. The loop is real.
 */
class BaseDatagramTransportTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    /** A transport whose "kernel" refuses every datagram while {@link #full}. */
    static final class FakeKernelTransport extends BaseDatagramTransport {
        boolean full;
        @Nullable IOException failNext;
        final List<String> sent = new ArrayList<>();
        int awaits;
        int stops;
        boolean released;

        FakeKernelTransport(EventLoop loop, DatagramProtocol protocol) {
            super(loop, -1, new AddressOnlySocket(), protocol, null);
        }

        @Override
        protected boolean trySend(byte[] data, @Nullable InetSocketAddress to) throws IOException {
            if (failNext != null) {
                IOException e = failNext;
                failNext = null;
                throw e;
            }
            if (full) {
                return false;
            }
            sent.add(data.length + "@" + to.getPort());
            return true;
        }

        @Override
        protected void awaitWritable() {
            awaits++;
        }

        @Override
        protected void stopAwaitingWritable() {
            stops++;
        }

        @Override
        protected void startReceiving() {}

        @Override
        protected void stopReceiving() {}

        @Override
        protected void releaseDescriptor() {
            released = true;
        }
    }

    /** The socket the transport reports in its extra information; nothing is sent through it. */
    static final class AddressOnlySocket implements LoopSocket {
        @Override
        public void bind(InetSocketAddress address) {}

        @Override
        public void listen(int backlog) {}

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
        }

        @Override
        public @Nullable InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void close() {}
    }

    static final class Events implements DatagramProtocol {
        final List<String> events = new ArrayList<>();

        @Override
        public void connectionMade(BaseTransport transport) {
            events.add("made");
        }

        @Override
        public void errorReceived(Exception exc) {
            events.add("error:" + exc.getMessage());
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }

        @Override
        public void connectionLost(@Nullable Throwable exc) {
            events.add("lost");
        }
    }

    private static FakeKernelTransport started(EventLoop loop, Events protocol) {
        FakeKernelTransport t = new FakeKernelTransport(loop, protocol);
        AsyncFuture<TransportAndProtocol<DatagramTransport, Events>> waiter = loop.createFuture();
        t.begin(waiter, new TransportAndProtocol<>(t, protocol));
        loop.runUntilComplete(AsyncFutures.waitFor(waiter, 10));
        return t;
    }

    private static void settle(EventLoop loop) {
        loop.runUntilComplete(AsyncFutures.sleep(loop, 0.01));
    }

    @Test
    void whatTheKernelRefusesWaitsInOrderWithFlowControl() {
        try (EventLoop loop = new SelectorEventLoop()) {
            Events protocol = new Events();
            FakeKernelTransport t = started(loop, protocol);
            t.full = true;
            for (int i = 1; i <= 3; i++) {
                t.sendto(new byte[30_000 + i], PEER);
            }
            assertEquals(90_006, t.getWriteBufferSize());
            assertEquals(1, t.awaits, "one wait for writability");
            assertEquals(List.of("made", "pause"), protocol.events, "paused once above 64 KiB");
            t.full = false;
            t.writable();
            assertEquals(List.of("30001@9", "30002@9", "30003@9"), t.sent);
            assertEquals(0, t.getWriteBufferSize());
            assertEquals(List.of("made", "pause", "resume"), protocol.events);
            assertEquals(1, t.stops);
            t.close();
            settle(loop);
            assertEquals("lost", protocol.events.get(protocol.events.size() - 1));
            assertTrue(t.released);
        }
    }

    @Test
    void closeFlushesFirstAndAbortDrops() {
        try (EventLoop loop = new SelectorEventLoop()) {
            Events closing = new Events();
            FakeKernelTransport t = started(loop, closing);
            t.full = true;
            t.sendto("a".getBytes(), PEER);
            t.close();
            t.sendto("dropped".getBytes(), PEER);
            settle(loop);
            assertFalse(closing.events.contains("lost"), "buffered datagrams are sent first");
            t.full = false;
            t.writable();
            assertEquals(List.of("1@9"), t.sent);
            assertEquals(List.of("made", "lost"), closing.events);

            Events aborting = new Events();
            FakeKernelTransport a = started(loop, aborting);
            a.full = true;
            a.sendto("b".getBytes(), PEER);
            a.abort();
            assertEquals(0, a.getWriteBufferSize());
            settle(loop);
            assertEquals(List.of("made", "lost"), aborting.events);
            assertTrue(a.sent.isEmpty());
        }
    }

    @Test
    void anErrorOfABufferedSendGoesToErrorReceivedAndTheRestFollows() {
        try (EventLoop loop = new SelectorEventLoop()) {
            Events protocol = new Events();
            FakeKernelTransport t = started(loop, protocol);
            t.full = true;
            t.sendto("first".getBytes(), PEER);
            t.sendto("second".getBytes(), PEER);
            t.full = false;
            t.failNext = new SocketException("sendto failed: ECONNREFUSED");
            t.writable();
            assertEquals(List.of("made", "error:sendto failed: ECONNREFUSED"), protocol.events);
            assertEquals(6, t.getWriteBufferSize(), "the failed datagram is dropped, the next waits");
            t.writable();
            assertEquals(List.of("6@9"), t.sent);
            assertFalse(t.isClosing(), "an error received leaves the endpoint open");
            t.abort();
            settle(loop);
        }
    }
}
