package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Server;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;

/**
 * A loop's TCP sockets (the SCK rules of the catalogue) over real loopback connections on 127.0.0.1, through the
 * loop's public API only: callback order on both ends of a connection, write flow control against a slow reader,
 * {@code writeEof} and the answer of {@code eofReceived}, {@code abort}, a closed server, a refused connection,
 * and the low-level {@code sockSendall}/{@code sockRecv} with end of stream and cancellation. Every wait is
 * bounded by the kit's safety net (times its time scale) and fails on the rule it waits for.
 *
 * <p>{@link SocketConformance} implements it; to run it alone, extend {@link ConformanceBase}, implement this
 * contract and {@link #newLoop()}, and declare {@link Capability#SOCKETS} in {@link ConformanceBase#declares}.
 */
@Requires(Capability.SOCKETS)
public interface SocketContract extends LoopContract {
    /**
     * Both ends of a connection write, one of them closes once it has everything the other wrote: each sees
     * connectionMade first, every byte in order, end of stream (the end that did not close), one connectionLost, last.
     */
    @Property
    @Rule("SCK-01")
    default void bothEndsSeeMadeThenEveryByteThenEndOfStreamThenOneLossLast(@ForAll("chunkSizes") List<Integer> request,
                                                                          @ForAll("chunkSizes") List<Integer> reply, @ForAll int seed,
                                                                          @ForAll boolean clientCloses,
                                                                          @ForAll @IntRange(min = 0, max = 2) int closesAfterLoss) {
        EventLoop loop = track(newLoop());
        ConnectionEnds ends = track(new ConnectionEnds(loop));
        Server server = track(Loopback.listen(loop, ends.acceptedBy(false, false), "SCK-01"));
        ConnectionRecorder client = ends.client(false);
        Transport clientEnd = Loopback.connect(loop, client, Loopback.port(server), "SCK-01");
        ConnectionRecorder accepted = ends.awaitAccepted(1, "SCK-01").get(0);
        List<byte[]> requestChunks = Bytes.chunks(seed, request);
        List<byte[]> replyChunks = Bytes.chunks(seed + 1, reply);
        requestChunks.forEach(clientEnd::write);
        replyChunks.forEach(accepted.transport::write);
        ConnectionRecorder closer = clientCloses ? client : accepted;
        ConnectionRecorder other = clientCloses ? accepted : client;
        int toCloser = Bytes.total(clientCloses ? replyChunks : requestChunks);
        String closerName = clientCloses ? "the connecting end" : "the accepted end";
        LoopRuns.until(loop, () -> closer.size() >= toCloser, "SCK-01", () -> closerName + " to receive the " + toCloser
                + " bytes its peer wrote; callbacks " + closer.callbacks());
        closer.transport.close();
        LoopRuns.until(loop, () -> closer.lost() && other.lost(), "SCK-01", () -> "connectionLost on both ends after "
                + closerName + " closed; callbacks: connecting end " + client.callbacks() + ", accepted end " + accepted.callbacks());
        for (int i = 0; i < closesAfterLoss; i++) {
            clientEnd.close();
            clientEnd.abort();
            accepted.transport.close();
            accepted.transport.abort();
        }
        LoopRuns.iterations(loop, 5);
        Check.that("SCK-01", client.events.indexOf("made") == 0 && client.events.indexOf("kit:connected") > 0,
                () -> "connectionMade did not come first, before the createConnection future completed: " + client.events);
        Check.that("SCK-01", accepted.events.indexOf("made") == 0, () -> "the accepted end's first callback was not connectionMade: "
                + accepted.events);
        for (ConnectionRecorder end : List.of(client, accepted)) {
            String name = end == client ? "connecting end" : "accepted end";
            long losses = end.callbacks().stream().filter(e -> e.startsWith("lost")).count();
            Check.equal("SCK-01", 1L, losses, "calls of connectionLost on the " + name + " (closed and aborted "
                    + closesAfterLoss + " more times after its loss) in " + end.callbacks());
        }
        Bytes.checkSame("SCK-01", Bytes.concat(requestChunks), accepted.bytes(), "bytes the accepted end received");
        Bytes.checkSame("SCK-01", Bytes.concat(replyChunks), client.bytes(), "bytes the connecting end received");
        Check.equal("SCK-01", expectedCallbacks(Bytes.total(clientCloses ? replyChunks : requestChunks) > 0, false), closer.callbacks(),
                "callbacks of " + closerName + ", which closed");
        Check.equal("SCK-01", expectedCallbacks(Bytes.total(clientCloses ? requestChunks : replyChunks) > 0, true), other.callbacks(),
                "callbacks of the end whose peer closed");
    }

    /**
     * The accepted end pauses reading; the connecting end writes until pauseWriting, then the accepted end reads
     * slowly (reading paused and resumed every millisecond) until the writer has resumed and drained.
     */
    @Property
    @BulkTransfer
    @Rule("SCK-02")
    default void writingPausesAboveTheHighWaterMarkAndResumesAtTheLowAgainstASlowReader(
            @ForAll @IntRange(min = 1024, max = 256 * 1024) int high, @ForAll @IntRange(min = 0, max = 100) int lowPercent,
            @ForAll @IntRange(min = 1024, max = 256 * 1024) int chunk, @ForAll int seed) {
        int low = (int) ((long) high * lowPercent / 100);
        EventLoop loop = track(newLoop());
        ConnectionEnds ends = track(new ConnectionEnds(loop));
        Server server = track(Loopback.listen(loop, ends.acceptedBy(false, true), "SCK-02"));
        ConnectionRecorder client = ends.client(false);
        Transport writer = Loopback.connect(loop, client, Loopback.port(server), "SCK-02");
        ConnectionRecorder reader = ends.awaitAccepted(1, "SCK-02").get(0);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        String[] unpaused = {null};
        loop.callSoon(() -> {
            writer.setWriteBufferLimits(high, low);
            for (int i = 0; !client.writingPaused() && written.size() < Loopback.MOST_WRITTEN; i++) {
                byte[] data = Bytes.pattern(seed + i, chunk);
                writer.write(data);
                written.writeBytes(data);
                int size = writer.getWriteBufferSize();
                if (size > high && !client.writingPaused()) {
                    unpaused[0] = "the write buffer holds " + size + " bytes after write(), above the high-water mark " + high
                            + ", and pauseWriting() was not called";
                    return;
                }
            }
        });
        LoopRuns.iterations(loop, 1);
        Check.that("SCK-02", unpaused[0] == null, () -> unpaused[0]);
        Check.that("SCK-02", client.writingPaused(), () -> written.size() + " bytes written to a peer that does not read, and"
                + " pauseWriting() was not called (high " + high + ")");
        int held = writer.getWriteBufferSize();
        Check.that("SCK-02", held <= high + chunk, () -> "a writer that stopped at pauseWriting() holds " + held
                + " bytes, more than the high-water mark " + high + " plus its last write of " + chunk);
        boolean[] slow = {true};
        Runnable[] toggle = new Runnable[1];
        toggle[0] = () -> {
            if (!slow[0]) {
                return;
            }
            if (reader.transport.isReading()) {
                reader.transport.pauseReading();
            } else {
                reader.transport.resumeReading();
            }
            loop.callLater(0.001, toggle[0]);
        };
        loop.callSoon(toggle[0]);
        LoopRuns.until(loop, () -> !client.writingPaused() && writer.getWriteBufferSize() == 0, "SCK-02",
                () -> "the writer to resume and drain while its peer reads slowly (high " + high + ", low " + low + "); "
                        + writer.getWriteBufferSize() + " bytes buffered, events " + client.events);
        slow[0] = false;
        reader.transport.resumeReading();
        List<String> flow = client.events.stream().filter(e -> e.equals("pause") || e.equals("resume")).toList();
        List<String> alternating = new ArrayList<>();
        for (int i = 0; i < flow.size(); i++) {
            alternating.add(i % 2 == 0 ? "pause" : "resume");
        }
        Check.equal("SCK-02", alternating, flow, "pauseWriting/resumeWriting (high " + high + ", low " + low + ")");
        for (int size : client.bufferAtPause) {
            Check.that("SCK-02", size > high, () -> "pauseWriting() with " + size + " bytes buffered, not above the high-water mark " + high);
        }
        for (int size : client.bufferAtResume) {
            Check.that("SCK-02", size <= low, () -> "resumeWriting() with " + size + " bytes buffered, above the low-water mark " + low);
        }
        writer.close();
        LoopRuns.until(loop, reader::eof, "SCK-02", () -> "the slow reader to receive the " + written.size()
                + " bytes written, then end of stream; it has " + reader.size());
        Bytes.checkSame("SCK-02", written.toByteArray(), reader.bytes(), "bytes the slow reader received");
    }

    /**
     * The connecting end writes and calls writeEof at once; the accepted end answers eofReceived with true or
     * false: kept open, it still writes back and is lost only at its close; else it closes by itself.
     */
    @Property
    @Rule("SCK-03")
    default void writeEofHalfClosesAndEofReceivedDecidesWhetherTheTransportStaysOpen(@ForAll boolean keepOpen,
                                                                                  @ForAll("sizes") int requestSize,
                                                                                  @ForAll("sizes") int replySize, @ForAll int seed) {
        EventLoop loop = track(newLoop());
        ConnectionEnds ends = track(new ConnectionEnds(loop));
        Server server = track(Loopback.listen(loop, ends.acceptedBy(keepOpen, false), "SCK-03"));
        ConnectionRecorder client = ends.client(false);
        Transport clientEnd = Loopback.connect(loop, client, Loopback.port(server), "SCK-03");
        ConnectionRecorder accepted = ends.awaitAccepted(1, "SCK-03").get(0);
        Check.that("SCK-03", clientEnd.canWriteEof(), () -> "canWriteEof() of a socket transport is false");
        byte[] request = Bytes.pattern(seed, requestSize);
        loop.callSoon(() -> {
            clientEnd.write(request);
            clientEnd.writeEof();
        });
        LoopRuns.until(loop, accepted::eof, "SCK-03", () -> "eofReceived on the peer of a transport that wrote " + requestSize
                + " bytes and called writeEof(); peer's callbacks " + accepted.callbacks());
        Check.equal("SCK-03", requestSize, accepted.receivedAtEof, "bytes the peer had received at eofReceived (writeEof flushes first)");
        Bytes.checkSame("SCK-03", request, accepted.bytes(), "bytes the peer received before end of stream");
        if (keepOpen) {
            LoopRuns.window(loop, 5);
            Check.that("SCK-03", !accepted.lost(), () -> "the transport was closed although its eofReceived returned true: "
                    + accepted.callbacks());
            byte[] reply = Bytes.pattern(seed + 1, replySize);
            accepted.transport.write(reply);
            LoopRuns.until(loop, () -> client.size() >= replySize, "SCK-03", () -> "the " + replySize + " bytes written after"
                    + " eofReceived returned true to reach the end that called writeEof(); it has " + client.size());
            Bytes.checkSame("SCK-03", reply, client.bytes(), "bytes written after eofReceived returned true");
            Check.that("SCK-03", !accepted.lost(), () -> "the transport was lost before its close although its eofReceived"
                    + " returned true: " + accepted.callbacks());
            accepted.mark("close");
            accepted.transport.close();
        }
        LoopRuns.until(loop, () -> accepted.lost() && client.lost(), "SCK-03", () -> "connectionLost on both ends after"
                + (keepOpen ? " the end that kept open closed" : " eofReceived returned false") + "; accepted end " + accepted.events
                + ", connecting end " + client.events);
        if (keepOpen) {
            int lost = firstLoss(accepted.events);
            Check.that("SCK-03", lost > accepted.events.indexOf("kit:close"), () -> "connectionLost before the close() of a"
                    + " transport whose eofReceived returned true: " + accepted.events);
        }
    }

    /**
     * The connecting end writes to a peer that does not read until its transport buffers, then aborts: the buffer
     * is empty at once, connectionLost(null) follows, and the peer never receives what was buffered.
     */
    @Property
    @BulkTransfer
    @Rule("SCK-04")
    default void abortDropsTheWriteBufferAtOnce(@ForAll @IntRange(min = 16 * 1024, max = 256 * 1024) int chunk, @ForAll int seed,
                                               @ForAll boolean writeAfterAbort) {
        EventLoop loop = track(newLoop());
        ConnectionEnds ends = track(new ConnectionEnds(loop));
        Server server = track(Loopback.listen(loop, ends.acceptedBy(false, true), "SCK-04"));
        ConnectionRecorder client = ends.client(false);
        Transport writer = Loopback.connect(loop, client, Loopback.port(server), "SCK-04");
        ConnectionRecorder reader = ends.awaitAccepted(1, "SCK-04").get(0);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        int[] buffered = {0, -1, -1};
        loop.callSoon(() -> {
            for (int i = 0; writer.getWriteBufferSize() == 0 && written.size() < Loopback.MOST_WRITTEN; i++) {
                byte[] data = Bytes.pattern(seed + i, chunk);
                writer.write(data);
                written.writeBytes(data);
            }
            buffered[0] = writer.getWriteBufferSize();
            writer.abort();
            buffered[1] = writer.getWriteBufferSize();
            if (writeAfterAbort) {
                writer.write(Bytes.pattern(seed - 1, chunk));
                buffered[2] = writer.getWriteBufferSize();
            }
        });
        LoopRuns.iterations(loop, 1);
        Assume.that(buffered[0] > 0); // the OS took everything: nothing for abort() to drop
        Check.equal("SCK-04", 0, buffered[1], "getWriteBufferSize() right after abort() with " + buffered[0] + " bytes buffered");
        if (writeAfterAbort) {
            Check.equal("SCK-04", 0, buffered[2], "getWriteBufferSize() after a write() that followed abort()");
        }
        LoopRuns.until(loop, client::lost, "SCK-04", () -> "connectionLost after abort(); callbacks " + client.callbacks());
        Check.that("SCK-04", client.lostWith == null, () -> "connectionLost after abort() carried " + client.lostWith);
        reader.transport.resumeReading();
        LoopRuns.until(loop, reader::lost, "SCK-04", () -> "the peer of an aborted transport to see the connection end;"
                + " callbacks " + reader.callbacks());
        byte[] got = reader.bytes();
        Check.that("SCK-04", got.length <= written.size(), () -> "the peer received " + got.length + " bytes, more than the "
                + written.size() + " written before abort()");
        Bytes.checkSame("SCK-04", Arrays.copyOf(written.toByteArray(), got.length), got, "what the peer of an aborted transport received");
    }

    /**
     * A server with live connections is closed: it stops listening at once, a new connection is refused, the live
     * ones carry data both ways, and waitClosed completes only after the last of them is lost.
     */
    @Property
    @Rule("SCK-05")
    default void aClosedServerRefusesNewConnectionsAndWaitsForItsLiveOnes(@ForAll @IntRange(min = 1, max = 3) int live,
                                                                        @ForAll boolean acceptedEndsClose) {
        EventLoop loop = track(newLoop());
        ConnectionEnds ends = track(new ConnectionEnds(loop));
        Server server = track(Loopback.listen(loop, ends.acceptedBy(false, false), "SCK-05"));
        int port = Loopback.port(server);
        List<ConnectionRecorder> clients = new ArrayList<>();
        for (int i = 0; i < live; i++) {
            ConnectionRecorder c = ends.client(false);
            Loopback.connect(loop, c, port, "SCK-05");
            clients.add(c);
        }
        List<ConnectionRecorder> accepted = ends.awaitAccepted(live, "SCK-05");
        server.close();
        Check.that("SCK-05", !server.isServing(), () -> "isServing() after close()");
        Check.that("SCK-05", server.sockets().isEmpty(), () -> "sockets() after close(): " + server.sockets());
        ConnectionRecorder late = ends.client(false);
        AsyncFuture<TransportAndProtocol<Transport, ConnectionRecorder>> refused = loop.createConnection(() -> late, Loopback.HOST, port, null);
        LoopRuns.until(loop, refused::done, "SCK-05", () -> "a connection to a closed server to fail");
        Check.that("SCK-05", refused.exception() instanceof ConnectException, () -> "a connection to the port of a closed server:"
                + " expected ConnectException, got " + (refused.exception() == null ? "a connection" : refused.exception()));
        AsyncFuture<Void> closed = server.waitClosed();
        boolean[] allLostAtDone = {false};
        closed.addDoneCallback(d -> allLostAtDone[0] = accepted.stream().allMatch(ConnectionRecorder::lost));
        for (int i = 0; i < live; i++) {
            ConnectionRecorder c = clients.get(i);
            ConnectionRecorder a = accepted.get(i);
            byte[] ping = ("ping " + i).getBytes(StandardCharsets.US_ASCII);
            c.transport.write(ping);
            LoopRuns.until(loop, () -> a.size() >= ping.length, "SCK-05", () -> "a live connection of a closed server to carry"
                    + " data from its client; the accepted end has " + a.size() + " bytes");
            a.transport.write(ping);
            LoopRuns.until(loop, () -> c.size() >= ping.length, "SCK-05", () -> "a live connection of a closed server to carry"
                    + " data to its client; the client has " + c.size() + " bytes");
        }
        for (int i = 0; i < live; i++) {
            Check.that("SCK-05", !closed.done(), () -> "waitClosed() completed while " + accepted.stream().filter(a -> !a.lost()).count()
                    + " connections of the server were still open");
            ConnectionRecorder c = clients.get(i);
            ConnectionRecorder a = accepted.get(i);
            (acceptedEndsClose ? a : c).transport.close();
            LoopRuns.until(loop, () -> a.lost() && c.lost(), "SCK-05", () -> "both ends of a closed connection to be lost");
        }
        LoopRuns.until(loop, closed::done, "SCK-05", () -> "waitClosed() after every connection of the closed server was lost");
        Check.that("SCK-05", allLostAtDone[0], () -> "waitClosed() completed before every connection of the server was lost");
    }

    /**
     * Connections to a port that is bound but not listening are refused: each fails with a ConnectException that
     * names ECONNREFUSED, makes no protocol, and leaves no socket open.
     */
    @Property
    @Rule("SCK-06")
    default void aRefusedConnectionFailsNamingEconnrefusedAndLeavesNoSocket(@ForAll @IntRange(min = 1, max = 3) int attempts) {
        EventLoop loop = track(newLoop());
        int port = track(Loopback.refusingPort()).socket().getLocalPort();
        refuse(loop, port); // the first connection may open what the loop keeps for all (an executor, say)
        LoopRuns.iterations(loop, 3);
        List<String> before = Loopback.openSockets();
        for (int i = 0; i < attempts; i++) {
            refuse(loop, port);
        }
        LoopRuns.iterations(loop, 3);
        List<String> after = Loopback.openSockets();
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        Check.that("SCK-06", added.isEmpty(), () -> attempts + " refused connections left " + added.size()
                + " sockets open: " + added);
    }

    /**
     * One socket of a connected pair sends with sockSendall and then closes; the other receives with sockRecv until
     * end of stream, and calls it again there.
     */
    @Property
    @BulkTransfer
    @Rule("SCK-07")
    default void sockSendallDeliversEverythingAndSockRecvReturnsEmptyAtEndOfStream(@ForAll("streamSizes") int size,
                                                                                @ForAll @IntRange(min = 1, max = 256 * 1024) int recvSize,
                                                                                @ForAll int seed, @ForAll boolean connectingSends,
                                                                                @ForAll @IntRange(min = 1, max = 3) int callsAtEnd) {
        EventLoop loop = track(newLoop());
        LoopSocket[] pair = Loopback.pair(loop, "SCK-07");
        track(pair[0]);
        track(pair[1]);
        LoopSocket sender = connectingSends ? pair[0] : pair[1];
        LoopSocket receiver = connectingSends ? pair[1] : pair[0];
        byte[] data = Bytes.pattern(seed, size);
        AsyncFuture<Void> sent = loop.sockSendall(sender, data);
        sent.addDoneCallback(d -> sender.close());
        // a few bytes per call for the short streams only: MiBs a few bytes at a time would test speed
        int n = Math.max(recvSize, size / 64);
        SockReceiver r = new SockReceiver(loop, receiver, n, callsAtEnd);
        LoopRuns.until(loop, () -> r.failed != null || r.empties >= callsAtEnd, "SCK-07", () -> "sockRecv to reach end of stream"
                + " and return " + callsAtEnd + " empty arrays after the peer's sockSendall of " + size + " bytes and close;"
                + " received " + r.got.size() + ", sockSendall " + (sent.done() ? "done" : "pending"));
        Check.that("SCK-07", sent.done() && !sent.cancelled() && sent.exception() == null, () -> "sockSendall of " + size + " bytes: " + sent);
        Check.that("SCK-07", r.failed == null, () -> "sockRecv failed after " + r.got.size() + " of " + size + " bytes and "
                + r.empties + " empty arrays: " + r.failed);
        Bytes.checkSame("SCK-07", data, r.got.toByteArray(), "bytes sockRecv received of a sockSendall");
    }

    /**
     * sockRecv calls on a socket with nothing to read are cancelled; then its peer sends and closes: the next
     * sockRecv calls receive all of it, in order.
     */
    @Property
    @Rule("SCK-08")
    default void aCancelledSockRecvReceivesNothing(@ForAll @IntRange(min = 1, max = 3) int cancelled,
                                                   @ForAll @IntRange(min = 0, max = 2) int iterationsBefore,
                                                   @ForAll @IntRange(min = 1, max = 64 * 1024) int size,
                                                   @ForAll @IntRange(min = 1, max = 64 * 1024) int recvSize, @ForAll int seed) {
        EventLoop loop = track(newLoop());
        LoopSocket[] pair = Loopback.pair(loop, "SCK-08");
        track(pair[0]);
        track(pair[1]);
        for (int i = 0; i < cancelled; i++) {
            AsyncFuture<byte[]> waiting;
            try {
                waiting = loop.sockRecv(pair[1], recvSize);
            } catch (IllegalStateException busy) {
                throw new RuleViolation("SCK-08", "sockRecv refused after " + i + " cancelled sockRecv calls on the socket: " + busy);
            }
            if (iterationsBefore > 0) {
                LoopRuns.iterations(loop, iterationsBefore);
            }
            Check.that("SCK-08", waiting.cancel() && waiting.cancelled(), () -> "cancel() of a sockRecv waiting on a socket"
                    + " nobody wrote to: " + waiting);
            // as a task that awaited it resumes, a few iterations later (asyncio4j refuses a sockRecv in the same one)
            LoopRuns.iterations(loop, 3);
        }
        byte[] data = Bytes.pattern(seed, size);
        AsyncFuture<Void> sent = loop.sockSendall(pair[0], data);
        sent.addDoneCallback(d -> pair[0].close());
        // end of stream or a failure ends the reading: only the data is this rule's
        SockReceiver r = new SockReceiver(loop, pair[1], Math.max(recvSize, size / 64), 1); // a few bytes a call: short streams only
        LoopRuns.until(loop, () -> r.failed != null || r.empties > 0, "SCK-08", () -> "the " + size + " bytes sent after "
                + cancelled + " cancelled sockRecv calls, then end of stream; received " + r.got.size());
        Bytes.checkSame("SCK-08", data, r.got.toByteArray(), "bytes received after " + cancelled + " sockRecv calls were cancelled"
                + (r.failed == null ? "" : " (reading ended with " + r.failed + ")"));
    }

    /** Sizes of written chunks: small ones and up to 64 KiB. */
    @Provide
    default Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 512), Arbitraries.integers().between(1, 64 * 1024))
                .list().ofMaxSize(8);
    }

    /** Sizes of one write: none, small, and more than one read. */
    @Provide
    default Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 512), Arbitraries.integers().between(512, 512 * 1024));
    }

    /** Sizes of a sockSendall: small ones, and more than the loopback socket buffers hold at once. */
    @Provide
    default Arbitrary<Integer> streamSizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 64 * 1024)),
                Tuple.of(1, Arbitraries.integers().between(4 * 1024 * 1024, 6 * 1024 * 1024)));
    }

    private static List<String> expectedCallbacks(boolean data, boolean eof) {
        List<String> expected = new ArrayList<>(List.of("made"));
        if (data) {
            expected.add("data");
        }
        if (eof) {
            expected.add("eof");
        }
        expected.add("lost");
        return expected;
    }

    private static int firstLoss(List<String> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith("lost")) {
                return i;
            }
        }
        return -1;
    }

    /** A connection refused: a ConnectException naming ECONNREFUSED, no protocol made. */
    private static void refuse(EventLoop loop, int port) {
        int[] made = {0};
        Supplier<ConnectionRecorder> factory = () -> {
            made[0]++;
            return new ConnectionRecorder(false);
        };
        AsyncFuture<TransportAndProtocol<Transport, ConnectionRecorder>> f = loop.createConnection(factory, Loopback.HOST, port, null);
        LoopRuns.until(loop, f::done, "SCK-06", () -> "createConnection to a port that refuses connections to fail");
        if (!f.cancelled() && f.exception() == null) {
            f.result().transport().abort();
        }
        Throwable e = f.cancelled() ? null : f.exception();
        Check.that("SCK-06", e instanceof ConnectException && String.valueOf(e.getMessage()).contains("ECONNREFUSED"),
                () -> "createConnection to " + Loopback.HOST + ":" + port + ", which refuses connections: expected a"
                        + " ConnectException naming ECONNREFUSED, got " + (e == null ? f : e));
        Check.equal("SCK-06", 0, made[0], "protocols made for a refused connection");
    }
}
