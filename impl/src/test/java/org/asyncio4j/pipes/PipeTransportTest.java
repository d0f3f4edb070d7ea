package org.asyncio4j.pipes;

import static org.asyncio4j.pipes.PipeFixtures.connect;
import static org.asyncio4j.pipes.PipeFixtures.pattern;
import static org.asyncio4j.pipes.PipeFixtures.readPipe;
import static org.asyncio4j.pipes.PipeFixtures.writeFully;
import static org.asyncio4j.pipes.PipeFixtures.writePipe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.pipes.PipeFixtures.LoopAndPipe;
import org.asyncio4j.pipes.PipeFixtures.Recorder;
import org.asyncio4j.support.Loops;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pipe transports on real pipes, on both loops: callback order, data, EOF, close and abort, flow control. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken rule fails, never hangs
class PipeTransportTest {
    private static final String LOOPS = "org.asyncio4j.pipes.PipeFixtures#loops";
    private static final int MIB = 1024 * 1024;

    private final Posix posix = Posix.get();
    @RegisterExtension
    final LoopAndPipe fixture = new LoopAndPipe();
    private final int[] pipe = fixture.pipe;
    private EventLoop loop;

    private EventLoop open(Supplier<EventLoop> factory) {
        loop = fixture.open(factory);
        return loop;
    }

    /** Runs the loop until the recorder's connection is lost; returns what it was lost with. */
    private Throwable untilLost(Recorder recorder) {
        return loop.runUntilComplete(recorder.lost);
    }

    /** Runs a few iterations, for checks that nothing more happens. */
    private void spin(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Loops.runOnce(loop);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-01 connectionMade runs first, before the connect future completes")
    void connectionMadeFirst(Supplier<EventLoop> factory) {
        open(factory);
        List<String> order = new ArrayList<>();
        AsyncFuture<TransportAndProtocol<ReadTransport, Recorder>> connecting =
                loop.connectReadPipe(() -> new Recorder(loop) {
                    @Override
                    public void connectionMade(org.asyncio4j.BaseTransport transport) {
                        super.connectionMade(transport);
                        order.add("made");
                    }
                }, pipe[0]);
        assertFalse(connecting.done(), "connectionMade is called soon, not inside connectReadPipe");
        connecting.addDoneCallback(f -> order.add("future"));
        TransportAndProtocol<ReadTransport, Recorder> tp = loop.runUntilComplete(connecting);
        spin(1);
        assertEquals(List.of("made", "future"), order);
        assertSame(tp.transport(), tp.protocol().transport);
        assertEquals(pipe[0], tp.transport().getExtraInfo("pipe"));
        assertEquals("none", tp.transport().getExtraInfo("peername", "none"));
        tp.transport().close();
        untilLost(tp.protocol());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-02 8 MiB pass from a write transport to a read transport intact, in order, then EOF")
    void largeTransfer(Supplier<EventLoop> factory) {
        open(factory);
        Recorder reader = readPipe(loop, pipe[0]).protocol();
        TransportAndProtocol<WriteTransport, Recorder> writer = writePipe(loop, pipe[1]);
        byte[] data = pattern(8 * MIB + 123);
        for (int off = 0; off < data.length; off += 100_000) {
            writer.transport().write(Arrays.copyOfRange(data, off, Math.min(data.length, off + 100_000)));
        }
        assertTrue(writer.transport().getWriteBufferSize() > 0, "more than a pipe holds is buffered");
        writer.transport().close();
        assertNull(untilLost(writer.protocol()), "close flushes, then connectionLost(null)");
        assertNull(untilLost(reader));
        assertArrayEquals(data, reader.received.toByteArray());
        assertEquals(List.of("made", "data", "eof", "lost"), reader.events);
        assertEquals("made", writer.protocol().events.get(0));
        assertEquals("lost", writer.protocol().events.get(writer.protocol().events.size() - 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-02 8 MiB each way through a real child (cat): written to its stdin while read from its stdout")
    void bothWaysThroughChild(Supplier<EventLoop> factory) {
        open(factory);
        int[] out = PipeFixtures.pipe(); // the child's stdout
        long pid;
        try {
            pid = posix.spawn(org.asyncio4j.internal.posix.SpawnRequest.builder(List.of("cat"))
                    .stdin(pipe[0]).stdout(out[1]).build());
        } finally {
            posix.close(pipe[0]);
            posix.close(out[1]);
        }
        boolean passed = false;
        try {
            Recorder reader = readPipe(loop, out[0]).protocol();
            TransportAndProtocol<WriteTransport, Recorder> writer = writePipe(loop, pipe[1]);
            byte[] data = pattern(8 * MIB + 7);
            writer.transport().write(data);
            writer.transport().writeEof();
            assertNull(untilLost(reader));
            assertNull(untilLost(writer.protocol()));
            assertArrayEquals(data, reader.received.toByteArray());
            assertTrue(writer.protocol().pauses >= 1, "the child reads slower than the transport buffers");
            assertEquals(writer.protocol().pauses, writer.protocol().resumes);
            passed = true;
        } finally {
            if (!passed) {
                posix.kill(pid, Loops.SIGKILL); // not yet reaped, so the pid is still cat's
            }
            posix.waitpid(pid, 0); // cat ends at the end of its input
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-03 end of file calls eofReceived then connectionLost(null), and the transport closes its fd")
    void eofThenLost(Supplier<EventLoop> factory) {
        open(factory);
        writeFully(pipe[1], "hello".getBytes());
        posix.close(pipe[1]);
        TransportAndProtocol<ReadTransport, Recorder> tp = readPipe(loop, pipe[0]);
        assertNull(untilLost(tp.protocol()));
        spin(2);
        assertEquals(List.of("made", "data", "eof", "lost"), tp.protocol().events);
        assertEquals("hello", tp.protocol().received.toString());
        assertTrue(tp.transport().isClosing());
        assertFalse(tp.transport().isReading());
        awaitClosed(pipe[0]);
    }

    /** The proactor's pipe thread closes descriptors a moment after connectionLost. */
    private void awaitClosed(int fd) {
        for (int i = 0; i < 1000 && posix.isOpen(fd); i++) {
            spin(1);
            Loops.pause(1);
        }
        assertFalse(posix.isOpen(fd), "the transport closed fd " + fd);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-04 connectionLost runs exactly once and last, however often close and abort are called")
    void lostOnce(Supplier<EventLoop> factory) {
        open(factory);
        TransportAndProtocol<WriteTransport, Recorder> w = writePipe(loop, pipe[1]);
        TransportAndProtocol<ReadTransport, Recorder> r = readPipe(loop, pipe[0]);
        w.transport().write(pattern(300_000));
        w.transport().close();
        w.transport().abort();
        w.transport().close();
        r.transport().close();
        r.transport().close();
        untilLost(w.protocol());
        untilLost(r.protocol());
        spin(3);
        assertEquals(List.of("made", "pause", "lost"), w.protocol().events);
        assertEquals(List.of("made", "lost"), r.protocol().events);
        awaitClosed(pipe[0]);
        awaitClosed(pipe[1]);

        int[] idle = PipeFixtures.pipe();
        try {
            TransportAndProtocol<WriteTransport, Recorder> empty = writePipe(loop, idle[1]);
            empty.transport().writeEof(); // nothing buffered: connectionLost is scheduled at once
            empty.transport().abort();    // and abort schedules it again
            untilLost(empty.protocol());
            spin(3);
            assertEquals(List.of("made", "lost"), empty.protocol().events);
            awaitClosed(idle[1]);
        } finally {
            posix.close(idle[0]); // the test's own end, never given away
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-05 no dataReceived or eofReceived after close(), even with data waiting in the pipe")
    void nothingAfterClose(Supplier<EventLoop> factory) {
        open(factory);
        writeFully(pipe[1], "unread".getBytes());
        posix.close(pipe[1]);
        Recorder recorder = loop.runUntilComplete(loop.connectReadPipe(() -> new Recorder(loop) {
            @Override
            public void connectionMade(org.asyncio4j.BaseTransport transport) {
                super.connectionMade(transport);
                transport.close();
            }
        }, pipe[0])).protocol();
        untilLost(recorder);
        spin(3);
        assertEquals(List.of("made", "lost"), recorder.events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-06 pauseWriting above the high-water mark and resumeWriting at the low one alternate, with a slow reader")
    void flowControlWithSlowReader(Supplier<EventLoop> factory) {
        open(factory);
        TransportAndProtocol<ReadTransport, Recorder> r = readPipe(loop, pipe[0]);
        TransportAndProtocol<WriteTransport, Recorder> w = writePipe(loop, pipe[1]);
        WriteTransport out = w.transport();
        out.setWriteBufferLimits(32 * 1024, 8 * 1024);
        r.transport().pauseReading(); // the slow reader: it takes its data in bursts
        int chunk = 16 * 1024;
        int total = 4 * MIB;
        AtomicInteger sent = new AtomicInteger();
        int[] maxBuffered = {0};
        Runnable fill = () -> {
            while (sent.get() < total && w.protocol().pauses == w.protocol().resumes) {
                out.write(pattern(chunk));
                sent.addAndGet(chunk);
                maxBuffered[0] = Math.max(maxBuffered[0], out.getWriteBufferSize());
            }
            if (sent.get() == total) {
                out.close();
            }
        };
        fill.run();
        assertEquals(1, w.protocol().pauses, "paused once the pipe and the buffer filled");
        while (!w.protocol().lost.done()) {
            r.transport().resumeReading();
            spin(2);
            r.transport().pauseReading();
            spin(2);
            if (w.protocol().pauses == w.protocol().resumes && sent.get() < total) {
                fill.run();
            }
        }
        r.transport().resumeReading();
        untilLost(r.protocol());
        assertEquals(total, r.protocol().received.size());
        assertTrue(w.protocol().pauses > 10, "paused often: " + w.protocol().pauses);
        assertEquals(w.protocol().pauses, w.protocol().resumes);
        List<String> flow = w.protocol().events.subList(1, w.protocol().events.size() - 1);
        for (int i = 0; i < flow.size(); i++) {
            assertEquals(i % 2 == 0 ? "pause" : "resume", flow.get(i), "alternating: " + flow);
        }
        assertTrue(maxBuffered[0] <= 32 * 1024 + chunk, "buffer bounded by the high-water mark: " + maxBuffered[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-07 abort drops buffered data and calls connectionLost(null); writes after it are dropped")
    void abortDrops(Supplier<EventLoop> factory) {
        open(factory);
        TransportAndProtocol<WriteTransport, Recorder> w = writePipe(loop, pipe[1]);
        w.transport().write(pattern(MIB));
        assertTrue(w.transport().getWriteBufferSize() > 0);
        w.transport().abort();
        assertEquals(0, w.transport().getWriteBufferSize());
        assertTrue(w.transport().isClosing());
        w.transport().write(pattern(10));
        assertNull(untilLost(w.protocol()));
        spin(3);
        assertEquals(List.of("made", "pause", "lost"), w.protocol().events, "no resumeWriting after abort");
        awaitClosed(pipe[1]);
        byte[] sink = new byte[64 * 1024];
        long got = 0;
        int n;
        while ((n = posix.read(pipe[0], sink, 0, sink.length)) > 0) {
            got += n;
        }
        assertTrue(got < MIB, "aborted before all was sent: " + got);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-08 writeEof flushes what is buffered, then connectionLost(null); the reader sees it all then EOF")
    void writeEofFlushes(Supplier<EventLoop> factory) {
        open(factory);
        TransportAndProtocol<WriteTransport, Recorder> w = writePipe(loop, pipe[1]);
        Recorder reader = readPipe(loop, pipe[0]).protocol();
        assertTrue(w.transport().canWriteEof());
        byte[] data = pattern(MIB);
        w.transport().write(data);
        w.transport().writeEof();
        assertTrue(w.transport().isClosing());
        assertNull(untilLost(reader));
        assertNull(untilLost(w.protocol()));
        assertArrayEquals(data, reader.received.toByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-09 the read end closing ends a write transport: connectionLost(null) when idle")
    void readEndClosedWhenIdle(Supplier<EventLoop> factory) {
        open(factory);
        TransportAndProtocol<WriteTransport, Recorder> w = writePipe(loop, pipe[1]);
        spin(2);
        posix.close(pipe[0]);
        assertNull(untilLost(w.protocol()));
        assertEquals(List.of("made", "lost"), w.protocol().events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-10 a write to a pipe whose read end closed (EPIPE) ends the transport with an IOException")
    void brokenPipe(Supplier<EventLoop> factory) {
        open(factory);
        TransportAndProtocol<WriteTransport, Recorder> w = writePipe(loop, pipe[1]);
        List<Map<String, Object>> errors = PipeFixtures.captureErrors(loop);
        posix.close(pipe[0]);
        w.transport().write(pattern(1000));
        Throwable lost = untilLost(w.protocol());
        if (lost != null) { // the write raced the read-end watch, which may end it first with null
            assertInstanceOf(IOException.class, lost);
            assertTrue(lost.getMessage().contains("EPIPE") || lost.getMessage().contains("Broken pipe"), lost.getMessage());
        }
        assertEquals(List.of(), errors, "an OS error is the protocol's business, not the exception handler's");
        int before = w.protocol().events.size();
        w.transport().write(pattern(10));
        spin(2);
        assertEquals(before, w.protocol().events.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-11 an exception from a protocol callback goes to the loop's exception handler; data keeps coming")
    void callbackExceptions(Supplier<EventLoop> factory) {
        open(factory);
        List<Map<String, Object>> errors = PipeFixtures.captureErrors(loop);
        RuntimeException boom = new RuntimeException("boom in dataReceived");
        Recorder reader = loop.runUntilComplete(loop.connectReadPipe(() -> new Recorder(loop) {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                if (received.size() == data.length) {
                    throw boom;
                }
            }
        }, pipe[0])).protocol();
        writeFully(pipe[1], "first".getBytes());
        spin(3);
        writeFully(pipe[1], "second".getBytes());
        posix.close(pipe[1]);
        untilLost(reader);
        assertEquals("firstsecond", reader.received.toString());
        assertEquals(1, errors.size(), "one report: " + errors);
        assertSame(boom, errors.get(0).get("exception"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-12 pauseReading stops dataReceived until resumeReading; isReading tells which")
    void pauseAndResumeReading(Supplier<EventLoop> factory) {
        open(factory);
        TransportAndProtocol<ReadTransport, Recorder> r = readPipe(loop, pipe[0]);
        assertTrue(r.transport().isReading());
        r.transport().pauseReading();
        r.transport().pauseReading();
        assertFalse(r.transport().isReading());
        writeFully(pipe[1], "held".getBytes());
        spin(5);
        assertEquals(0, r.protocol().received.size());
        r.transport().resumeReading();
        assertTrue(r.transport().isReading());
        posix.close(pipe[1]);
        untilLost(r.protocol());
        assertEquals("held", r.protocol().received.toString());
        assertEquals(List.of("made", "data", "eof", "lost"), r.protocol().events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-12 a transport paused in connectionMade does not start reading until resumeReading")
    void pausedBeforeReadingStarts(Supplier<EventLoop> factory) {
        open(factory);
        writeFully(pipe[1], "early".getBytes());
        Recorder protocol = connect(loop, loop.connectReadPipe(() -> new Recorder(loop) {
            @Override
            public void connectionMade(BaseTransport transport) {
                super.connectionMade(transport);
                ((ReadTransport) transport).pauseReading();
            }
        }, pipe[0])).protocol();
        ReadTransport transport = (ReadTransport) protocol.transport;
        spin(5);
        assertFalse(transport.isReading());
        assertEquals(0, protocol.received.size(), "data reached a transport paused before it started reading");
        transport.resumeReading();
        posix.close(pipe[1]);
        untilLost(protocol);
        assertEquals("early", protocol.received.toString());
        assertEquals(List.of("made", "data", "eof", "lost"), protocol.events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-13 a write the pipe can take leaves nothing buffered; water marks default to 64 KiB and 16 KiB")
    void writeThroughAndLimits(Supplier<EventLoop> factory) {
        open(factory);
        TransportAndProtocol<WriteTransport, Recorder> w = writePipe(loop, pipe[1]);
        WriteTransport out = w.transport();
        assertEquals(new WriteTransport.WriteBufferLimits(16 * 1024, 64 * 1024), out.getWriteBufferLimits());
        out.setWriteBufferLimits(1000);
        assertEquals(new WriteTransport.WriteBufferLimits(250, 1000), out.getWriteBufferLimits());
        out.write(pattern(1000));
        if (loop instanceof org.asyncio4j.unix.SelectorEventLoop) {
            assertEquals(0, out.getWriteBufferSize(), "written through, inside write()");
        }
        for (int i = 0; i < 1000 && out.getWriteBufferSize() > 0; i++) {
            spin(1); // the proactor's write is in flight until its completion arrives
            Loops.pause(1);
        }
        assertEquals(0, out.getWriteBufferSize());
        assertEquals(List.of("made"), w.protocol().events, "never paused");
        out.setWriteBufferLimits(0, 0);
        out.write(pattern(100_000));
        assertEquals(List.of("made", "pause"), w.protocol().events, "above high: paused at once");
        out.abort();
        untilLost(w.protocol());
    }
}
