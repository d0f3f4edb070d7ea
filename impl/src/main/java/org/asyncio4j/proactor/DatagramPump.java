package org.asyncio4j.proactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.asyncio4j.internal.Loggers;
import org.jspecify.annotations.Nullable;

/**
 * Completes the proactor's datagram operations. NIO.2 has no asynchronous datagram channel, so one thread per
 * loop ({@code asyncio4j-loopN-datagrams}, started with the first UDP endpoint, joined by the loop's
 * {@code close()}) waits on a {@link Selector} for the loop's non-blocking {@link DatagramChannel}s, as
 * {@link PipePump} does for pipes: it performs each receive the loop starts (one datagram per request) and
 * reports when a socket the loop found full is writable again, posting each completion to the loop's completion
 * queue. The loop sees only operations and completions, never readiness.
 */
final class DatagramPump {
    /** Bytes one receive can take: a UDP datagram's most. */
    static final int MAX_DATAGRAM = 64 * 1024;
    private static final long JOIN_SECONDS = 30;

    /** How a receive completes, on the loop thread: a datagram and its sender, or an error. */
    interface Received {
        void done(byte @Nullable [] data, @Nullable InetSocketAddress sender, @Nullable IOException error);
    }

    /** What the loop waits for on one channel. */
    private static final class Pending {
        @Nullable Received receive;
        @Nullable Runnable writable;

        int interest() {
            return (receive != null ? SelectionKey.OP_READ : 0) | (writable != null ? SelectionKey.OP_WRITE : 0);
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

    DatagramPump(CompletionQueue completions, String threadName) {
        this.completions = completions;
        this.threadName = threadName;
    }

    // ----- the loop thread's side ------------------------------------------------------------------

    /** Receives one datagram on {@code channel}; {@code done} runs on the loop thread. */
    void receive(DatagramChannel channel, Received done) {
        submit(() -> pending(channel, p -> p.receive = done));
    }

    /** Runs {@code done} on the loop thread once {@code channel} may take a datagram again. */
    void whenWritable(DatagramChannel channel, Runnable done) {
        submit(() -> pending(channel, p -> p.writable = done));
    }

    /** Drops what is pending on {@code channel}, which the caller closes: the pump does nothing more with it. */
    void forget(DatagramChannel channel) {
        submit(() -> {
            SelectionKey key = channel.keyFor(selector);
            if (key != null) {
                key.cancel();
            }
        });
    }

    private void submit(Runnable request) {
        Selector s;
        synchronized (lock) {
            if (stopping) {
                return; // the loop is closing: its sockets close with it
            }
            if (thread == null) {
                startThread();
            }
            requests.add(request);
            s = selector;
        }
        s.wakeup();
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

    private void pending(DatagramChannel channel, Consumer<Pending> change) {
        SelectionKey key = channel.keyFor(selector);
        Pending p = key != null && key.isValid() ? (Pending) key.attachment() : new Pending();
        change.accept(p);
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
            Loggers.LOG.log(Level.ERROR, threadName + " failed; datagram operations of this loop will not complete", e);
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
        DatagramChannel channel = (DatagramChannel) key.channel();
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0 && p.receive != null) {
            Received done = p.receive;
            buffer.clear();
            try {
                InetSocketAddress sender = (InetSocketAddress) channel.receive(buffer);
                if (sender != null) {
                    buffer.flip();
                    byte[] data = new byte[buffer.remaining()];
                    buffer.get(data);
                    p.receive = null;
                    completions.post(() -> done.done(data, sender, null));
                }
            } catch (IOException e) {
                p.receive = null;
                completions.post(() -> done.done(null, null, e));
            }
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && p.writable != null) {
            Runnable done = p.writable;
            p.writable = null;
            completions.post(done);
        }
        if (key.isValid()) {
            key.interestOps(p.interest());
        }
    }
}
