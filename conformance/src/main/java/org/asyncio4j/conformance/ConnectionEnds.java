package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.asyncio4j.EventLoop;

/**
 * The ends of a socket property's connections: recorders for the connecting ends and for those a server accepts,
 * and, when the try ends, an abort of every transport still open, so that the loop closes with no connection left
 * (a loop closed with open transports warns about each).
 */
final class ConnectionEnds implements AutoCloseable {
    private final EventLoop loop;
    private final List<ConnectionRecorder> clients = new ArrayList<>();
    private final List<ConnectionRecorder> accepted = new ArrayList<>();

    ConnectionEnds(EventLoop loop) {
        this.loop = loop;
    }

    /** A recorder for a connecting end, answering eofReceived with {@code keepOpen}. */
    ConnectionRecorder client(boolean keepOpen) {
        ConnectionRecorder r = new ConnectionRecorder(keepOpen);
        clients.add(r);
        return r;
    }

    /** The protocol factory of a server: a recorder per accepted connection, pausing reading when made if {@code slowReader}. */
    Supplier<ConnectionRecorder> acceptedBy(boolean keepOpen, boolean slowReader) {
        return () -> {
            ConnectionRecorder r = new ConnectionRecorder(keepOpen);
            r.pauseReadingWhenMade = slowReader;
            accepted.add(r);
            return r;
        };
    }

    /** Runs the loop until {@code n} connections were accepted and made; fails on {@code rule} if they never are. */
    List<ConnectionRecorder> awaitAccepted(int n, String rule) {
        LoopRuns.until(loop, () -> accepted.size() >= n && accepted.stream().allMatch(ConnectionRecorder::made), rule,
                () -> n + " connections accepted by the server, connectionMade called; accepted " + accepted.size());
        return List.copyOf(accepted);
    }

    @Override
    public void close() {
        if (loop.isClosed() || loop.isRunning()) {
            return;
        }
        List<ConnectionRecorder> all = new ArrayList<>(clients);
        all.addAll(accepted);
        for (ConnectionRecorder r : all) {
            if (r.transport != null && !r.lost()) {
                r.transport.abort();
            }
        }
        LoopRuns.iterations(loop, 3);
    }
}
