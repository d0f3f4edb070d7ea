package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.IncompleteReadException;
import org.asyncio4j.LimitOverrunException;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.StreamReader;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;

/**
 * Conformance properties for a loop's transports, protocols and streams (the TRN, SUB and STR rules of the
 * catalogue) over real pipes and real child processes: callback order, end of file, close and abort, write
 * flow control, what reaches the exception handler, a child that exits before or after its pipes close, large
 * outputs on both pipes at once, process groups, signals, environments and redirects, and the stream reads and
 * {@code drain()} with the reader's limit pausing and resuming the transport.
 *
 * <p>Extend it in a test class and return a new, open, not running loop from {@link #createEventLoop()} on
 * every call. The kit runs each loop in the calling thread. Pipes are made with {@code pipe(2)} (jnr-posix) and
 * handed to {@code connectReadPipe}/{@code connectWritePipe}; the kit keeps the other end and drives it from a
 * thread of its own. Children are started through the loop's {@code subprocessExec} (with {@code sh},
 * {@code cat}, {@code head}, {@code tee}, {@code env} and {@code yes} from {@code PATH}); {@link #watchChildren(EventLoop)} makes their
 * exits reach the loop.
 */
public abstract class TransportConformance extends ConformanceBase {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    /** The most a correct reader may hold beyond twice its limit: one read of the transport (STR-05). */
    private static final int ONE_READ_SLACK = MIB;
    private static final byte[] CRLF = {'\r', '\n'};

    /** A new, open, not running loop; called once or more per try. */
    protected abstract EventLoop createEventLoop();

    /** False if the loop has no pipe transports (connectReadPipe throws UnsupportedOperationException). Default true. */
    protected boolean supportsPipeTransports() {
        return true;
    }

    /** False if the loop has no subprocess transports (subprocessExec throws UnsupportedOperationException). Default true. */
    protected boolean supportsSubprocessTransports() {
        return true;
    }

    /**
     * Makes the exits of the children that {@code loop.subprocessExec} starts reach {@code loop}, before the
     * kit starts any, and returns what undoes it (closed when the try ends). By default the process-wide
     * policy's watcher ({@code EventLoops.getChildWatcher()}) is attached to {@code loop}, and detached after.
     */
    protected AutoCloseable watchChildren(EventLoop loop) {
        ChildWatcher watcher = EventLoops.getChildWatcher();
        watcher.attachLoop(loop);
        return () -> watcher.attachLoop(null);
    }

    @Override
    protected final boolean declares(Capability capability) {
        return switch (capability) {
            case PIPE_TRANSPORTS -> supportsPipeTransports();
            case SUBPROCESS_TRANSPORTS -> supportsSubprocessTransports();
            default -> false;
        };
    }

    // ----- read pipes ------------------------------------------------------------------------------

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule({"TRN-01", "TRN-02", "TRN-03", "TRN-04"})
    void aReadPipeDeliversEveryByteInOrderThenEndOfFileThenItsLoss(@ForAll("chunkSizes") List<Integer> chunks, @ForAll int seed,
                                                                 @ForAll @IntRange(min = 0, max = 2) int closesAfterLoss) {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        List<byte[]> data = Bytes.chunks(seed, chunks);
        PipeRecorder r = new PipeRecorder();
        ReadTransport t = connectRead(loop, pipe.giveReadEnd(), r);
        pipe.writeInBackground(data);
        LoopRuns.until(loop, r::lost, "TRN-03", () -> "connectionLost after the writer wrote " + Bytes.total(data)
                + " bytes and closed its end; callbacks so far " + r.callbacks());
        for (int i = 0; i < closesAfterLoss; i++) {
            t.close();
        }
        LoopRuns.iterations(loop, 5);
        pipe.awaitPeer();
        checkMadeFirst("TRN-01", r.events);
        checkLostOnceAndLast("TRN-04", r.callbacks(), "read pipe closed " + closesAfterLoss + " more times after its loss");
        Bytes.checkSame("TRN-02", Bytes.concat(data), r.bytes(), "bytes received by the read pipe");
        List<String> expected = new ArrayList<>(List.of("made"));
        if (Bytes.total(data) > 0) {
            expected.add("data");
        }
        expected.addAll(List.of("eof", "lost"));
        Check.equal("TRN-03", expected, r.callbacks(), "callbacks of a read pipe whose writer wrote and closed its end");
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-05")
    void aClosedReadTransportDeliversNothingMore(@ForAll @IntRange(min = 1, max = 16 * KIB) int before,
                                                 @ForAll @IntRange(min = 1, max = 16 * KIB) int waiting,
                                                 @ForAll @IntRange(min = 0, max = 3) int iterationsBefore,
                                                 @ForAll boolean writerClosesToo) {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        PipeRecorder r = new PipeRecorder();
        ReadTransport t = connectRead(loop, pipe.giveReadEnd(), r);
        pipe.write(Bytes.pattern(1, before));
        LoopRuns.iterations(loop, iterationsBefore);
        pipe.write(Bytes.pattern(2, waiting)); // waiting in the pipe when the transport is closed
        if (writerClosesToo) {
            pipe.closeWriteEnd();
        }
        int seen = r.events.size();
        t.close();
        LoopRuns.until(loop, r::lost, "TRN-05", () -> "connectionLost after close(); callbacks " + r.callbacks());
        LoopRuns.window(loop, 5); // what a broken transport still delivers would show here
        // only data and end of file are this rule's: connectionLost's count and place are TRN-04's
        List<String> delivered = r.events.subList(seen, r.events.size()).stream()
                .filter(e -> e.startsWith("data") || e.startsWith("eof")).toList();
        Check.equal("TRN-05", List.of(), delivered, "dataReceived/eofReceived after close() of a read transport with "
                + waiting + " bytes waiting in the pipe" + (writerClosesToo ? " and the writer closed" : ""));
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule({"TRN-12", "TRN-02"})
    void pauseReadingHoldsDataBackUntilResumeReading(@ForAll @IntRange(min = 1, max = 32 * KIB) int size, @ForAll int seed,
                                                     @ForAll boolean twice) {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        PipeRecorder r = new PipeRecorder();
        ReadTransport t = connectRead(loop, pipe.giveReadEnd(), r);
        Check.that("TRN-12", t.isReading(), () -> "isReading() of a new read transport is false");
        t.pauseReading();
        if (twice) {
            t.pauseReading();
        }
        Check.that("TRN-12", !t.isReading(), () -> "isReading() after pauseReading() is true");
        byte[] data = Bytes.pattern(seed, size);
        pipe.write(data);
        LoopRuns.window(loop, 10);
        Check.equal("TRN-12", List.of("made"), r.callbacks(), "callbacks while reading is paused and " + size + " bytes wait in the pipe");
        t.resumeReading();
        if (twice) {
            t.resumeReading();
        }
        Check.that("TRN-12", t.isReading(), () -> "isReading() after resumeReading() is false");
        pipe.closeWriteEnd();
        LoopRuns.until(loop, r::lost, "TRN-12", () -> "connectionLost after resumeReading() and the writer's close; callbacks " + r.callbacks());
        Bytes.checkSame("TRN-02", data, r.bytes(), "bytes received after resumeReading()");
    }

    // ----- write pipes -----------------------------------------------------------------------------

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule({"TRN-02", "TRN-08"})
    void aWritePipeFlushesEverythingBeforeItsLoss(@ForAll("chunkSizes") List<Integer> chunks, @ForAll int seed,
                                                  @ForAll boolean viaWriteEof) {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        List<byte[]> data = Bytes.chunks(seed, chunks);
        PipeRecorder r = new PipeRecorder();
        WriteTransport t = connectWrite(loop, pipe.giveWriteEnd(), r);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pipe.readInBackground(got);
        loop.callSoon(() -> {
            data.forEach(t::write);
            if (viaWriteEof) {
                t.writeEof();
            } else {
                t.close();
            }
        });
        String how = viaWriteEof ? "writeEof()" : "close()";
        LoopRuns.until(loop, r::lost, "TRN-08", () -> "connectionLost after " + how + "; callbacks " + r.callbacks());
        pipe.awaitPeer();
        byte[] expected = Bytes.concat(data);
        byte[] received;
        synchronized (got) {
            received = got.toByteArray();
        }
        Check.that("TRN-08", !Bytes.isShortPrefix(received, expected), () -> how + " lost the end of what was written: the reader got "
                + received.length + " of " + expected.length + " bytes");
        Bytes.checkSame("TRN-02", expected, received, "bytes the reader got from the write pipe");
        List<String> ending = new ArrayList<>(r.callbacks());
        ending.removeAll(List.of("made", "pause", "resume"));
        Check.equal("TRN-08", List.of("lost"), ending, "callbacks besides connectionMade and flow control of a write pipe ended by " + how);
        Check.that("TRN-08", r.lostWith == null, () -> "connectionLost after " + how + " carried " + r.lostWith);
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-06")
    void writingPausesAboveTheHighWaterMarkAndResumesAtTheLow(@ForAll @IntRange(min = KIB, max = 128 * KIB) int high,
                                                             @ForAll @IntRange(min = 0, max = 100) int lowPercent,
                                                             @ForAll("bigChunkSizes") List<Integer> chunks, @ForAll int seed) {
        int low = (int) ((long) high * lowPercent / 100);
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        List<byte[]> data = Bytes.chunks(seed, chunks);
        PipeRecorder r = new PipeRecorder();
        WriteTransport t = connectWrite(loop, pipe.giveWriteEnd(), r);
        String[] unpaused = {null};
        loop.callSoon(() -> {
            t.setWriteBufferLimits(high, low);
            for (byte[] chunk : data) {
                t.write(chunk);
                int size = t.getWriteBufferSize();
                if (size > high && !r.writingPaused() && unpaused[0] == null) {
                    unpaused[0] = "the write buffer holds " + size + " bytes after write(), above the high-water mark " + high
                            + ", and pauseWriting() was not called";
                }
            }
        });
        LoopRuns.iterations(loop, 1);
        Check.that("TRN-06", unpaused[0] == null, () -> unpaused[0]);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pipe.readInBackground(got);
        LoopRuns.until(loop, () -> t.getWriteBufferSize() == 0, "TRN-06", () -> "the write buffer to drain while the peer reads");
        LoopRuns.iterations(loop, 3);
        List<String> flow = new ArrayList<>();
        for (String e : r.callbacks()) {
            if (e.equals("pause") || e.equals("resume")) {
                flow.add(e);
            }
        }
        List<String> alternating = new ArrayList<>();
        for (int i = 0; i < flow.size(); i++) {
            alternating.add(i % 2 == 0 ? "pause" : "resume");
        }
        Check.equal("TRN-06", alternating, flow, "pauseWriting/resumeWriting (high " + high + ", low " + low + ")");
        Check.that("TRN-06", !r.writingPaused(), () -> "the write buffer drained but resumeWriting() was not called (high "
                + high + ", low " + low + ")");
        for (int size : r.bufferAtPause) {
            Check.that("TRN-06", size > high, () -> "pauseWriting() with " + size + " bytes buffered, not above the high-water mark " + high);
        }
        for (int size : r.bufferAtResume) {
            Check.that("TRN-06", size <= low, () -> "resumeWriting() with " + size + " bytes buffered, above the low-water mark " + low);
        }
        t.close();
        LoopRuns.until(loop, r::lost, "TRN-08", () -> "connectionLost after close(); callbacks " + r.callbacks());
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-07")
    void abortDropsTheWriteBufferAtOnce(@ForAll @IntRange(min = 128 * KIB, max = MIB) int size, @ForAll int seed) {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        PipeRecorder r = new PipeRecorder();
        WriteTransport t = connectWrite(loop, pipe.giveWriteEnd(), r);
        byte[] data = Bytes.pattern(seed, size);
        int[] buffered = new int[2];
        loop.callSoon(() -> {
            t.write(data);
            buffered[0] = t.getWriteBufferSize();
            t.abort();
            buffered[1] = t.getWriteBufferSize();
            t.write(Bytes.pattern(seed + 1, 100)); // dropped
        });
        LoopRuns.iterations(loop, 1);
        Assume.that(buffered[0] > 0); // the pipe took everything at once: nothing for abort() to drop
        Check.equal("TRN-07", 0, buffered[1], "getWriteBufferSize() right after abort() with " + buffered[0] + " bytes buffered");
        LoopRuns.until(loop, r::lost, "TRN-07", () -> "connectionLost after abort(); callbacks " + r.callbacks());
        Check.that("TRN-07", r.lostWith == null, () -> "connectionLost after abort() carried " + r.lostWith);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pipe.readInBackground(got);
        pipe.awaitPeer();
        byte[] received = got.toByteArray();
        // what was already handed to the OS (a proactor's write in flight) may still arrive; the write after abort() may not
        Check.that("TRN-07", received.length <= size, () -> "the reader got " + received.length + " bytes, more than the " + size
                + " written before abort(): a write after abort() was not dropped");
        Bytes.checkSame("TRN-02", Arrays.copyOf(data, received.length), received, "bytes the reader got before the abort");
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-10")
    void aWriteThatFailsWithEpipeEndsTheTransportWithTheError(@ForAll @IntRange(min = 1, max = 64 * KIB) int size, @ForAll int seed,
                                                             @ForAll @IntRange(min = 0, max = 3) int writesAfter) {
        EventLoop loop = track(createEventLoop());
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        OsPipe pipe = track(new OsPipe());
        PipeRecorder r = new PipeRecorder();
        WriteTransport t = connectWrite(loop, pipe.giveWriteEnd(), r);
        pipe.closeReadEnd();
        t.write(Bytes.pattern(seed, size)); // before the loop polls again: the write itself meets EPIPE
        LoopRuns.until(loop, r::lost, "TRN-10", () -> "connectionLost after a write to a pipe whose reader is gone; callbacks " + r.callbacks());
        for (int i = 0; i < writesAfter; i++) {
            t.write(Bytes.pattern(seed + i, 10)); // dropped, without an exception
        }
        LoopRuns.iterations(loop, 3);
        Check.that("TRN-10", r.lostWith instanceof IOException, () -> "connectionLost after EPIPE carried " + r.lostWith
                + ", not the IOException of the failed write");
        Check.equal("TRN-10", List.of(), reported, "what reached the exception handler for EPIPE");
        Check.equal("TRN-10", 1, r.losses, "calls of connectionLost after EPIPE and " + writesAfter + " writes more");
    }

    @Example
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-15")
    void aClosedLoopRefusesPipes() {
        EventLoop loop = track(createEventLoop());
        loop.close();
        OsPipe pipe = track(new OsPipe());
        Check.throwsWith("TRN-15", IllegalStateException.class, "Event loop is closed",
                () -> loop.connectReadPipe(PipeRecorder::new, pipe.readEnd()), "connectReadPipe on a closed loop");
        Check.throwsWith("TRN-15", IllegalStateException.class, "Event loop is closed",
                () -> loop.connectWritePipe(PipeRecorder::new, pipe.writeEnd()), "connectWritePipe on a closed loop");
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-09")
    void aWritePipeWhoseReaderClosesWhileIdleIsLostCleanly(@ForAll boolean wroteFirst) {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        PipeRecorder r = new PipeRecorder();
        WriteTransport t = connectWrite(loop, pipe.giveWriteEnd(), r);
        int written = wroteFirst ? 16 * KIB : 0;
        t.write(Bytes.pattern(written, written)); // the empty pipe takes it all: nothing stays buffered
        LoopRuns.until(loop, () -> t.getWriteBufferSize() == 0, "TRN-09", () -> written + " bytes to leave the write buffer for an empty pipe");
        pipe.closeReadEnd();
        LoopRuns.until(loop, r::lost, "TRN-09", () -> "connectionLost after the reader closed its end while nothing was buffered; callbacks "
                + r.callbacks());
        Check.that("TRN-09", r.lostWith == null, () -> "connectionLost after the reader's close with nothing buffered carried " + r.lostWith);
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-11")
    void anExceptionFromDataReceivedIsReportedAndReadingGoesOn(@ForAll("chunkSizes") List<Integer> chunks, @ForAll int seed) {
        EventLoop loop = track(createEventLoop());
        List<Map<String, Object>> reported = reportedTo(loop);
        OsPipe pipe = track(new OsPipe());
        List<byte[]> data = new ArrayList<>(Bytes.chunks(seed, chunks));
        data.add(0, Bytes.pattern(seed, 1)); // at least one dataReceived
        PipeRecorder r = new PipeRecorder();
        r.throwOnce("data");
        connectRead(loop, pipe.giveReadEnd(), r);
        pipe.writeInBackground(data);
        LoopRuns.until(loop, r::lost, "TRN-11", () -> "connectionLost after the first dataReceived threw and the writer closed its end;"
                + " callbacks " + r.callbacks());
        pipe.awaitPeer();
        // the callback order and the bytes are the rules this one rests on: they are checked first, and blamed
        List<String> calls = r.callbacks();
        checkMadeFirst("TRN-01", r.events);
        checkLostOnceAndLast("TRN-04", calls, "read pipe whose first dataReceived threw");
        Check.that("TRN-03", !calls.contains("eof") || calls.lastIndexOf("data") < calls.indexOf("eof"),
                () -> "dataReceived after eofReceived: " + calls);
        Check.equal("TRN-11", r.thrown, exceptionsIn(reported), "the exceptions that reached the exception handler");
        Check.that("TRN-11", calls.contains("eof"), () -> "the read pipe stopped reading after dataReceived threw: no eofReceived in " + calls);
        Bytes.checkSame("TRN-02", Bytes.concat(data), r.bytes(), "bytes received after the first dataReceived threw");
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-13")
    void smallWritesGoThroughAndTheWaterMarksDefaultAsCPythons(@ForAll @IntRange(min = 1, max = 16 * KIB) int small, @ForAll int seed,
                                                              @ForAll @IntRange(min = 4, max = 256 * KIB) int high) {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        PipeRecorder r = new PipeRecorder();
        WriteTransport t = connectWrite(loop, pipe.giveWriteEnd(), r);
        Check.equal("TRN-13", new WriteTransport.WriteBufferLimits(16 * KIB, 64 * KIB), t.getWriteBufferLimits(),
                "getWriteBufferLimits() of a new write pipe");
        t.write(Bytes.pattern(seed, small));
        // a selector loop writes it at once, a proactor once its write completes: either way without a reader
        LoopRuns.until(loop, () -> t.getWriteBufferSize() == 0, "TRN-13", () -> small + " bytes written to an empty pipe that"
                + " nobody reads to leave the write buffer");
        t.setWriteBufferLimits(high);
        Check.equal("TRN-13", new WriteTransport.WriteBufferLimits(high / 4, high), t.getWriteBufferLimits(),
                "getWriteBufferLimits() after setWriteBufferLimits(" + high + ")");
        t.setWriteBufferLimits(4 * MIB, 0);
        t.write(Bytes.pattern(seed + 1, 256 * KIB)); // more than the pipe takes, less than the high-water mark
        int buffered = t.getWriteBufferSize();
        Assume.that(buffered > 1); // the pipe took everything
        Check.equal("TRN-13", 0, r.pauses, "pauseWriting() calls with " + buffered + " bytes buffered below the high-water mark " + 4 * MIB);
        t.setWriteBufferLimits(buffered - 1, 0);
        int atOnce = r.pauses;
        LoopRuns.iterations(loop, 3);
        Check.that("TRN-06", r.pauses > 0, () -> "pauseWriting() never came with " + buffered + " bytes buffered above the high-water mark "
                + (buffered - 1));
        Check.equal("TRN-13", 1, atOnce, "pauseWriting() calls right after setWriteBufferLimits(" + (buffered - 1)
                + ", 0) left " + buffered + " bytes buffered above the high-water mark");
        t.abort(); // what abort() does is TRN-07's; the loop's close at the try's end closes what is left
        LoopRuns.iterations(loop, 3);
    }

    @Example
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-14")
    void badPipeArgumentsAreRefusedAndTheDescriptorStaysTheCallers() {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        Check.throwsWith("TRN-14", NullPointerException.class, "protocolFactory", () -> loop.connectReadPipe(null, pipe.readEnd()),
                "connectReadPipe(null, fd)");
        Check.throwsWith("TRN-14", NullPointerException.class, "protocolFactory", () -> loop.connectWritePipe(null, pipe.writeEnd()),
                "connectWritePipe(null, fd)");
        IllegalArgumentException negative = Check.throwsWith("TRN-14", IllegalArgumentException.class, null,
                () -> loop.connectReadPipe(PipeRecorder::new, -1), "connectReadPipe(factory, -1)");
        Check.that("TRN-14", String.valueOf(negative.getMessage()).contains("-1"), () -> "connectReadPipe(factory, -1) refused with \""
                + negative.getMessage() + "\", which does not name the descriptor");
        Check.that("TRN-14", OsPipe.isOpen(pipe.readEnd()) && OsPipe.isOpen(pipe.writeEnd()),
                () -> "a refused descriptor was closed: it stays the caller's");
        int closed;
        try (OsPipe other = new OsPipe()) {
            closed = other.readEnd();
        }
        int notOpen = closed;
        IllegalArgumentException notOpenRefused = Check.throwsWith("TRN-14", IllegalArgumentException.class, null,
                () -> loop.connectReadPipe(PipeRecorder::new, notOpen), "connectReadPipe of the closed descriptor " + notOpen);
        Check.that("TRN-14", String.valueOf(notOpenRefused.getMessage()).contains(String.valueOf(notOpen)),
                () -> "connectReadPipe of the closed descriptor " + notOpen + " refused with \"" + notOpenRefused.getMessage()
                        + "\", which does not name it");
        WriteTransport t = connectWrite(loop, pipe.giveWriteEnd(), new PipeRecorder());
        IllegalArgumentException limits = Check.throwsWith("TRN-14", IllegalArgumentException.class, null,
                () -> t.setWriteBufferLimits(10, 20), "setWriteBufferLimits(10, 20)");
        Check.that("TRN-14", String.valueOf(limits.getMessage()).contains("10") && limits.getMessage().contains("20"),
                () -> "setWriteBufferLimits(10, 20) refused with \"" + limits.getMessage() + "\", which does not name both marks");
        Check.throwsWith("TRN-14", NullPointerException.class, null, () -> t.write(null), "write(null) of a write pipe");
        t.abort();
        LoopRuns.iterations(loop, 3);
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-16")
    void exceptionsFromConnectionMadeAndLostAreReportedAndTheDescriptorIsClosed(@ForAll boolean readPipe) {
        EventLoop loop = track(createEventLoop());
        List<Map<String, Object>> reported = reportedTo(loop);
        OsPipe pipe = track(new OsPipe());
        PipeRecorder r = new PipeRecorder();
        r.throwOnce("made");
        r.throwOnce("lost");
        BaseTransport t = readPipe ? connectRead(loop, pipe.giveReadEnd(), r) : connectWrite(loop, pipe.giveWriteEnd(), r);
        t.close();
        LoopRuns.until(loop, r::lost, "TRN-16", () -> "connectionLost after close() of a " + (readPipe ? "read" : "write")
                + " pipe whose connectionMade threw; callbacks " + r.callbacks());
        LoopRuns.until(loop, readPipe ? pipe::readEndGone : pipe::writeEndGone, "TRN-16",
                () -> "the transport's descriptor to be closed after its connectionLost threw");
        Check.equal("TRN-16", r.thrown, exceptionsIn(reported), "the exceptions that reached the exception handler");
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-17")
    void anExceptionFromPauseOrResumeWritingIsReported(@ForAll boolean fromResume) {
        EventLoop loop = track(createEventLoop());
        List<Map<String, Object>> reported = reportedTo(loop);
        OsPipe pipe = track(new OsPipe());
        PipeRecorder r = new PipeRecorder();
        r.throwOnce(fromResume ? "resume" : "pause");
        WriteTransport t = connectWrite(loop, pipe.giveWriteEnd(), r);
        t.setWriteBufferLimits(16 * KIB, 4 * KIB);
        t.write(Bytes.pattern(17, 256 * KIB)); // more than the pipe and the high-water mark take
        Check.that("TRN-06", r.pauses == 1, () -> "pauseWriting() was not called with " + t.getWriteBufferSize()
                + " bytes buffered above the high-water mark " + 16 * KIB);
        if (fromResume) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            pipe.readInBackground(got);
            LoopRuns.until(loop, () -> r.resumes > 0, "TRN-06", () -> "resumeWriting() while the peer reads; callbacks " + r.callbacks());
        }
        String callback = fromResume ? "resumeWriting" : "pauseWriting";
        Check.equal("TRN-17", 1, reported.size(), "reports to the exception handler after " + callback + "() threw: " + reported);
        Map<String, Object> context = reported.get(0);
        Check.equal("TRN-17", "protocol." + callback + "() failed", context.get("message"), "the message of the report");
        Check.same("TRN-17", r.thrown.get(0), context.get("exception"), "the exception of the report");
        Check.that("TRN-17", context.get("transport") instanceof WriteTransport && context.get("protocol") instanceof BaseProtocol,
                () -> "the report does not carry the transport and the protocol: " + context);
        t.abort(); // what abort() does is TRN-07's; the loop's close at the try's end closes what is left
        LoopRuns.iterations(loop, 3);
    }

    @Example
    @Requires(Capability.NO_PIPE_TRANSPORTS)
    @Rule("TRN-18")
    void aLoopWithoutPipeTransportsRefusesThem() {
        EventLoop loop = track(createEventLoop());
        OsPipe pipe = track(new OsPipe());
        Check.throwsWith("TRN-18", UnsupportedOperationException.class, null, () -> loop.connectReadPipe(PipeRecorder::new, pipe.readEnd()),
                "connectReadPipe of a loop that declares no pipe transports");
        Check.throwsWith("TRN-18", UnsupportedOperationException.class, null, () -> loop.connectWritePipe(PipeRecorder::new, pipe.writeEnd()),
                "connectWritePipe of a loop that declares no pipe transports");
    }

    @Property
    @Requires(Capability.PIPE_TRANSPORTS)
    @Rule("TRN-19")
    void closingTheLoopClosesThePipesStillOpen(@ForAll @IntRange(min = 0, max = 256 * KIB) int unwritten, @ForAll int seed) {
        EventLoop loop = track(createEventLoop());
        OsPipe in = track(new OsPipe());
        OsPipe out = track(new OsPipe());
        PipeRecorder reading = new PipeRecorder();
        PipeRecorder writing = new PipeRecorder();
        connectRead(loop, in.giveReadEnd(), reading);
        WriteTransport t = connectWrite(loop, out.giveWriteEnd(), writing);
        t.write(Bytes.pattern(seed, unwritten)); // what the pipe does not take stays buffered
        LoopRuns.iterations(loop, 2);
        List<String> before = List.of(reading.callbacks().toString(), writing.callbacks().toString());
        loop.close();
        Check.that("TRN-19", in.readEndGone(), () -> "a read pipe's descriptor is still open after the loop's close()");
        Check.that("TRN-19", out.writeEndGone(), () -> "a write pipe's descriptor is still open after the loop's close()");
        Check.equal("TRN-19", before, List.of(reading.callbacks().toString(), writing.callbacks().toString()),
                "callbacks of the read and the write pipe, before and after the loop's close()");
    }

    // ----- subprocess transports --------------------------------------------------------------------

    /** When a child exits relative to the close of its output pipes. */
    enum ExitTiming {
        /** It writes, exits and so closes its pipes. */
        TOGETHER("printf %s \"$1\"; printf %s \"$2\" >&2; exit $3"),
        /** It exits while a grandchild holds its pipes; the grandchild ends once the kit closes stdin. */
        EXIT_FIRST("printf %s \"$1\"; printf %s \"$2\" >&2; exec 3<&0; (read x <&3; exit 0) & exit $3"),
        /** It closes its output pipes and exits once the kit closes stdin. */
        PIPES_FIRST("printf %s \"$1\"; printf %s \"$2\" >&2; exec 1>&- 2>&-; read x; exit $3");

        final String script;

        ExitTiming(String script) {
            this.script = script;
        }
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule({"SUB-01", "SUB-02", "SUB-03"})
    void subprocessCallbacksComeInTheirOrder(@ForAll ExitTiming timing, @ForAll("texts") String out, @ForAll("texts") String err,
                                             @ForAll @IntRange(min = 0, max = 5) int code) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        ChildRecorder r = new ChildRecorder();
        SubprocessTransport t = spawn(loop, r, List.of("sh", "-c", timing.script, "sh", out, err, String.valueOf(code)), pipes());
        switch (timing) {
            case TOGETHER:
                t.getPipeTransport(0).close();
                break;
            case EXIT_FIRST:
                LoopRuns.until(loop, () -> r.has("exited"), "SUB-03", () -> "processExited while a grandchild holds the child's pipes;"
                        + " callbacks " + r.callbacks());
                r.mark("release");
                t.getPipeTransport(0).close();
                break;
            case PIPES_FIRST:
                LoopRuns.until(loop, () -> r.has("pipe-lost:1") && r.has("pipe-lost:2"), "SUB-03",
                        () -> "pipeConnectionLost of stdout and stderr, which the child closed before it exits; callbacks " + r.callbacks());
                r.mark("release");
                t.getPipeTransport(0).close();
                break;
            default:
                throw new AssertionError(timing);
        }
        LoopRuns.until(loop, () -> r.has("lost"), "SUB-03", () -> "connectionLost after the exit and every pipe's close; callbacks " + r.callbacks());
        LoopRuns.iterations(loop, 5);
        checkMadeFirst("SUB-01", r.events);
        List<String> calls = r.callbacks();
        for (String once : List.of("exited", "pipe-lost:0", "pipe-lost:1", "pipe-lost:2")) {
            Check.equal("SUB-03", 1, r.count(once), "calls of " + once + " in " + calls);
        }
        int lost = calls.indexOf("lost");
        for (String before : List.of("exited", "pipe-lost:0", "pipe-lost:1", "pipe-lost:2")) {
            Check.that("SUB-03", calls.indexOf(before) < lost, () -> "connectionLost came before " + before + ": " + calls);
        }
        Check.equal("SUB-03", code, t.getReturnCode(), "getReturnCode() of a child that exited with " + code);
        Check.equal("SUB-02", out, r.out.toString(StandardCharsets.UTF_8), "the child's stdout, as pipeDataReceived(1, ...) carried it");
        Check.equal("SUB-02", err, r.err.toString(StandardCharsets.UTF_8), "the child's stderr, as pipeDataReceived(2, ...) carried it");
        Check.equal("SUB-02", List.of(), r.otherFds, "pipeDataReceived for fds other than 1 and 2");
        checkLostOnceAndLast("SUB-02", calls, timing + " child");
        Check.that("SUB-02", r.lostWith == null, () -> "connectionLost carried " + r.lostWith);
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("SUB-04")
    void closingTheTransportKillsARunningChild(@ForAll boolean afterOutput) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        ChildRecorder r = new ChildRecorder();
        // A child that outlives close() only if it is not killed: cat ends at stdin's close, then it exits with 7.
        SubprocessTransport t = spawn(loop, r, List.of("sh", "-c", "echo up; cat; exit 7"), pipes());
        if (afterOutput) {
            LoopRuns.until(loop, () -> r.has("data:1"), "SUB-04", () -> "the child's first line; callbacks " + r.callbacks());
        }
        t.close();
        LoopRuns.until(loop, () -> r.has("lost"), "SUB-04", () -> "connectionLost after close() of the transport; callbacks " + r.callbacks());
        Integer rc = t.getReturnCode();
        Check.that("SUB-04", rc != null && rc < 0, () -> "close() of a running child's transport did not kill it: return code " + rc);
        List<String> calls = r.callbacks();
        Check.that("SUB-04", calls.indexOf("exited") >= 0 && calls.indexOf("exited") < calls.indexOf("lost"),
                () -> "connectionLost did not follow the killed child's exit: " + calls);
    }

    @Property
    @RealChildren(minTries = 2)
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("SUB-05")
    void communicateCarriesLargeOutputsOnBothPipesAtOnce(@ForAll @IntRange(min = 2 * MIB, max = 6 * MIB) int size, @ForAll int seed) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        // tee copies stdin to stdout and stderr chunk by chunk: it stalls unless both are read at once
        Subprocess p = start(loop, List.of("tee", "/dev/stderr"), pipes());
        byte[] input = Bytes.pattern(seed, size);
        AsyncFuture<ProcessOutput> result = p.communicate(input);
        LoopRuns.until(loop, result::done, "SUB-05", () -> "communicate() of " + size + " bytes through tee to stdout and stderr");
        ProcessOutput output = result.result();
        Check.equal("SUB-05", 0, output.returnCode(), "tee's return code");
        Bytes.checkSame("SUB-05", input, output.stdout(), "stdout from communicate()");
        Bytes.checkSame("SUB-05", input, output.stderr(), "stderr from communicate()");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("SUB-06")
    void stdinDrainWaitsUntilTheBufferIsDownToTheLowWaterMark(@ForAll @IntRange(min = 512 * KIB, max = 2 * MIB) int size, @ForAll int seed) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("cat"), withStdin());
        byte[] data = Bytes.pattern(seed, size);
        p.stdin().write(data); // more than a pipe and the high-water mark take: writing pauses
        WriteTransport stdin = p.stdin().transport();
        int buffered = stdin.getWriteBufferSize();
        int low = stdin.getWriteBufferLimits().low();
        Assume.that(buffered > stdin.getWriteBufferLimits().high());
        AsyncFuture<Void> drained = p.stdin().drain();
        Check.that("SUB-06", !drained.done(), () -> "drain() completed at once with " + buffered + " bytes buffered, above the high-water mark "
                + stdin.getWriteBufferLimits().high());
        int[] atDrain = {-1};
        drained.addDoneCallback(d -> {
            atDrain[0] = stdin.getWriteBufferSize();
            p.stdin().close();
        });
        AsyncFuture<byte[]> echoed = p.stdout().read(-1);
        LoopRuns.until(loop, echoed::done, "SUB-06", () -> "cat to echo " + size + " bytes written to its stdin");
        Check.that("SUB-06", drained.done() && drained.exception() == null, () -> "drain() after everything was written: " + drained);
        Check.that("SUB-06", atDrain[0] <= low, () -> "drain() completed with " + atDrain[0] + " bytes buffered, above the low-water mark " + low);
        Bytes.checkSame("SUB-06", data, echoed.result(), "what cat echoed of its stdin");
        await(loop, p.waitFor(), "SUB-06", "the child's exit");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("SUB-07")
    void waitForGivesTheReturnCodeAndLeavesTheOutputUnread(@ForAll @IntRange(min = 0, max = 255) int code, @ForAll("texts") String out) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("sh", "-c", "printf %s \"$1\"; exit $2", "sh", out, String.valueOf(code)), output());
        Integer rc = await(loop, p.waitFor(), "SUB-07", "waitFor()");
        Check.equal("SUB-07", code, rc, "waitFor() of a child that exited with " + code);
        byte[] unread = await(loop, p.stdout().read(-1), "SUB-07", "read(-1) of stdout after waitFor()");
        Check.equal("SUB-07", out, new String(unread, StandardCharsets.UTF_8), "stdout, read after waitFor()");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("SUB-08")
    void aGroupLeadersSignalReachesItsWholeGroup(@ForAll boolean newSession, @ForAll boolean kill) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess alone = start(loop, List.of("cat"), withStdin());
        IllegalStateException refused = Check.throwsWith("SUB-08", IllegalStateException.class, null, () -> alone.signalGroup(15),
                "signalGroup of a child in this process's group");
        Check.that("SUB-08", String.valueOf(refused.getMessage()).contains("processGroup") && refused.getMessage().contains("startNewSession"),
                () -> "signalGroup of a child in this process's group refused with \"" + refused.getMessage()
                        + "\", which does not name the options that allow it");
        alone.stdin().close();
        SubprocessOptions.Builder leader = SubprocessOptions.builder().stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.DEVNULL);
        SubprocessOptions options = (newSession ? leader.startNewSession(true) : leader.processGroup(0)).build();
        // a grandchild in the group holds stdout (and stdin, to end when the kit lets go) after the child dies
        Subprocess p = start(loop, List.of("sh", "-c", "exec 3<&0; (read x <&3) & echo up; wait"), options);
        await(loop, p.stdout().readLine(), "SUB-08", "the group leader's first line");
        if (kill) {
            p.killGroup();
        } else {
            p.signalGroup(15);
        }
        int signum = kill ? 9 : 15;
        String how = kill ? "killGroup()" : "signalGroup(15)";
        await(loop, p.waitFor(), "SUB-08", "the group leader's exit after " + how);
        Check.equal("SUB-08", -signum, p.returnCode(), "the return code of a group leader after " + how);
        byte[] rest = await(loop, p.stdout().read(-1), "SUB-08", "end of stdout, which only the grandchild's death releases, after " + how);
        Check.equal("SUB-08", 0, rest.length, "bytes on stdout after " + how);
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("SUB-09")
    void signalsReachARunningChildAndAreIgnoredAfterItsExit(@ForAll("signals") int signum, @ForAll boolean viaTransport) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("cat"), withStdin());
        if (viaTransport) {
            p.transport().sendSignal(signum);
        } else {
            p.sendSignal(signum);
        }
        await(loop, p.waitFor(), "SUB-09", "the exit of cat after signal " + signum);
        Check.equal("SUB-09", -signum, p.returnCode(), "the return code of cat killed by signal " + signum);
        for (int again : List.of(signum, 9, 15)) {
            Check.that("SUB-09", nothingThrown(() -> p.sendSignal(again)), () -> "sendSignal(" + again + ") after the exit threw");
            Check.that("SUB-09", nothingThrown(() -> p.transport().sendSignal(again)),
                    () -> "the transport's sendSignal(" + again + ") after the exit threw");
        }
        Check.that("SUB-09", nothingThrown(p::kill) && nothingThrown(p::terminate), () -> "kill() or terminate() after the exit threw");
        Check.equal("SUB-09", -signum, p.returnCode(), "the return code after more signals to the exited child");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("SUB-10")
    void theChildGetsItsEnvironmentAndIsLookedUpOnItsPath(@ForAll("texts") String value) throws IOException {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        SubprocessOptions.Builder builder = SubprocessOptions.builder().stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).stderr(Redirect.DEVNULL);
        String removed = System.getenv().keySet().stream().filter(k -> !k.equals("PATH")).sorted().findFirst().orElse(null);
        builder.environment().put("ASYNCIO4J_KIT_VALUE", value);
        if (removed != null) {
            builder.environment().remove(removed);
        }
        Subprocess env = start(loop, List.of("env"), builder.build(), "SUB-10");
        String printed = new String(await(loop, env.stdout().read(-1), "SUB-10", "the output of env"), StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(printed.split("\n"));
        Check.that("SUB-10", lines.contains("ASYNCIO4J_KIT_VALUE=" + value), () -> "the child's environment lacks the variable put in"
                + " environment(): ASYNCIO4J_KIT_VALUE=" + value);
        Check.that("SUB-10", removed == null || lines.stream().noneMatch(l -> l.startsWith(removed + "=")),
                () -> "the child's environment still has " + removed + ", removed from environment()");
        await(loop, env.waitFor(), "SUB-10", "the exit of env");
        Path bin = tempDirectory();
        Path probe = bin.resolve("asyncio4j-kit-probe");
        Files.writeString(probe, "#!/bin/sh\necho found\n");
        probe.toFile().setExecutable(true);
        SubprocessOptions onChildPath = SubprocessOptions.builder().stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).stderr(Redirect.DEVNULL)
                .env(Map.of("PATH", bin.toString())).build();
        Subprocess found = start(loop, List.of("asyncio4j-kit-probe"), onChildPath, "SUB-10");
        byte[] out = await(loop, found.stdout().read(-1), "SUB-10", "the output of a program found on the child's PATH");
        Check.equal("SUB-10", "found\n", new String(out, StandardCharsets.UTF_8), "the output of a program found on the child's PATH");
        await(loop, found.waitFor(), "SUB-10", "the exit of a program found on the child's PATH");
        Path empty = tempDirectory();
        SubprocessOptions nowhere = SubprocessOptions.builder().stdin(Redirect.DEVNULL).stdout(Redirect.DEVNULL).stderr(Redirect.DEVNULL)
                .env(Map.of("PATH", empty.toString())).build();
        AsyncFuture<Subprocess> missing = loop.subprocessExec(List.of("asyncio4j-kit-probe"), nowhere);
        LoopRuns.until(loop, missing::done, "SUB-10", () -> "the subprocessExec future of a program not on the child's PATH");
        if (missing.exception() == null && !missing.cancelled()) {
            Subprocess started = missing.result();
            track(() -> reap(loop, started::returnCode, started::kill));
        }
        Throwable e = missing.exception();
        Check.that("SUB-10", e instanceof FileNotFoundException && e.getMessage() != null && e.getMessage().contains("asyncio4j-kit-probe")
                && e.getMessage().contains(empty.toString()), () -> "subprocessExec of a program not on the child's PATH " + empty
                + ": expected FileNotFoundException naming the program and the PATH, got " + (e == null ? "a process" : e));
    }

    /** Where a redirect sends a child's stream, and how the kit sees what arrived. */
    enum RedirectCase { TO_FILE, APPEND_TO_FILE, FROM_FILE, TO_DESCRIPTOR, STDERR_TO_STDOUT, DEVNULL }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("SUB-11")
    void redirectsSendTheStreamsWhereTheySay(@ForAll RedirectCase redirect, @ForAll("texts") String out, @ForAll("texts") String err)
            throws IOException {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        List<String> printBoth = List.of("sh", "-c", "printf %s \"$1\"; printf %s \"$2\" >&2", "sh", out, err);
        SubprocessOptions.Builder b = SubprocessOptions.builder().stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).stderr(Redirect.DEVNULL);
        String old = "what the file held before, longer than what the child writes\n";
        Path file = tempDirectory().resolve("redirected");
        Files.writeString(file, redirect == RedirectCase.FROM_FILE ? out : old);
        switch (redirect) {
            case TO_FILE, APPEND_TO_FILE -> {
                b.stdout(redirect == RedirectCase.TO_FILE ? Redirect.toFile(file) : Redirect.appendTo(file));
                Subprocess p = start(loop, printBoth, b.build());
                await(loop, p.waitFor(), "SUB-11", "the exit of a child whose stdout goes to a file");
                String expected = (redirect == RedirectCase.TO_FILE ? "" : old) + out;
                Check.equal("SUB-11", expected, Files.readString(file), "the file after a child wrote to it through "
                        + (redirect == RedirectCase.TO_FILE ? "Redirect.toFile" : "Redirect.appendTo"));
            }
            case FROM_FILE -> {
                Subprocess p = start(loop, List.of("cat"), b.stdin(Redirect.fromFile(file)).build());
                byte[] echoed = await(loop, p.stdout().read(-1), "SUB-11", "what cat read from a file redirected to its stdin");
                Check.equal("SUB-11", out, new String(echoed, StandardCharsets.UTF_8), "what cat read from a file redirected to its stdin");
                await(loop, p.waitFor(), "SUB-11", "the exit of cat");
            }
            case TO_DESCRIPTOR -> {
                OsPipe pipe = track(new OsPipe());
                Subprocess p = start(loop, printBoth, b.stdout(Redirect.fd(pipe.writeEnd())).build());
                await(loop, p.waitFor(), "SUB-11", "the exit of a child whose stdout goes to the kit's descriptor");
                Check.that("SUB-11", OsPipe.isOpen(pipe.writeEnd()), () -> "the descriptor the child's stdout went to was closed: it stays the caller's");
                pipe.write("!".getBytes(StandardCharsets.UTF_8));
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                pipe.readInBackground(got);
                pipe.closeWriteEnd();
                pipe.awaitPeer();
                Check.equal("SUB-11", out + "!", got.toString(StandardCharsets.UTF_8), "what reached the kit's pipe through Redirect.fd");
            }
            case STDERR_TO_STDOUT -> {
                Subprocess p = start(loop, printBoth, b.stderr(Redirect.STDOUT).build());
                Check.that("SUB-11", p.stderr() == null, () -> "stderr() of a child whose stderr goes to stdout is not null");
                byte[] both = await(loop, p.stdout().read(-1), "SUB-11", "stdout, which carries stderr too");
                Check.equal("SUB-11", out + err, new String(both, StandardCharsets.UTF_8), "stdout of a child whose stderr goes to it");
                await(loop, p.waitFor(), "SUB-11", "the exit of the child");
            }
            case DEVNULL -> {
                Subprocess p = start(loop, List.of("sh", "-c", "cat; printf %s \"$1\"", "sh", out), b.build());
                Check.that("SUB-11", p.stdin() == null, () -> "stdin() of a child whose stdin is DEVNULL is not null");
                byte[] printed = await(loop, p.stdout().read(-1), "SUB-11", "the output of a child whose stdin is DEVNULL");
                Check.equal("SUB-11", out, new String(printed, StandardCharsets.UTF_8), "the output of cat on DEVNULL, then the text");
                await(loop, p.waitFor(), "SUB-11", "the exit of the child");
            }
            default -> throw new AssertionError(redirect);
        }
    }

    // ----- streams -----------------------------------------------------------------------------------

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-01")
    void readLineReturnsEachLineWithItsNewline(@ForAll("lines") List<String> lines, @ForAll boolean lastUnterminated) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i) + (lastUnterminated && i == lines.size() - 1 ? "" : "\n");
            if (!line.isEmpty()) {
                expected.add(line);
            }
            text.append(line);
        }
        Subprocess p = start(loop, List.of("sh", "-c", "printf %s \"$1\"", "sh", text.toString()), output());
        List<String> got = new ArrayList<>();
        for (int i = 0; i <= expected.size() + 1; i++) {
            byte[] line = await(loop, p.stdout().readLine(), "STR-01", "readLine() #" + i);
            got.add(new String(line, StandardCharsets.UTF_8));
        }
        expected.add("");
        expected.add("");
        Check.equal("STR-01", expected, got, "readLine() results, then two at end of file");
        await(loop, p.waitFor(), "STR-01", "the child's exit");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-02")
    void readExactlyReturnsExactlyNOrFailsWithWhatItHad(@ForAll @IntRange(min = 0, max = 256 * KIB) int size, @ForAll int seed,
                                                         @ForAll("readSizes") List<Integer> reads) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        byte[] data = Bytes.pattern(seed, size);
        Subprocess p = start(loop, List.of("cat"), withStdin());
        p.stdin().write(data);
        p.stdin().close();
        int offset = 0;
        List<Integer> all = new ArrayList<>(reads);
        all.add(size + 1); // always end beyond end of file
        for (int n : all) {
            AsyncFuture<byte[]> read = p.stdout().readExactly(n);
            LoopRuns.until(loop, read::done, "STR-02", () -> "readExactly(" + n + ") to complete or fail");
            if (size - offset >= n) {
                Check.that("STR-02", read.exception() == null, () -> "readExactly(" + n + ") with enough data failed: " + read.exception());
                Bytes.checkSame("STR-02", Arrays.copyOfRange(data, offset, offset + n), read.result(), "readExactly(" + n + ") at " + offset);
                offset += n;
            } else {
                int from = offset;
                Throwable e = read.exception();
                Check.that("STR-02", e instanceof IncompleteReadException, () -> "readExactly(" + n + ") with " + (size - from)
                        + " bytes left before end of file: expected IncompleteReadException, got " + (e == null ? "a result" : e));
                IncompleteReadException incomplete = (IncompleteReadException) e;
                Check.equal("STR-02", (long) n, incomplete.getExpected(), "getExpected() of the IncompleteReadException");
                Bytes.checkSame("STR-02", Arrays.copyOfRange(data, from, size), incomplete.getPartial(), "getPartial() of the IncompleteReadException");
                break;
            }
        }
        await(loop, p.waitFor(), "STR-02", "the child's exit");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-03")
    void readUntilStopsAtTheSeparatorOrOverrunsTheLimit(@ForAll("segmentLengths") List<Integer> segments, @ForAll int seed) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int i = 0; i < segments.size(); i++) {
            text.writeBytes(Bytes.letters(seed + i, segments.get(i)));
            text.writeBytes(CRLF);
        }
        Subprocess p = start(loop, List.of("cat"), withStdin());
        p.stdin().write(text.toByteArray());
        p.stdin().close();
        StreamReader reader = p.stdout();
        byte[] all = text.toByteArray();
        int offset = 0;
        for (int length : segments) {
            byte[] expected = Arrays.copyOfRange(all, offset, offset + length + CRLF.length);
            AsyncFuture<byte[]> read = reader.readUntil(CRLF);
            LoopRuns.until(loop, read::done, "STR-03", () -> "readUntil(CRLF) to complete or fail");
            if (length <= reader.getLimit()) {
                Check.that("STR-03", read.exception() == null, () -> "readUntil(CRLF) of a " + length + "-byte segment (limit "
                        + reader.getLimit() + ") failed: " + read.exception());
                Bytes.checkSame("STR-03", expected, read.result(), "readUntil(CRLF) of a " + length + "-byte segment");
            } else {
                Throwable e = read.exception();
                Check.that("STR-03", e instanceof LimitOverrunException, () -> "readUntil(CRLF) of a " + length
                        + "-byte segment, beyond the limit " + reader.getLimit() + ": expected LimitOverrunException, got " + (e == null ? "a result" : e));
                byte[] kept = await(loop, reader.readExactly(expected.length), "STR-03", "the overrun segment, still buffered");
                Bytes.checkSame("STR-03", expected, kept, "the data a LimitOverrunException left in the buffer");
            }
            offset += expected.length;
        }
        await(loop, p.waitFor(), "STR-03", "the child's exit");
    }

    @Property
    @RealChildren(minTries = 2)
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-05")
    void aReaderAboveTwiceItsLimitPausesItsTransport(@ForAll @IntRange(min = 2 * MIB, max = 4 * MIB) int size) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("head", "-c", String.valueOf(size), "/dev/zero"), output());
        StreamReader reader = p.stdout();
        int bound = 2 * reader.getLimit() + ONE_READ_SLACK;
        // Nobody reads: a paused transport holds the child back; one that ignores the reader buffers all of it.
        int[] most = {0};
        boolean[] watching = {true};
        Runnable[] watch = new Runnable[1];
        watch[0] = () -> {
            most[0] = Math.max(most[0], reader.bufferedSize());
            if (watching[0]) {
                loop.callLater(0.001, watch[0]);
            }
        };
        loop.callSoon(watch[0]);
        LoopRuns.window(loop, 100);
        watching[0] = false;
        Check.that("STR-05", most[0] <= bound, () -> "the reader (limit " + reader.getLimit() + ") held " + most[0]
                + " bytes of " + size + " that nobody read: its transport was not paused above twice the limit");
        byte[] all = await(loop, reader.read(-1), "STR-05", "read(-1) of " + size + " bytes");
        Check.equal("STR-05", size, all.length, "bytes read after the reader resumed its transport");
        await(loop, p.waitFor(), "STR-05", "the child's exit");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-04")
    void readReturnsWhatIsBufferedUpToN(@ForAll @IntRange(min = 1, max = 32 * KIB) int first, @ForAll @IntRange(min = 0, max = 32 * KIB) int second,
                                        @ForAll("readSizes") List<Integer> reads, @ForAll int seed) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("cat"), withStdin());
        StreamReader reader = p.stdout();
        byte[] a = Bytes.pattern(seed, first);
        byte[] b = Bytes.pattern(seed + 1, second);
        p.stdin().write(a);
        LoopRuns.until(loop, () -> reader.bufferedSize() >= first, "STR-04", () -> "cat to echo " + first + " bytes into the reader");
        int offset = 0;
        for (int n : reads) {
            AsyncFuture<byte[]> read = reader.read(n);
            int from = offset;
            int expected = Math.min(n, first - offset);
            if (expected == 0 && n > 0) {
                read.cancel(); // everything buffered was read: this one would wait for the next write
                LoopRuns.iterations(loop, 1);
                break;
            }
            LoopRuns.iterations(loop, 5); // nothing more is coming: what is buffered is all it may wait for
            Check.that("STR-04", read.done(), () -> "read(" + n + ") with " + (first - from) + " bytes buffered did not complete"
                    + " within 5 loop iterations, with nothing more to come");
            byte[] got = await(loop, read, "STR-04", "read(" + n + ") with " + (first - from) + " bytes buffered");
            Bytes.checkSame("STR-04", Arrays.copyOfRange(a, from, from + expected), got, "read(" + n + ") with " + (first - from) + " bytes buffered");
            offset += got.length;
        }
        int consumed = offset;
        AsyncFuture<byte[]> rest = reader.read(-1);
        p.stdin().write(b);
        p.stdin().close();
        byte[] got = await(loop, rest, "STR-04", "read(-1) to end of file");
        byte[] expected = new byte[first - consumed + second];
        System.arraycopy(a, consumed, expected, 0, first - consumed);
        System.arraycopy(b, 0, expected, first - consumed, second);
        Bytes.checkSame("STR-04", expected, got, "read(-1) with " + (first - consumed) + " bytes buffered and " + second + " more to come");
        Check.equal("STR-04", 0, await(loop, reader.read(7), "STR-04", "read(7) at end of file").length, "bytes of read(7) at end of file");
        await(loop, p.waitFor(), "STR-04", "the child's exit");
    }

    @Property
    @RealChildren(minTries = 2)
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-06")
    void aReadDownToTheLimitResumesThePausedTransport(@ForAll @IntRange(min = 2 * MIB, max = 4 * MIB) int size) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("head", "-c", String.valueOf(size), "/dev/zero"), output());
        StreamReader reader = p.stdout();
        int limit = reader.getLimit();
        // size is far above twice the limit and one read: the reader gets there before end of file
        LoopRuns.until(loop, () -> reader.bufferedSize() > 2 * limit, "STR-05", () -> "the reader to hold more than twice its limit " + limit);
        int down = reader.bufferedSize() - limit;
        await(loop, reader.readExactly(down), "STR-06", "readExactly(" + down + ") of what is buffered");
        // atEof() holds only once the buffer is empty too: "everything arrived" is counted instead
        BooleanSupplier allArrived = () -> down + reader.bufferedSize() >= size;
        LoopRuns.until(loop, () -> reader.bufferedSize() > limit || allArrived.getAsBoolean(), "STR-06",
                () -> "more data after a read took the buffer down to the limit " + limit + " (the transport was not resumed)");
        int more = 0;
        if (!allArrived.getAsBoolean()) { // else the transport never paused: STR-05's property says so
            LoopRuns.until(loop, () -> reader.bufferedSize() > 2 * limit || allArrived.getAsBoolean(), "STR-05",
                    () -> "the reader to hold more than twice its limit " + limit + " again");
            if (!allArrived.getAsBoolean()) {
                more = reader.bufferedSize() + 1;
                int needed = more;
                await(loop, reader.readExactly(needed), "STR-06", "readExactly(" + needed + "), one byte more than is buffered");
            }
        }
        byte[] rest = await(loop, reader.read(-1), "STR-04", "read(-1) of the rest");
        Check.equal("STR-06", size - down - more, rest.length, "bytes left after the two reads");
        await(loop, p.waitFor(), "STR-06", "the child's exit");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-07")
    void oneReadWaitsAtATimeAndACancelledOneGivesUpItsPlace(@ForAll @IntRange(min = 0, max = 3) int partial, @ForAll("readKinds") String second) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("cat"), withStdin());
        StreamReader reader = p.stdout();
        byte[] text = "hello\nworld\n".getBytes(StandardCharsets.US_ASCII);
        p.stdin().write(Arrays.copyOf(text, partial));
        LoopRuns.until(loop, () -> reader.bufferedSize() == partial, "STR-07", () -> "cat to echo " + partial + " bytes");
        AsyncFuture<byte[]> first = reader.readLine();
        LoopRuns.iterations(loop, 2);
        Check.that("STR-07", !first.done(), () -> "readLine() with " + partial + " bytes and no newline buffered completed: " + first);
        Throwable refused;
        try {
            // a read that must wait: read(n) returns at once what is buffered
            AsyncFuture<byte[]> other = read(reader, second.equals("read") && partial > 0 ? "readExactly" : second);
            LoopRuns.iterations(loop, 5); // time enough for an implementation that fails it from a callback
            refused = other.done() ? other.exception() : null;
        } catch (IllegalStateException e) {
            refused = e;
        }
        Throwable failure = refused;
        Check.that("STR-07", failure instanceof IllegalStateException, () -> second + "() while readLine() waits: expected"
                + " IllegalStateException, got " + (failure == null ? "no failure within 5 loop iterations" : failure));
        first.cancel();
        AsyncFuture<byte[]> next = reader.readExactly(6); // at once: the cancelled read gave up its place
        p.stdin().write(Arrays.copyOfRange(text, partial, text.length));
        Check.equal("STR-07", "hello\n", new String(await(loop, next, "STR-07", "readExactly(6) after the waiting readLine() was cancelled"),
                StandardCharsets.US_ASCII), "readExactly(6) after a cancelled readLine()");
        Check.equal("STR-07", "world\n", new String(await(loop, reader.readExactly(6), "STR-07", "the second line"), StandardCharsets.US_ASCII),
                "the second line");
        p.stdin().close();
        await(loop, p.waitFor(), "STR-07", "the child's exit");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-08")
    void drainCompletesAtOnceUnlessWritingIsPaused(@ForAll("bigChunkSizes") List<Integer> chunks, @ForAll int seed) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("cat"), withStdin());
        AsyncFuture<byte[]> echoed = p.stdout().read(-1);
        WriteTransport stdin = p.stdin().transport();
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = Bytes.pattern(seed + i, chunks.get(i) * 4); // up to 256 KiB: some above the high-water mark
            data.add(chunk);
            p.stdin().write(chunk);
            int buffered = stdin.getWriteBufferSize();
            int high = stdin.getWriteBufferLimits().high();
            AsyncFuture<Void> drained = p.stdin().drain();
            if (buffered <= high) {
                Check.that("STR-08", drained.done() && drained.exception() == null, () -> "drain() with " + buffered
                        + " bytes buffered, not above the high-water mark " + high + ", did not complete at once: " + drained);
            } else {
                Check.that("SUB-06", !drained.done(), () -> "drain() completed at once with " + buffered + " bytes buffered, above the"
                        + " high-water mark " + high);
                await(loop, drained, "SUB-06", "drain() while the child reads");
            }
        }
        p.stdin().close();
        byte[] all = await(loop, echoed, "STR-08", "cat's echo of everything written");
        Bytes.checkSame("STR-08", Bytes.concat(data), all, "cat's echo of what was written between drains");
        await(loop, p.waitFor(), "STR-08", "the child's exit");
    }

    @Property
    @RealChildren
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-09")
    void aReaderExceptionFailsReadsAndDrainAfterTheLossFails(@ForAll("readKinds") String read) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        Subprocess p = start(loop, List.of("cat"), withStdin());
        IOException set = new IOException("set by the kit");
        p.stdout().setException(set);
        AsyncFuture<byte[]> failed = read(p.stdout(), read);
        LoopRuns.until(loop, failed::done, "STR-09", () -> read + "() of a reader with an exception set, to fail");
        Check.same("STR-09", set, failed.exception(), "the failure of " + read + "() on a reader with an exception set");
        p.stdin().close();
        await(loop, p.stdin().waitClosed(), "STR-09", "waitClosed() of the closed stdin");
        AsyncFuture<Void> drained = p.stdin().drain();
        LoopRuns.until(loop, drained::done, "STR-09", () -> "drain() after stdin's connection was lost");
        Throwable e = drained.exception();
        Check.that("STR-09", e instanceof IOException && "Connection lost".equals(e.getMessage()),
                () -> "drain() after the connection was lost: expected IOException(\"Connection lost\"), got " + (e == null ? "success" : e));
        await(loop, p.waitFor(), "STR-09", "the child's exit");
    }

    @Property
    @RealChildren(minTries = 2)
    @Requires(Capability.SUBPROCESS_TRANSPORTS)
    @Rule("STR-10")
    void aLongStreamReadLineByLineStaysBounded(@ForAll @IntRange(min = 4 * MIB, max = 8 * MIB) int size) {
        EventLoop loop = track(createEventLoop());
        track(watchChildren(loop));
        String line = "x".repeat(1023); // 1 KiB lines
        Subprocess p = start(loop, List.of("sh", "-c", "yes \"$1\" | head -c \"$2\"", "sh", line, String.valueOf(size)), output());
        StreamReader reader = p.stdout();
        int limit = reader.getLimit();
        int bound = 2 * limit + ONE_READ_SLACK;
        int[] most = {0};
        boolean[] watching = {true};
        Runnable[] watch = new Runnable[1];
        watch[0] = () -> {
            most[0] = Math.max(most[0], reader.bufferedSize());
            if (watching[0]) {
                loop.callLater(0.001, watch[0]);
            }
        };
        loop.callSoon(watch[0]);
        long[] read = {0};
        // atEof() holds only once the buffer is empty too: "everything arrived" is counted instead
        BooleanSupplier allArrived = () -> read[0] + reader.bufferedSize() >= size;
        for (int cycle = 0; read[0] < size; cycle++) {
            String rule = cycle == 0 ? "STR-05" : "STR-10"; // the first pause is STR-05's; every later one this rule's
            // more than twice the limit: the reader pauses its transport here, so nothing comes while the kit reads it down
            long sofar = read[0];
            LoopRuns.until(loop, () -> reader.bufferedSize() > 2 * limit || allArrived.getAsBoolean(), rule,
                    () -> "the reader (limit " + limit + ", holding " + reader.bufferedSize() + " bytes, " + sofar + " of " + size
                            + " read) to hold more than twice its limit, or everything");
            if (cycle <= 1) { // a paused transport holds still; one that ignores the pause shows here, in its first and a later pause
                LoopRuns.windowUnless(loop, 100, () -> reader.bufferedSize() > bound);
                most[0] = Math.max(most[0], reader.bufferedSize());
                int paused = most[0];
                Check.that(rule, paused <= bound, () -> "the reader (limit " + limit + ") held " + paused + " bytes while the kit"
                        + " did not read: its transport was not paused above twice the limit");
            }
            while (reader.bufferedSize() > limit || (allArrived.getAsBoolean() && read[0] < size)) {
                most[0] = Math.max(most[0], reader.bufferedSize());
                byte[] got = await(loop, reader.readLine(), "STR-10", "readLine()");
                long at = read[0];
                Check.that("STR-01", got.length == line.length() + 1 && got[got.length - 1] == '\n' || at + got.length == size,
                        () -> "readLine() at " + at + " returned " + got.length + " bytes of " + (line.length() + 1) + "-byte lines");
                read[0] += got.length;
            }
            int held = most[0];
            long done = read[0];
            Check.that(rule, held <= bound, () -> "the reader (limit " + limit + ") held " + held + " bytes with " + done
                    + " read line by line: its transport was not paused above twice the limit");
        }
        watching[0] = false;
        Check.equal("STR-10", (long) size, read[0], "bytes read line by line");
        await(loop, p.waitFor(), "STR-10", "the child's exit");
    }

    // ----- arbitraries -------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 512), Arbitraries.integers().between(1, 64 * KIB))
                .list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Integer>> bigChunkSizes() {
        return Arbitraries.integers().between(1, 64 * KIB).list().ofMinSize(1).ofMaxSize(16);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '-').ofMaxLength(40);
    }

    @Provide
    Arbitrary<List<String>> lines() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '\t').ofMaxLength(60).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 128 * KIB))
                .list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<Integer> signals() {
        // signals whose default action ends the process and that no build tool is known to leave ignored
        return Arbitraries.of(9, 10, 12, 14, 15);
    }

    @Provide
    Arbitrary<String> readKinds() {
        return Arbitraries.of("read", "readExactly", "readUntil", "readLine");
    }

    @Provide
    Arbitrary<List<Integer>> segmentLengths() {
        // well inside the 64 KiB limit, or well beyond it
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(80 * KIB, 100 * KIB))
                .list().ofMinSize(1).ofMaxSize(5);
    }

    // ----- helpers -----------------------------------------------------------------------------------

    private ReadTransport connectRead(EventLoop loop, int fd, PipeRecorder r) {
        AsyncFuture<TransportAndProtocol<ReadTransport, PipeRecorder>> f = loop.connectReadPipe(() -> r, fd);
        Check.that("TRN-01", r.events.isEmpty(), () -> "connectReadPipe called " + r.events + " before it returned");
        f.addDoneCallback(done -> r.mark("connected"));
        LoopRuns.until(loop, () -> r.events.contains("kit:connected"), "TRN-01", () -> "the connectReadPipe future to complete");
        return f.result().transport();
    }

    private WriteTransport connectWrite(EventLoop loop, int fd, PipeRecorder r) {
        AsyncFuture<TransportAndProtocol<WriteTransport, PipeRecorder>> f = loop.connectWritePipe(() -> r, fd);
        Check.that("TRN-01", r.events.isEmpty(), () -> "connectWritePipe called " + r.events + " before it returned");
        f.addDoneCallback(done -> r.mark("connected"));
        LoopRuns.until(loop, () -> r.events.contains("kit:connected"), "TRN-01", () -> "the connectWritePipe future to complete");
        return f.result().transport();
    }

    private SubprocessTransport spawn(EventLoop loop, ChildRecorder r, List<String> argv, SubprocessOptions options) {
        AsyncFuture<TransportAndProtocol<SubprocessTransport, ChildRecorder>> f = loop.subprocessExec(() -> r, argv, options);
        f.addDoneCallback(done -> r.mark("connected"));
        LoopRuns.until(loop, () -> r.has("kit:connected"), "SUB-01", () -> "the subprocessExec future of " + argv + " to complete");
        SubprocessTransport t = f.result().transport();
        track(() -> reap(loop, t::getReturnCode, t::kill));
        return t;
    }

    private Subprocess start(EventLoop loop, List<String> argv, SubprocessOptions options) {
        return start(loop, argv, options, "SUB-01");
    }

    /** Starts a process with streams; a future that fails, or never completes, fails on {@code rule}. */
    private Subprocess start(EventLoop loop, List<String> argv, SubprocessOptions options, String rule) {
        AsyncFuture<Subprocess> f = loop.subprocessExec(argv, options);
        LoopRuns.until(loop, f::done, rule, () -> "the subprocessExec future of " + argv + " to complete");
        if (f.cancelled() || f.exception() != null) {
            throw new RuleViolation(rule, "subprocessExec of " + argv + " failed: " + (f.cancelled() ? "cancelled" : f.exception()));
        }
        Subprocess p = f.result();
        track(() -> {
            p.close();
            reap(loop, p::returnCode, p::kill);
        });
        return p;
    }

    /** Kills a child the try left running and runs the loop until its exit arrives, so that it is reaped. */
    private static void reap(EventLoop loop, Supplier<Integer> returnCode, Runnable kill) {
        if (loop.isClosed() || loop.isRunning() || returnCode.get() != null) {
            return;
        }
        kill.run();
        try {
            LoopRuns.until(loop, () -> returnCode.get() != null, "SUB-04", () -> "the exit of a child the kit killed");
        } catch (RuleViolation stillRunning) {
            // the property already failed or the watcher is broken: nothing more the kit can do
        }
    }

    /** A read of {@code kind} on {@code reader}: 10 bytes, up to a newline, or a line. */
    private static AsyncFuture<byte[]> read(StreamReader reader, String kind) {
        return switch (kind) {
            case "read" -> reader.read(10);
            case "readExactly" -> reader.readExactly(10);
            case "readUntil" -> reader.readUntil(new byte[] {'\n'});
            default -> reader.readLine();
        };
    }

    /** Makes {@code loop} collect the contexts of its exception handler; the list it returns fills as they come. */
    private static List<Map<String, Object>> reportedTo(EventLoop loop) {
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        return reported;
    }

    private static List<Object> exceptionsIn(List<Map<String, Object>> reported) {
        List<Object> out = new ArrayList<>();
        reported.forEach(context -> out.add(context.get("exception")));
        return out;
    }

    private static boolean nothingThrown(Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A new temporary directory, deleted with what it holds when the try ends. */
    private Path tempDirectory() throws IOException {
        Path dir = Files.createTempDirectory("asyncio4j-kit");
        track(() -> {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        });
        return dir;
    }

    private static <T> T await(EventLoop loop, AsyncFuture<T> future, String rule, String what) {
        LoopRuns.until(loop, future::done, rule, () -> what + " to complete");
        Throwable e = future.exception();
        if (e != null) {
            throw new RuleViolation(rule, what + " failed: " + e);
        }
        return future.result();
    }

    private static SubprocessOptions pipes() {
        return SubprocessOptions.builder().stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.PIPE).build();
    }

    private static SubprocessOptions output() {
        return SubprocessOptions.builder().stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).stderr(Redirect.DEVNULL).build();
    }

    private static SubprocessOptions withStdin() {
        return SubprocessOptions.builder().stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.DEVNULL).build();
    }

    /** The first callback is connectionMade, and it came before the connect future's done callbacks. */
    private static void checkMadeFirst(String rule, List<String> events) {
        Check.that(rule, !events.isEmpty() && events.get(0).equals("made"), () -> "the first callback was not connectionMade: " + events);
        Check.that(rule, events.indexOf("made") < events.indexOf("kit:connected"),
                () -> "the connect future completed before connectionMade: " + events);
    }

    private static void checkLostOnceAndLast(String rule, List<String> calls, String what) {
        long losses = calls.stream().filter(e -> e.startsWith("lost")).count();
        Check.equal(rule, 1L, losses, "calls of connectionLost (" + what + ") in " + calls);
        Check.that(rule, calls.get(calls.size() - 1).startsWith("lost"), () -> "connectionLost was not the last callback (" + what + "): " + calls);
    }
}
