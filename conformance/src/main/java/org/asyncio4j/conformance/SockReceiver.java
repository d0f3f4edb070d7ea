package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;

/**
 * Receives from a socket with one {@code sockRecv} after the other, as the loop completes them: keeps the bytes,
 * counts the empty arrays of end of stream (calling again until {@code callsAtEnd} of them), and stops at the first
 * failure, keeping it.
 */
final class SockReceiver {
    private final EventLoop loop;
    private final LoopSocket socket;
    private final int n;
    private final int callsAtEnd;
    final ByteArrayOutputStream got = new ByteArrayOutputStream();
    int empties;
    Throwable failed;

    SockReceiver(EventLoop loop, LoopSocket socket, int n, int callsAtEnd) {
        this.loop = loop;
        this.socket = socket;
        this.n = n;
        this.callsAtEnd = callsAtEnd;
        next();
    }

    private void next() {
        AsyncFuture<byte[]> f;
        try {
            f = loop.sockRecv(socket, n);
        } catch (RuntimeException e) {
            failed = e;
            return;
        }
        f.addDoneCallback(done -> {
            if (done.cancelled()) {
                failed = new IllegalStateException("a sockRecv nobody cancelled was cancelled");
            } else if (done.exception() != null) {
                failed = done.exception();
            } else if (done.result().length == 0) {
                if (++empties < callsAtEnd) {
                    next();
                }
            } else {
                got.writeBytes(done.result());
                next();
            }
        });
    }
}
