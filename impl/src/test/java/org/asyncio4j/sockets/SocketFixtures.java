package org.asyncio4j.sockets;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Protocol;
import org.asyncio4j.Transport;
import org.asyncio4j.proactor.NioWarmUp;
import org.asyncio4j.proactor.ProactorEventLoop;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.Named;

/** The loops every socket test runs on, and protocols that record or echo, all on loopback. */
final class SocketFixtures {
    private SocketFixtures() {}

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * Both loops, named for the test report: the same contract on readiness and on completion. NIO's lasting
     * descriptors are made first, before any test's leak snapshot.
     */
    static Stream<Named<Supplier<EventLoop>>> loops() {
        NioWarmUp.once();
        return Stream.of(Named.of("selector", SelectorEventLoop::new), Named.of("proactor", ProactorEventLoop::new));
    }

    /** {@code n} bytes of a pattern that shows reordering and loss. */
    static byte[] pattern(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31 + (i >>> 8));
        }
        return data;
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /**
     * Records each callback as an event ("made", "data", "eof", "lost", "lost:ExceptionType", "pause",
     * "resume"), consecutive "data" events folded into one; keeps the bytes received; completes {@link #lost}
     * and, once {@link #expected} bytes have arrived, {@link #gotAll}.
     */
    static class Recorder implements Protocol {
        final EventLoop loop;
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final AsyncFuture<Throwable> lost;
        final AsyncFuture<Void> eof;
        final AsyncFuture<Void> gotAll;
        final AsyncFuture<Void> paused;
        int expected = Integer.MAX_VALUE;
        boolean keepOpenOnEof;
        Transport transport;

        Recorder(EventLoop loop) {
            this.loop = loop;
            this.lost = loop.createFuture();
            this.eof = loop.createFuture();
            this.gotAll = loop.createFuture();
            this.paused = loop.createFuture();
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
            events.add("made");
        }

        @Override
        public void dataReceived(byte[] data) {
            if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
                events.add("data");
            }
            received.write(data, 0, data.length);
            if (received.size() >= expected && !gotAll.done()) {
                gotAll.setResult(null);
            }
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            eof.setResult(null);
            return keepOpenOnEof;
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add(exc == null ? "lost" : "lost:" + exc.getClass().getSimpleName());
            if (!lost.done()) {
                lost.setResult(exc);
            }
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
            if (!paused.done()) {
                paused.setResult(null);
            }
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }
    }

    /** Sends back whatever it receives; closes on the peer's end of stream. */
    static final class Echo extends Recorder {
        Echo(EventLoop loop) {
            super(loop);
        }

        @Override
        public void dataReceived(byte[] data) {
            super.dataReceived(data);
            transport.write(data);
        }
    }

    /** Collects the contexts given to the loop's exception handler. */
    static List<Map<String, Object>> captureErrors(EventLoop loop) {
        List<Map<String, Object>> contexts = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> contexts.add(context));
        return contexts;
    }
}
