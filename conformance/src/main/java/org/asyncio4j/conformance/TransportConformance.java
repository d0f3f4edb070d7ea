package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.asyncio4j.AsyncFuture;
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
 * flow control, a child that exits before or after its pipes close, large outputs on both pipes at once, and
 * the stream reads ({@code readLine}, {@code readExactly}, {@code readUntil}) with the reader's limit pausing
 * the transport.
 *
 * <p>Extend it in a test class and return a new, open, not running loop from {@link #createEventLoop()} on
 * every call. The kit runs each loop in the calling thread. Pipes are made with {@code pipe(2)} (jnr-posix) and
 * handed to {@code connectReadPipe}/{@code connectWritePipe}; the kit keeps the other end and drives it from a
 * thread of its own. Children are started through the loop's {@code subprocessExec} (with {@code sh},
 * {@code cat}, {@code head} and {@code tee} from {@code PATH}); {@link #watchChildren(EventLoop)} makes their
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
        AsyncFuture<Subprocess> f = loop.subprocessExec(argv, options);
        LoopRuns.until(loop, f::done, "SUB-01", () -> "the subprocessExec future of " + argv + " to complete");
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
