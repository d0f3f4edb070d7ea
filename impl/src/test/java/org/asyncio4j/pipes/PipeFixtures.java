package org.asyncio4j.pipes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.proactor.ProactorEventLoop;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The loops every pipe test runs on, and a protocol that records its callbacks in order. */
final class PipeFixtures {
    private PipeFixtures() {}

    /** Both loops, named for the test report. */
    static Stream<Named<Supplier<EventLoop>>> loops() {
        return Stream.of(
                Named.of("selector", SelectorEventLoop::new),
                Named.of("proactor", ProactorEventLoop::new));
    }

    /**
     * The fixture of every pipe test: a real pipe and the loop under test, made by {@link #open}. After each
     * test it closes the loop, then each end of the pipe the test still holds. An end the test gave away (to a
     * transport, which closes it, or to its own {@code close}) is not the fixture's any more, and its number
     * may already name another file of this JVM (a jar, a directory being listed): it is left alone.
     */
    static final class LoopAndPipe implements AfterEachCallback {
        /** The pipe: {@code [readEnd, writeEnd]}. */
        final int[] pipe = pipe();
        /** The pipe as /proc names it ("pipe:[inode]"), shared by both ends and by nothing else. */
        private final String identity = target(pipe[0]);
        private EventLoop loop;

        /** Makes the test's loop with {@code factory}; it is closed after the test. */
        EventLoop open(Supplier<EventLoop> factory) {
            loop = factory.get();
            return loop;
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (loop != null) {
                loop.close();
            }
            closeIfStillOurs(pipe[0]);
            closeIfStillOurs(pipe[1]);
        }

        /**
         * Closes {@code fd} if it still names this pipe. "Is it open?" is not the question: a number given away
         * and closed is soon reused by whoever opens a file next, and closing it then closes theirs.
         */
        private void closeIfStillOurs(int fd) {
            if (identity.equals(target(fd))) {
                Posix.get().close(fd);
            }
        }
    }

    /** {@return what {@code fd} names right now, as /proc/self/fd shows it ("pipe:[1234]"), or "" if not open} */
    static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException notOpen) {
            return "";
        }
    }

    /** A real pipe: {@code [readEnd, writeEnd]}. */
    static int[] pipe() {
        return Posix.get().pipe();
    }

    /** Writes all of {@code data} to a blocking descriptor. */
    static void writeFully(int fd, byte[] data) {
        Posix posix = Posix.get();
        int off = 0;
        while (off < data.length) {
            int n = posix.write(fd, data, off, data.length - off);
            if (n > 0) {
                off += n;
            }
        }
    }

    /** {@code n} bytes of a pattern that shows reordering and loss. */
    static byte[] pattern(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31 + (i >>> 8));
        }
        return data;
    }

    static <T extends BaseTransport, P extends org.asyncio4j.BaseProtocol> TransportAndProtocol<T, P> connect(
            EventLoop loop, AsyncFuture<TransportAndProtocol<T, P>> connecting) {
        return loop.runUntilComplete(connecting);
    }

    static TransportAndProtocol<ReadTransport, Recorder> readPipe(EventLoop loop, int fd) {
        return connect(loop, loop.connectReadPipe(() -> new Recorder(loop), fd));
    }

    static TransportAndProtocol<WriteTransport, Recorder> writePipe(EventLoop loop, int fd) {
        return connect(loop, loop.connectWritePipe(() -> new Recorder(loop), fd));
    }

    /**
     * Records each callback as an event ("made", "data", "eof", "lost", "lost:ExceptionType", "pause",
     * "resume"), consecutive "data" events folded into one, and keeps the bytes received.
     */
    static class Recorder implements Protocol {
        final EventLoop loop;
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final AsyncFuture<Throwable> lost;
        BaseTransport transport;
        Throwable lostWith;
        int pauses;
        int resumes;

        Recorder(EventLoop loop) {
            this.loop = loop;
            this.lost = loop.createFuture();
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = transport;
            events.add("made");
        }

        @Override
        public void dataReceived(byte[] data) {
            if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
                events.add("data");
            }
            received.write(data, 0, data.length);
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return false;
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add(exc == null ? "lost" : "lost:" + exc.getClass().getSimpleName());
            lostWith = exc;
            if (!lost.done()) {
                lost.setResult(exc);
            }
        }

        @Override
        public void pauseWriting() {
            pauses++;
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            resumes++;
            events.add("resume");
        }
    }

    /** Collects the contexts given to the loop's exception handler. */
    static List<Map<String, Object>> captureErrors(EventLoop loop) {
        List<Map<String, Object>> contexts = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> contexts.add(context));
        return contexts;
    }
}
