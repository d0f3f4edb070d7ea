package org.asyncio4j.proactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.internal.Loggers;
import org.jspecify.annotations.Nullable;

/**
 * Completes the proactor's operations on selectable channels: NIO.2 has no asynchronous datagram channel and no
 * asynchronous Unix-domain channel, so one thread per loop ({@code asyncio4j-loopN-channels}, started with the
 * first such channel, joined by the loop's {@code close()}) waits on a {@link Selector} for the loop's
 * non-blocking {@link DatagramChannel}s, Unix-domain {@link SocketChannel}s and {@link ServerSocketChannel}s, as
 * {@link PipePump} does for pipes. It performs each receive and read the loop starts (one result per request),
 * finishes connects, and reports when a listening channel has a connection to accept (the loop accepts it, so
 * that no descriptor travels in a completion) or a channel the loop found full is writable again, posting each
 * completion to the loop's completion queue.
 */
final class ChannelPump {
    /** Bytes one receive or read can take: a UDP datagram's most. */
    static final int MAX_DATAGRAM = 64 * 1024;
    private static final long JOIN_SECONDS = 30;
    private static final long FORGET_SECONDS = 5;

    /** How a receive completes, on the loop thread: a datagram and its sender, or an error. */
    interface Received {
        void done(byte @Nullable [] data, @Nullable InetSocketAddress sender, @Nullable IOException error);
    }

    /** How a stream read completes, on the loop thread: the bytes read, null at end of stream, or an error. */
    interface Read {
        void done(byte @Nullable [] data, @Nullable IOException error);
    }

    /** How a connect completes, on the loop thread: null once connected, or the error. */
    interface Connected {
        void done(@Nullable IOException error);
    }

    /** One attempt at an operation on the pump thread once the channel is ready: false to wait again. */
    private interface Attempt {
        boolean tryNow();
    }

    /** What the loop waits for on one channel: one operation per direction. */
    private static final class Pending {
        @Nullable Attempt inbound;
        int inboundOp;
        @Nullable Attempt outbound;
        int outboundOp;

        int interest() {
            return (inbound != null ? inboundOp : 0) | (outbound != null ? outboundOp : 0);
        }
    }

    private final CompletionQueue completions;
    private final String threadName;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> requests = new ArrayDeque<>(); // guarded by lock
    private boolean stopping;                                        // guarded by lock
    private @Nullable Thread thread;                                 // guarded by lock
    private @Nullable Selector selector;                             // set before the thread starts

    // pump thread only
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);

    ChannelPump(CompletionQueue completions, String threadName) {
        this.completions = completions;
        this.threadName = threadName;
    }

    // ----- the loop thread's side ------------------------------------------------------------------

    /** Receives one datagram on {@code channel}; {@code done} runs on the loop thread. */
    void receive(DatagramChannel channel, Received done) {
        submit(() -> pending(channel, true, SelectionKey.OP_READ, () -> {
            buffer.clear();
            try {
                InetSocketAddress sender = (InetSocketAddress) channel.receive(buffer);
                if (sender == null) {
                    return false;
                }
                byte[] data = taken();
                completions.post(() -> done.done(data, sender, null));
            } catch (IOException e) {
                completions.post(() -> done.done(null, null, e));
            }
            return true;
        }));
    }

    /** Reads what {@code channel} has (at most {@link #MAX_DATAGRAM} bytes); {@code done} runs on the loop thread. */
    void read(SocketChannel channel, Read done) {
        submit(() -> pending(channel, true, SelectionKey.OP_READ, () -> {
            buffer.clear();
            try {
                int n = channel.read(buffer);
                if (n == 0) {
                    return false;
                }
                byte[] data = n < 0 ? null : taken();
                completions.post(() -> done.done(data, null));
            } catch (IOException e) {
                completions.post(() -> done.done(null, e));
            }
            return true;
        }));
    }

    /**
     * Runs {@code done} on the loop thread once {@code channel} has a connection to accept. The loop accepts it
     * itself, so that no accepted descriptor can be lost in a completion dropped while the loop closes.
     */
    void whenAcceptable(ServerSocketChannel channel, Runnable done) {
        submit(() -> pending(channel, true, SelectionKey.OP_ACCEPT, () -> {
            completions.post(done);
            return true;
        }));
    }

    /** Finishes the connect {@code channel} has in progress; {@code done} runs on the loop thread. */
    void finishConnect(SocketChannel channel, Connected done) {
        submit(() -> pending(channel, false, SelectionKey.OP_CONNECT, () -> {
            try {
                if (!channel.finishConnect()) {
                    return false;
                }
                completions.post(() -> done.done(null));
            } catch (IOException e) {
                completions.post(() -> done.done(e));
            }
            return true;
        }));
    }

    /** Runs {@code done} on the loop thread once {@code channel} may take data again. */
    void whenWritable(SelectableChannel channel, Runnable done) {
        submit(() -> pending(channel, false, SelectionKey.OP_WRITE, () -> {
            completions.post(done);
            return true;
        }));
    }

    /**
     * Drops what is pending on {@code channel}, which the caller then closes: the pump does nothing more with
     * it, and its selector lets go of it before this returns. A channel still registered with a selector is
     * closed only once deregistered, so without this wait a closed listening socket could still take
     * connections for a moment. Starts no pump thread; waits at most five seconds.
     */
    void forget(SelectableChannel channel) {
        synchronized (lock) {
            if (thread == null) {
                return;
            }
        }
        CountDownLatch released = new CountDownLatch(1);
        if (!submit(() -> {
            try {
                SelectionKey key = channel.keyFor(selector);
                if (key != null) {
                    key.cancel();
                    selector.selectNow(); // deregisters the cancelled key now
                }
            } catch (IOException e) {
                Loggers.LOG.log(Level.WARNING, threadName + " could not release " + channel, e);
            } finally {
                released.countDown();
            }
        })) {
            return; // the pump is stopping: closing its selector releases every channel
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FORGET_SECONDS);
        while (released.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                released.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (released.getCount() > 0) {
            Loggers.LOG.log(Level.WARNING, threadName + " did not release " + channel + " within " + FORGET_SECONDS
                    + " s");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues {@code request} for the pump thread; false, dropping it, once the pump is stopping. */
    private boolean submit(Runnable request) {
        Selector s;
        synchronized (lock) {
            if (stopping) {
                return false; // the loop is closing: its sockets close with it
            }
            if (thread == null) {
                startThread();
            }
            requests.add(request);
            s = selector;
        }
        s.wakeup();
        return true;
    }

    private void startThread() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + threadName + ": " + e.getMessage(), e);
        }
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the pump thread, which closes its selector, and waits for it to end. */
    void shutdown() {
        Thread t;
        synchronized (lock) {
            stopping = true;
            t = thread;
        }
        if (t == null) {
            return;
        }
        selector.wakeup();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_SECONDS);
        while (t.isAlive() && System.nanoTime() < deadline) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (t.isAlive()) {
            Loggers.LOG.log(Level.WARNING, threadName + " did not end within " + JOIN_SECONDS + " s of close()");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ----- the pump thread -------------------------------------------------------------------------

    private void pending(SelectableChannel channel, boolean inbound, int op, Attempt attempt) {
        SelectionKey key = channel.keyFor(selector);
        Pending p = key != null && key.isValid() ? (Pending) key.attachment() : new Pending();
        if (inbound) {
            p.inbound = attempt;
            p.inboundOp = op;
        } else {
            p.outbound = attempt;
            p.outboundOp = op;
        }
        try {
            if (key == null || !key.isValid()) {
                channel.register(selector, p.interest(), p);
            } else {
                key.interestOps(p.interest());
            }
        } catch (ClosedChannelException | CancelledKeyException closed) {
            // closed by the loop meanwhile: it has already failed what waited on it
        }
    }

    /** {@return what the last receive or read put in the buffer} */
    private byte[] taken() {
        buffer.flip();
        byte[] data = new byte[buffer.remaining()];
        buffer.get(data);
        return data;
    }

    private void run() {
        try {
            while (true) {
                ArrayDeque<Runnable> batch;
                boolean stop;
                synchronized (lock) {
                    stop = stopping;
                    batch = new ArrayDeque<>(requests);
                    requests.clear();
                }
                if (stop) {
                    break;
                }
                for (Runnable request : batch) {
                    request.run();
                }
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        ready(key);
                    } catch (CancelledKeyException closed) {
                        // the loop closed the channel meanwhile
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException | Error e) {
            Loggers.LOG.log(Level.ERROR, threadName + " failed; channel operations of this loop will not complete", e);
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // the channels are closed by their owners
            }
        }
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Pending p = (Pending) key.attachment();
        int ready = key.readyOps();
        if (p.inbound != null && (ready & p.inboundOp) != 0 && p.inbound.tryNow()) {
            p.inbound = null;
        }
        if (p.outbound != null && (ready & p.outboundOp) != 0 && p.outbound.tryNow()) {
            p.outbound = null;
        }
        if (key.isValid()) {
            key.interestOps(p.interest());
        }
    }
}
