package org.asyncio4j.proactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.Handle;
import org.asyncio4j.Protocol;
import org.asyncio4j.base.BaseEventLoop;
import org.asyncio4j.base.LoopFuture;
import org.asyncio4j.base.ReadPipeTransport;
import org.asyncio4j.base.SocketSupport;
import org.asyncio4j.base.WritePipeTransport;
import org.jspecify.annotations.Nullable;

/**
 * A completion-based event loop on NIO.2: CPython's {@code ProactorEventLoop}, portable where CPython's is
 * Windows-only.
 *
 * <p>I/O is started on the loop thread and finishes later: {@link #read}, {@link #write}, {@link #accept}
 * and {@link #connect} return a future at once; the loop's {@link AsynchronousChannelGroup} (its own daemon
 * threads, named {@code asyncio4j-loopN-proactor-K}) posts each completion to a completion queue, and the
 * loop thread, blocked there instead of in epoll, settles the future among the iteration's I/O callbacks.
 * Futures are therefore only ever completed on the loop thread. Timers, callbacks, futures, the executor,
 * the exception handler and signal handlers are {@link BaseEventLoop}'s.
 *
 * <p>Readiness callbacks on raw descriptors ({@link #addReader}, {@link #addWriter}) are not what a proactor
 * does and throw {@link UnsupportedOperationException}, as CPython's proactor lacks {@code add_reader}; use
 * the selector loop ({@code org.asyncio4j.unix.SelectorEventLoop}) for them. Consequently a watcher that needs
 * readiness ({@code PidfdChildWatcher}) cannot serve this loop; the signal-based and threaded
 * watchers can.
 *
 * <p>Subprocesses are started by {@link BaseEventLoop}'s spawner ({@code posix_spawn} under the policy's child
 * watcher), as on the selector loop; their pipes are this loop's own pipe transports.
 *
 * <p>Pipes ({@link #connectReadPipe}, {@link #connectWritePipe}) follow the same model, with one honest
 * difference: NIO.2 has no asynchronous pipe channel on Unix, so each read and write the loop starts is
 * performed by one pipe thread per loop ({@code asyncio4j-loopN-pipes}, started with the first pipe), which
 * waits for the OS in an epoll of its own and posts each completion to the loop. Closing the loop closes the
 * pipes it still owns.
 *
 * <p>Sockets ({@link #createConnection}, {@link #createServer}, {@link #openSocket} and the {@code sock*} calls) are
 * NIO.2 channels of the same group, with a completion socket transport: one read and one write in flight at a
 * time. Java 17's NIO.2 cannot choose a channel's address family (its sockets are dual-stack), set IPV6_V6ONLY
 * or cancel a pending read or accept: a cancelled {@code sockRecv} or {@code sockAccept} leaves its operation
 * running, and what it brings is kept for the next call, so nothing is lost.
 *
 * <p>Closing the loop shuts its channel group down: channels opened through {@link #openServer} and
 * {@link #openClient} (and those they accepted) are closed, pending operations are abandoned, and the
 * group's threads end before {@link #close()} returns.
 */
public class ProactorEventLoop extends BaseEventLoop {
    /** Default number of I/O threads: they only post completions, so one is enough. */
    public static final int DEFAULT_IO_THREADS = 1;

    private static final long GROUP_TERMINATION_SECONDS = 30;

    private final CompletionQueue completions = new CompletionQueue();
    private final AsynchronousChannelGroup group;
    private final List<Thread> groupThreads = new CopyOnWriteArrayList<>();
    private final PipePump pipes;
    private final ChannelPump channels;
    /** The loop's sockets, made on first use (loop thread only). */
    private ProactorSockets sockets;

    /** A new, open, not running loop with {@link #DEFAULT_IO_THREADS} I/O threads. */
    public ProactorEventLoop() {
        this(DEFAULT_IO_THREADS);
    }

    /**
     * A new, open, not running loop whose channel group has {@code ioThreads} threads.
     *
     * @param ioThreads the number of threads that complete I/O, at least 1
     * @throws IllegalArgumentException if {@code ioThreads < 1}
     * @throws UncheckedIOException if the channel group cannot be created
     */
    @SuppressWarnings("this-escape") // loopId() is final and reads a field BaseEventLoop's constructor has set
    public ProactorEventLoop(int ioThreads) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
        String prefix = "asyncio4j-loop" + loopId() + "-proactor-";
        pipes = new PipePump(completions, "asyncio4j-loop" + loopId() + "-pipes");
        channels = new ChannelPump(completions, "asyncio4j-loop" + loopId() + "-channels");
        AtomicInteger n = new AtomicInteger();
        try {
            group = AsynchronousChannelGroup.withFixedThreadPool(ioThreads, r -> {
                Thread t = new Thread(r, prefix + n.getAndIncrement());
                t.setDaemon(true);
                groupThreads.add(t);
                return t;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the proactor's channel group", e);
        }
    }

    // ----- BaseEventLoop's I/O hooks ------------------------------------------------------------

    /** Waits on the completion queue, then hands every posted completion to the iteration. */
    @Override
    protected void select(long timeoutNanos) {
        ArrayDeque<Runnable> done = completions.await(timeoutNanos);
        Runnable completion;
        while ((completion = done.poll()) != null) {
            addReady(new Handle(completion, this));
        }
    }

    @Override
    protected void wakeup() {
        completions.wake();
    }

    @Override
    protected void closeSelector() {
        if (sockets != null) {
            sockets.closeAll();
        }
        completions.close();
        pipes.shutdown();
        channels.shutdown();
        try {
            group.shutdownNow();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the channels of " + this + " failed", e);
        }
        awaitIoThreads();
    }

    /**
     * Joins the group's threads, so none outlives {@code close()} (the pool reports termination while its
     * last thread is still on its way out). An interrupt does not cut the wait short but is preserved.
     */
    private void awaitIoThreads() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GROUP_TERMINATION_SECONDS);
        boolean interrupted = false;
        for (Thread t : groupThreads) {
            while (t.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(Level.WARNING, t.getName() + " of " + this + " did not end within "
                            + GROUP_TERMINATION_SECONDS + " s of close()");
                    break;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ----- completion-based I/O -----------------------------------------------------------------

    /**
     * Opens a server socket bound to {@code local} (port 0: any free port) in this loop's channel group.
     *
     * @param local the address to bind
     * @return the bound server channel, which the caller closes
     * @throws IOException if it cannot be opened or bound
     * @throws IllegalStateException "Event loop is closed"
     */
    public AsynchronousServerSocketChannel openServer(InetSocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local");
        checkClosed();
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group);
        try {
            return server.bind(local);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Opens an unconnected client socket in this loop's channel group; see {@link #connect}.
     *
     * @return the channel, which the caller closes
     * @throws IOException if it cannot be opened
     * @throws IllegalStateException "Event loop is closed"
     */
    public AsynchronousSocketChannel openClient() throws IOException {
        checkClosed();
        return AsynchronousSocketChannel.open(group);
    }

    /**
     * Accepts one connection on {@code server}. The future completes, on the loop thread, with the new
     * channel, or fails with the {@link IOException} NIO.2 reported.
     *
     * @param server a bound server channel of this loop's group
     * @return a future of the accepted channel
     * @throws IllegalStateException "Event loop is closed", or NIO.2's usage errors such as
     *     {@link java.nio.channels.AcceptPendingException} and {@link java.nio.channels.NotYetBoundException}
     */
    public AsyncFuture<AsynchronousSocketChannel> accept(AsynchronousServerSocketChannel server) {
        Objects.requireNonNull(server, "server");
        IoCompletion<AsynchronousSocketChannel> op = begin();
        server.accept(null, op);
        return op.future();
    }

    /**
     * Connects {@code channel} to {@code remote}. The future completes with null once connected, or fails
     * with the {@link IOException} (e.g. {@link java.net.ConnectException} when refused).
     *
     * @param channel a channel from {@link #openClient()}
     * @param remote the address to connect to
     * @return a future that completes with null once connected
     * @throws IllegalStateException "Event loop is closed", or NIO.2's usage errors such as
     *     {@link java.nio.channels.AlreadyConnectedException}
     */
    public AsyncFuture<@Nullable Void> connect(AsynchronousSocketChannel channel, SocketAddress remote) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(remote, "remote");
        IoCompletion<Void> op = begin();
        channel.connect(remote, null, op);
        return op.future();
    }

    /**
     * Reads into {@code dst} once. The future completes with the number of bytes read (at least one unless
     * {@code dst} has no room), or -1 at end of stream.
     *
     * @param channel a connected channel of this loop's group
     * @param dst the buffer to read into, from its position
     * @return a future of the number of bytes read, or -1
     * @throws IllegalStateException "Event loop is closed", or NIO.2's usage errors such as
     *     {@link java.nio.channels.ReadPendingException} and {@link java.nio.channels.NotYetConnectedException}
     */
    public AsyncFuture<Integer> read(AsynchronousSocketChannel channel, ByteBuffer dst) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(dst, "dst");
        IoCompletion<Integer> op = begin();
        channel.read(dst, null, op);
        return op.future();
    }

    /**
     * Writes from {@code src} once. The future completes with the number of bytes written, which may be
     * fewer than remained: write the rest with another call once it is done.
     *
     * @param channel a connected channel of this loop's group
     * @param src the bytes to write, from its position to its limit
     * @return a future of the number of bytes written
     * @throws IllegalStateException "Event loop is closed", or NIO.2's usage errors such as
     *     {@link java.nio.channels.WritePendingException} and {@link java.nio.channels.NotYetConnectedException}
     */
    public AsyncFuture<Integer> write(AsynchronousSocketChannel channel, ByteBuffer src) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(src, "src");
        IoCompletion<Integer> op = begin();
        channel.write(src, null, op);
        return op.future();
    }

    /**
     * Checks the loop and creates an operation's completion. Cancelling the returned future does not
     * abort the operation (NIO.2 cannot cancel a handler-based one without closing the channel): its
     * outcome is dropped, and data a cancelled read received is lost. Close the channel to abort.
     */
    private <T> IoCompletion<T> begin() {
        checkClosed();
        checkThread();
        return new IoCompletion<>(new LoopFuture<>(this), completions);
    }

    // ----- pipes ---------------------------------------------------------------------------------

    /** A transport whose reads are operations completed by the loop's pipe thread, at most 64 KiB each. */
    @Override
    protected ReadPipeTransport makeReadPipeTransport(int fd, Protocol protocol) {
        adopt(fd);
        return new ProactorReadPipeTransport(this, pipes, fd, protocol);
    }

    /** A transport with one write operation in flight at a time. */
    @Override
    protected WritePipeTransport makeWritePipeTransport(int fd, BaseProtocol protocol) {
        adopt(fd);
        return new ProactorWritePipeTransport(this, pipes, fd, protocol);
    }

    /** Makes {@code fd} non-blocking and hands it to the pipe thread, which closes it in the end. */
    private void adopt(int fd) {
        setPipeNonBlocking(fd);
        pipes.adopt(fd);
    }

    // ----- readiness: not a proactor's business ---------------------------------------------------

    /** @throws UnsupportedOperationException always: a proactor completes operations, it does not poll fds */
    @Override
    public void addReader(int fd, Runnable callback) {
        throw noReadiness("addReader");
    }

    /** @throws UnsupportedOperationException always: a proactor completes operations, it does not poll fds */
    @Override
    public void addWriter(int fd, Runnable callback) {
        throw noReadiness("addWriter");
    }

    /** False: no reader can be registered with a proactor. */
    @Override
    public boolean removeReader(int fd) {
        return false;
    }

    /** False: no writer can be registered with a proactor. */
    @Override
    public boolean removeWriter(int fd) {
        return false;
    }

    private static UnsupportedOperationException noReadiness(String method) {
        return new UnsupportedOperationException("ProactorEventLoop is completion-based and does not watch file "
                + "descriptors for readiness (" + method + "): use read/write/accept/connect on NIO.2 channels, "
                + "or org.asyncio4j.unix.SelectorEventLoop for " + method);
    }

    // ----- sockets (issue 14): see ProactorSockets -------------------------------------------------

    /**
     * The thread that completes the loop's datagram and Unix-domain operations (NIO.2 has no asynchronous channel
     * for either).
     */
    ChannelPump channels() {
        return channels;
    }

    /** The channel group the loop's sockets belong to. */
    AsynchronousChannelGroup channelGroup() {
        return group;
    }

    @Override
    protected SocketSupport socketSupport() {
        checkClosed();
        checkThread();
        if (sockets == null) {
            sockets = new ProactorSockets(this);
        }
        return sockets;
    }
}
