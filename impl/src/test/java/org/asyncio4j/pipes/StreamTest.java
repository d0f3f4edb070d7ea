package org.asyncio4j.pipes;

import static org.asyncio4j.pipes.PipeFixtures.writeFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.FlowControlProtocol;
import org.asyncio4j.IncompleteReadException;
import org.asyncio4j.LimitOverrunException;
import org.asyncio4j.StreamReader;
import org.asyncio4j.StreamReaderProtocol;
import org.asyncio4j.StreamWriter;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.pipes.PipeFixtures.LoopAndPipe;
import org.asyncio4j.support.Loops;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** StreamReader and StreamWriter over real pipes, on both loops. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken rule fails, never hangs
class StreamTest {
    private static final String LOOPS = "org.asyncio4j.pipes.PipeFixtures#loops";

    private final Posix posix = Posix.get();
    @RegisterExtension
    final LoopAndPipe fixture = new LoopAndPipe();
    private final int[] pipe = fixture.pipe;
    private EventLoop loop;

    /** A reader fed from the read end of the test's pipe. */
    private StreamReader reader(Supplier<EventLoop> factory, int limit) {
        loop = fixture.open(factory);
        StreamReader reader = new StreamReader(loop, limit);
        loop.runUntilComplete(loop.connectReadPipe(() -> new StreamReaderProtocol(reader, loop), pipe[0]));
        return reader;
    }

    /** A writer on the write end of the test's pipe. */
    private StreamWriter writer() {
        TransportAndProtocol<WriteTransport, FlowControlProtocol> tp =
                loop.runUntilComplete(loop.connectWritePipe(() -> new FlowControlProtocol(loop), pipe[1]));
        return new StreamWriter(tp.transport(), tp.protocol(), null, loop);
    }

    private void feed(String text) {
        writeFully(pipe[1], text.getBytes(StandardCharsets.US_ASCII));
    }

    private void feedEof() {
        posix.close(pipe[1]);
    }

    private String text(AsyncFuture<byte[]> read) {
        return new String(loop.runUntilComplete(read), StandardCharsets.US_ASCII);
    }

    /** What {@code future} failed with (unwrapped from CompletionException when checked). */
    private Throwable failure(AsyncFuture<?> future) {
        Throwable e = assertThrows(Throwable.class, () -> loop.runUntilComplete(future));
        return e instanceof CompletionException ? e.getCause() : e;
    }

    /** Runs the loop until {@code condition} holds (the proactor's completions come from another thread). */
    private void until(BooleanSupplier condition, String what) {
        for (int i = 0; i < 5000 && !condition.getAsBoolean(); i++) {
            Loops.runOnce(loop);
            if (!condition.getAsBoolean()) {
                Loops.pause(1);
            }
        }
        assertTrue(condition.getAsBoolean(), "timed out waiting until " + what);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-01 readLine returns each line with its newline, then the unterminated rest, then empty at EOF")
    void readLine(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, StreamReader.DEFAULT_LIMIT);
        feed("one\ntw");
        assertEquals("one\n", text(reader.readLine()));
        AsyncFuture<byte[]> second = reader.readLine();
        Loops.runOnce(loop);
        assertFalse(second.done(), "waits for the rest of the line");
        feed("o\nthree");
        assertEquals("two\n", text(second));
        feedEof();
        assertEquals("three", text(reader.readLine()));
        assertEquals("", text(reader.readLine()));
        assertTrue(reader.atEof());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-02 readExactly returns n bytes; EOF first fails with IncompleteReadException carrying the partial bytes and n")
    void readExactly(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, StreamReader.DEFAULT_LIMIT);
        feed("abcdefg");
        assertEquals("abc", text(reader.readExactly(3)));
        assertEquals("", text(reader.readExactly(0)));
        feedEof();
        Throwable e = failure(reader.readExactly(10));
        IncompleteReadException incomplete = assertInstanceOf(IncompleteReadException.class, e);
        assertArrayEquals("defg".getBytes(StandardCharsets.US_ASCII), incomplete.getPartial());
        assertEquals(10, incomplete.getExpected());
        assertEquals("4 bytes read on a total of 10 expected bytes", incomplete.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> reader.readExactly(-1));
        assertTrue(negative.getMessage().contains("n=-1"), negative.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-03 readUntil finds a separator; beyond the limit it fails with LimitOverrunException and keeps the data")
    void readUntil(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, 8);
        feed("ab||cdefghijklmn||");
        assertEquals("ab||", text(reader.readUntil("||".getBytes(StandardCharsets.US_ASCII))));
        LimitOverrunException overrun = assertInstanceOf(LimitOverrunException.class,
                failure(reader.readUntil("||".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("Separator is found, but chunk is longer than limit", overrun.getMessage());
        assertEquals(12, overrun.getConsumed());
        assertEquals("cdefghijklmn||", text(reader.readExactly(14)), "the data stays buffered");
        assertThrows(IllegalArgumentException.class, () -> reader.readUntil(new byte[0]));
        feed("0123456789abc");
        LimitOverrunException notFound = assertInstanceOf(LimitOverrunException.class,
                failure(reader.readUntil(new byte[] {'!'})));
        assertEquals("Separator is not found, and chunk exceed the limit", notFound.getMessage());
        IllegalArgumentException line = assertInstanceOf(IllegalArgumentException.class, failure(reader.readLine()));
        assertEquals("Separator is not found, and chunk exceed the limit", line.getMessage());
        assertEquals(0, reader.bufferedSize(), "readLine discards what overran");
        feedEof();
        IncompleteReadException eof = assertInstanceOf(IncompleteReadException.class,
                failure(reader.readUntil(new byte[] {'!'})));
        assertEquals("0 bytes read on a total of None expected bytes", eof.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-04 read(n) returns what is there up to n; read(-1) reads to EOF; read(0) is empty")
    void read(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, StreamReader.DEFAULT_LIMIT);
        feed("hello world");
        assertEquals("hello", text(reader.read(5)));
        assertEquals("", text(reader.read(0)));
        assertEquals(" world", text(reader.read(100)));
        AsyncFuture<byte[]> rest = reader.read(-1);
        feed("more ");
        Loops.runOnce(loop);
        Loops.runOnce(loop);
        assertFalse(rest.done(), "read(-1) waits for EOF");
        feed("and more");
        feedEof();
        assertEquals("more and more", text(rest));
        assertEquals("", text(reader.read(10)), "at EOF");
        assertThrows(IllegalArgumentException.class, () -> new StreamReader(loop, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-04 read(-1) returns the buffered bytes then what arrives; cancelled, it leaves them all buffered in order")
    void readToEofKeepsOrder(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, StreamReader.DEFAULT_LIMIT);
        feed("first ");
        until(() -> reader.bufferedSize() == 6, "the first chunk is buffered");
        AsyncFuture<byte[]> cancelled = reader.read(-1);
        feed("second ");
        until(() -> reader.bufferedSize() == 13, "the second chunk is received, counted as buffered");
        assertFalse(cancelled.done(), "read(-1) waits for EOF");
        cancelled.cancel();
        feed("third ");
        until(() -> reader.bufferedSize() == 19, "the third chunk is received");
        assertEquals("first second third ", text(reader.read(100)), "nothing lost, nothing reordered");

        feed("a");
        until(() -> reader.bufferedSize() == 1, "a byte is buffered");
        AsyncFuture<byte[]> all = reader.read(-1);
        for (String chunk : new String[] {"b", "cd", "efg"}) {
            feed(chunk);
            Loops.runOnce(loop);
        }
        feedEof();
        assertEquals("abcdefg", text(all));
        assertEquals(0, reader.bufferedSize());
        assertTrue(reader.atEof());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-05 above twice the limit the reader pauses its transport; STR-06 reads below the limit resume it")
    void limitPausesTransport(Supplier<EventLoop> factory) {
        int limit = 4096;
        StreamReader reader = reader(factory, limit);
        StreamWriter out = writer();
        byte[] line = new byte[1000];
        Arrays.fill(line, (byte) 'x');
        line[999] = '\n';
        for (int i = 0; i < 200; i++) {
            out.write(line);
        }
        until(() -> reader.bufferedSize() > 2 * limit, "the reader holds more than 2 x limit");
        for (int i = 0; i < 20; i++) {
            Loops.runOnce(loop);
        }
        assertTrue(reader.bufferedSize() <= 2 * limit + 64 * 1024, "then stopped: " + reader.bufferedSize());
        assertTrue(reader.toString().contains("paused"), reader.toString());
        int before = reader.bufferedSize();
        for (int i = 0; i < 5; i++) {
            Loops.runOnce(loop);
        }
        assertEquals(before, reader.bufferedSize(), "nothing more is read while paused");
        while (reader.bufferedSize() > limit) {
            loop.runUntilComplete(reader.readLine());
        }
        assertFalse(reader.toString().contains("paused"), reader.toString());
        out.close();
        int lines = 0;
        while (!reader.atEof()) {
            byte[] got = loop.runUntilComplete(reader.readLine());
            if (got.length > 0) {
                lines++;
            }
        }
        assertTrue(lines > 0);
        loop.runUntilComplete(out.waitClosed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-06 a read that needs more than the paused reader holds resumes the transport itself")
    void readBeyondLimitResumes(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, 1024);
        StreamWriter out = writer();
        byte[] data = PipeFixtures.pattern(300_000);
        out.write(data);
        until(() -> reader.toString().contains("paused"), "the reader paused its transport");
        assertArrayEquals(data, loop.runUntilComplete(reader.readExactly(data.length)));
        out.close();
        loop.runUntilComplete(out.waitClosed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-07 a second read while one waits for data fails with IllegalStateException")
    void oneWaitingRead(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, StreamReader.DEFAULT_LIMIT);
        AsyncFuture<byte[]> first = reader.readLine();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, failure(reader.read(1)));
        assertEquals("read() called while another read is already waiting for incoming data", e.getMessage());
        feed("ok\n");
        assertEquals("ok\n", text(first));
        AsyncFuture<byte[]> cancelled = reader.readLine();
        cancelled.cancel();
        feed("next\n");
        assertEquals("next\n", text(reader.readLine()), "a cancelled read frees its place; no data is lost");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-08 drain waits while the transport is paused and completes once it resumes")
    void drainWaitsWhilePaused(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, StreamReader.DEFAULT_LIMIT);
        StreamWriter out = writer();
        out.transport().setWriteBufferLimits(8192, 1024);
        assertTrue(loop.runUntilComplete(out.drain()) == null);
        byte[] big = new byte[512 * 1024];
        out.write(big);
        AsyncFuture<Void> drained = out.drain();
        for (int i = 0; i < 20; i++) {
            Loops.runOnce(loop);
        }
        assertFalse(drained.done(), "the reader is paused at 2 x limit, the writer buffer stays high");
        AsyncFuture<byte[]> all = reader.readExactly(big.length);
        loop.runUntilComplete(drained);
        assertEquals(big.length, loop.runUntilComplete(all).length);
        out.close();
        loop.runUntilComplete(out.waitClosed());
        assertTrue(out.isClosing());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("STR-09 a connection lost with an error fails the reads; drain after loss fails with 'Connection lost'")
    void lostWithError(Supplier<EventLoop> factory) {
        StreamReader reader = reader(factory, StreamReader.DEFAULT_LIMIT);
        StreamWriter out = writer();
        IOException boom = new IOException("boom");
        reader.setException(boom);
        assertSame(boom, failure(reader.readLine()));
        out.transport().abort();
        loop.runUntilComplete(out.waitClosed());
        assertEquals("Connection lost", failure(out.drain()).getMessage());
    }
}
