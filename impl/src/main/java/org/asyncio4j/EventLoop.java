package org.asyncio4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An event loop: asyncio's {@code AbstractEventLoop}.
 *
 * <p>A loop runs callbacks, timers, I/O readiness callbacks and signal handlers on the one thread
 * that runs it. Apart from {@link #callSoonThreadsafe}, {@link #isRunning}, {@link #isClosed} and
 * {@link #time}, its methods must be called from that thread (or while it is not running).
 * Misuse raises the exceptions that CPython raises, with the same messages; the rule IDs in parentheses
 * are those listed in the conformance kit's {@code RULES.md}.
 */
public interface EventLoop extends AutoCloseable {

    /** Runs until {@link #stop()} is called (LOOP-02..06). */
    void runForever();

    /**
     * Runs until {@code future} is done and returns its result (LOOP-10..13).
     *
     * @param <T> the type of the result
     * @param future the future to wait for, of this loop
     * @return the future's result
     * @throws IllegalStateException "Event loop stopped before Future completed." when the loop stopped first
     * @throws java.util.concurrent.CancellationException if the future was cancelled
     * @throws IllegalArgumentException if the future belongs to another loop
     */
    <T> T runUntilComplete(AsyncFuture<T> future);

    /** Asks the loop to stop at the end of the current iteration; does not wake a sleeping loop (LOOP-03, LOOP-06). */
    void stop();

    /** {@return true while {@code runForever} runs, as seen from any thread} */
    boolean isRunning();

    /** {@return true once {@link #close()} has been called} */
    boolean isClosed();

    /**
     * Closes the loop: drops pending callbacks and timers, removes its signal handlers and shuts down the
     * default executor without waiting. Idempotent (LOOP-16..19).
     *
     * @throws IllegalStateException "Cannot close a running event loop"
     */
    @Override
    void close();

    /**
     * Schedules {@code callback} to run once, in FIFO order with the others (LOOP-23, LOOP-24).
     *
     * @param callback what to run on the loop's thread
     * @return a handle that can cancel the call
     */
    Handle callSoon(Runnable callback);

    /**
     * Like {@link #callSoon}, but safe from any thread; wakes a sleeping loop (LOOP-38).
     *
     * @param callback what to run on the loop's thread
     * @return a handle that can cancel the call
     */
    Handle callSoonThreadsafe(Runnable callback);

    /**
     * Schedules {@code callback} to run {@code delaySeconds} from now; zero and negative delays are due at once
     * (LOOP-25, LOOP-27).
     *
     * @param delaySeconds the delay in seconds
     * @param callback what to run on the loop's thread
     * @return a handle that can cancel the timer and tells when it is due
     */
    TimerHandle callLater(double delaySeconds, Runnable callback);

    /**
     * Schedules {@code callback} at the absolute time {@code when} on the {@link #time()} clock (LOOP-26).
     *
     * @param when the due time, in seconds on the {@link #time()} clock
     * @param callback what to run on the loop's thread
     * @return a handle that can cancel the timer
     */
    TimerHandle callAt(double when, Runnable callback);

    /** {@return monotonic time in seconds; the epoch is unspecified (LOOP-35)} */
    double time();

    /**
     * {@return a new pending future bound to this loop}
     *
     * @param <T> the type of the future's result
     */
    <T> AsyncFuture<T> createFuture();

    /**
     * Runs {@code fn} on {@code executor} (null: the loop's default executor) and returns a future of this
     * loop that completes, on the loop's thread, with its outcome (LOOP-45).
     *
     * @param <T> the type of the result
     * @param executor where to run {@code fn}, or null for the loop's default executor
     * @param fn the blocking work
     * @return a future of this loop with {@code fn}'s result or exception
     */
    <T> AsyncFuture<T> runInExecutor(@Nullable Executor executor, Callable<T> fn);

    /**
     * Shuts down the loop's default executor and returns a future that completes once its threads have finished
     * their work: CPython's {@code shutdown_default_executor()}. Later {@code runInExecutor(null, ...)} calls
     * fail. A loop without a default executor of its own may keep this default, which completes at once.
     *
     * @return a future of this loop, done when the default executor has terminated
     * @throws IllegalStateException "Event loop is closed" if the loop is closed
     */
    default AsyncFuture<@Nullable Void> shutdownDefaultExecutor() {
        if (isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
        AsyncFuture<@Nullable Void> done = createFuture();
        done.setResult(null);
        return done;
    }

    /**
     * Calls {@code callback} on the loop whenever {@code fd} is readable; replaces an earlier reader for fd.
     *
     * @param fd an open file descriptor
     * @param callback what to run on the loop's thread while fd is readable
     */
    void addReader(int fd, Runnable callback);

    /**
     * Stops watching {@code fd} for reading.
     *
     * @param fd the descriptor given to {@link #addReader}
     * @return true if a reader was registered
     */
    boolean removeReader(int fd);

    /**
     * Calls {@code callback} on the loop whenever {@code fd} is writable; replaces an earlier writer for fd.
     *
     * @param fd an open file descriptor
     * @param callback what to run on the loop's thread while fd is writable
     */
    void addWriter(int fd, Runnable callback);

    /**
     * Stops watching {@code fd} for writing.
     *
     * @param fd the descriptor given to {@link #addWriter}
     * @return true if a writer was registered
     */
    boolean removeWriter(int fd);

    /**
     * Calls {@code callback} on the loop each time the process receives signal {@code signum} (LOOP-55..62).
     * Replaces an earlier handler of this loop for the same signal.
     *
     * @param signum the signal number, 1 to 64
     * @param callback what to run on the loop's thread
     * @throws IllegalArgumentException "invalid signal number N" when out of range
     * @throws IllegalStateException "sig N cannot be caught" for SIGKILL, SIGSTOP and JVM-reserved signals
     * @throws UnsupportedOperationException on a loop without signal support
     */
    void addSignalHandler(int signum, Runnable callback);

    /**
     * Removes this loop's handler for {@code signum} (LOOP-60).
     *
     * @param signum the signal number
     * @return false when there was none
     */
    boolean removeSignalHandler(int signum);

    /**
     * Starts {@code argv} as a child process watched by the policy's child watcher, its pipes connected to a new
     * protocol through a {@link SubprocessTransport}: CPython's {@code subprocess_exec}. The spawn happens on
     * the loop (at once when called there, else once the loop runs). The protocol's callbacks follow the SUB
     * rules: {@code connectionMade} first and before the future completes, {@code connectionLost} once, last,
     * after the exit and the close of every pipe.
     *
     * @param protocolFactory makes the protocol, called once on the loop
     * @param argv the program and its arguments; not empty, no null, no NUL
     * @param options where the streams go and how the child starts; null for {@link SubprocessOptions#defaults()}
     * @param <P> the protocol type
     * @return a future of this loop with the transport and the protocol; failed with a
     *     {@link java.io.FileNotFoundException} or {@link java.io.IOException} naming the program and the errno
     *     when the spawn fails, or an {@link IllegalStateException} when the watcher is not active
     * @throws IllegalArgumentException for an empty argv, an empty program or an argument holding NUL
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no subprocess transports (this default)
     */
    default <P extends SubprocessProtocol> AsyncFuture<TransportAndProtocol<SubprocessTransport, P>> subprocessExec(
            Supplier<? extends P> protocolFactory, List<String> argv, SubprocessOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement subprocessExec");
    }

    /**
     * {@link #subprocessExec(Supplier, List, SubprocessOptions)} of {@code /bin/sh -c command}: CPython's
     * {@code subprocess_shell}.
     *
     * @param protocolFactory makes the protocol, called once on the loop
     * @param command the shell command; not null
     * @param options where the streams go and how the child starts; null for the defaults
     * @param <P> the protocol type
     * @return a future of this loop with the transport and the protocol
     * @throws UnsupportedOperationException if this loop has no subprocess transports (this default)
     */
    default <P extends SubprocessProtocol> AsyncFuture<TransportAndProtocol<SubprocessTransport, P>> subprocessShell(
            Supplier<? extends P> protocolFactory, String command, SubprocessOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement subprocessShell");
    }

    /**
     * Starts {@code argv} as a child process whose pipes are streams ({@link Subprocess#stdin()},
     * {@link Subprocess#stdout()}, {@link Subprocess#stderr()}): CPython's {@code create_subprocess_exec}, built
     * on {@link #subprocessExec(Supplier, List, SubprocessOptions)}.
     *
     * @param argv the program and its arguments
     * @param options where the streams go and how the child starts; null for the defaults
     * @return a future of this loop with the process
     */
    default AsyncFuture<Subprocess> subprocessExec(List<String> argv, SubprocessOptions options) {
        return StreamSubprocess.start(this, factory -> subprocessExec(factory, argv, options));
    }

    /**
     * Starts {@code /bin/sh -c command} as a child process whose pipes are streams: CPython's
     * {@code create_subprocess_shell}; see {@link #subprocessExec(List, SubprocessOptions)}.
     *
     * @param command the shell command; not null
     * @param options where the streams go and how the child starts; null for the defaults
     * @return a future of this loop with the process
     */
    default AsyncFuture<Subprocess> subprocessShell(String command, SubprocessOptions options) {
        return StreamSubprocess.start(this, factory -> subprocessShell(factory, command, options));
    }

    /**
     * Connects the read end of a pipe (or a character device or socket) to a new protocol: CPython's
     * {@code connect_read_pipe}. The transport takes {@code fd} over: it makes it non-blocking and closes it
     * once the protocol's {@code connectionLost} has run. The protocol's {@code connectionMade} runs on the
     * loop before the future completes; then {@code dataReceived} with each chunk, {@code eofReceived} at end
     * of file, and {@code connectionLost} last.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol, called once on the loop
     * @param fd an open descriptor, readable, which the transport owns from now on
     * @return a future of this loop with the transport and the protocol
     * @throws NullPointerException if {@code protocolFactory} is null
     * @throws IllegalArgumentException "Invalid file descriptor: N" if {@code fd < 0}
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no pipe transports (this default)
     */
    default <P extends Protocol> AsyncFuture<TransportAndProtocol<ReadTransport, P>> connectReadPipe(
            Supplier<? extends P> protocolFactory, int fd) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement connectReadPipe");
    }

    /**
     * Connects the write end of a pipe (or a character device or socket) to a new protocol: CPython's
     * {@code connect_write_pipe}. The transport takes {@code fd} over as {@link #connectReadPipe} does; it
     * notices when the read end is closed (the protocol's {@code connectionLost} gets null, or an
     * {@link java.io.IOException} if data was still buffered).
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol, called once on the loop
     * @param fd an open descriptor, writable, which the transport owns from now on
     * @return a future of this loop with the transport and the protocol
     * @throws NullPointerException if {@code protocolFactory} is null
     * @throws IllegalArgumentException "Invalid file descriptor: N" if {@code fd < 0}
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no pipe transports (this default)
     */
    default <P extends BaseProtocol> AsyncFuture<TransportAndProtocol<WriteTransport, P>> connectWritePipe(
            Supplier<? extends P> protocolFactory, int fd) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement connectWritePipe");
    }

    // ----- sockets (issue 14): CPython's socket methods of the loop, shaped as Java ---------------------------

    /**
     * Makes a non-blocking TCP socket for this loop's socket calls (CPython's callers make a
     * {@code socket.socket} and {@code setblocking(False)} themselves).
     *
     * @param family {@link java.net.StandardProtocolFamily#INET} or {@link java.net.StandardProtocolFamily#INET6}
     * @return an unbound, unconnected socket; the caller closes it unless a transport or server takes it over
     * @throws IOException if the OS refuses (EMFILE, say), naming the errno
     * @throws IllegalArgumentException "family must be INET or INET6: UNIX"
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default LoopSocket openSocket(StandardProtocolFamily family) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement openSocket");
    }

    /**
     * Connects {@code sock} to {@code address}: CPython's {@code sock_connect}. Cancelling the future stops
     * waiting (the socket is left half-connected: close it).
     *
     * @param sock an unconnected socket of this loop
     * @param address a resolved address
     * @return a future of this loop done with null once connected, or failed with a
     *     {@link java.net.ConnectException} (ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EHOSTUNREACH) or another
     *     {@link IOException} naming the errno and the address
     * @throws IllegalArgumentException for a socket of another loop or an unresolved address, naming it
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<@Nullable Void> sockConnect(LoopSocket sock, InetSocketAddress address) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sockConnect");
    }

    /**
     * Accepts one connection on a listening socket: CPython's {@code sock_accept}. Cancelling the future stops
     * waiting; no connection is taken from the queue then.
     *
     * @param sock a listening socket of this loop
     * @return a future of this loop with the connected socket (its {@link LoopSocket#remoteAddress()} is the
     *     peer's), which the caller owns; or failed with an {@link IOException} naming the errno
     * @throws IllegalArgumentException for a socket of another loop
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<LoopSocket> sockAccept(LoopSocket sock) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sockAccept");
    }

    /**
     * Receives up to {@code n} bytes: CPython's {@code sock_recv}. Cancelling the future stops waiting and
     * receives nothing.
     *
     * @param sock a connected socket of this loop
     * @param n the most bytes to receive; at least 0
     * @return a future of this loop with the bytes received, empty at end of stream; or failed with an
     *     {@link IOException} naming the errno ({@code ECONNRESET} for a reset connection)
     * @throws IllegalArgumentException "n must be >= 0: N", or a socket of another loop
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<byte[]> sockRecv(LoopSocket sock, int n) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sockRecv");
    }

    /**
     * Sends all of {@code data}: CPython's {@code sock_sendall}. Cancelling the future stops sending; how much
     * was sent is then unknown.
     *
     * @param sock a connected socket of this loop
     * @param data the bytes to send (copied at once: the caller may reuse the array)
     * @return a future of this loop done with null once the OS took every byte; or failed with an
     *     {@link IOException} naming the errno ({@code EPIPE}, {@code ECONNRESET})
     * @throws IllegalArgumentException for a socket of another loop
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<@Nullable Void> sockSendall(LoopSocket sock, byte[] data) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sockSendall");
    }

    /**
     * Wraps a connected socket in a transport with a new protocol: CPython's {@code connect_accepted_socket}.
     * The transport owns the socket from then on. Callback order as for pipes: {@code connectionMade} before the
     * future completes; {@code dataReceived}, {@code eofReceived} (returning true keeps the transport open for
     * writing: a half-close), {@code connectionLost} exactly once and last.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol, called once on the loop
     * @param sock a connected socket of this loop
     * @return a future of this loop with the transport and the protocol
     * @throws IllegalArgumentException for a socket of another loop, or a closed one
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement connectAcceptedSocket");
    }

    /**
     * Receives into {@code buf} from its position: CPython's {@code sock_recv_into}. Cancelling the future stops
     * waiting and receives nothing.
     *
     * @param sock a connected socket of this loop
     * @param buf where the bytes go, from its position to its limit; its position advances by the count
     * @return a future of this loop with the count of bytes received, 0 at end of stream (or for a full buffer);
     *     or failed with an {@link IOException} naming the errno
     * @throws IllegalArgumentException for a read-only buffer or a socket of another loop
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<Integer> sockRecvInto(LoopSocket sock, ByteBuffer buf) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sockRecvInto");
    }

    /**
     * Sends a file over a connected TCP socket: CPython's {@code sock_sendfile}. Zero-copy where the loop can
     * (the selector loop's {@code sendfile(2)} for a file given by path); otherwise, with {@code fallback}, the file
     * is read in the default executor and sent with {@link #sockSendall}.
     *
     * @param sock a connected socket of this loop
     * @param file the file, opened for reading; its position is left at {@code offset} plus the bytes sent once
     *     any were (CPython's file position rule); the caller closes it
     * @param offset where to start in the file; at least 0
     * @param count the most bytes to send, positive, or null for up to the end of the file
     * @param fallback true to read and send when zero-copy is not available
     * @return a future of this loop with the number of bytes sent
     * @throws IllegalArgumentException "offset must be a non-negative integer (got N)", "count must be a positive
     *     integer (got N)", or a socket of another loop
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<Long> sockSendfile(LoopSocket sock, FileChannel file, long offset,
            @Nullable Long count, boolean fallback) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sockSendfile");
    }

    /**
     * Sends the file at {@code path} over a connected TCP socket, as
     * {@link #sockSendfile(LoopSocket, FileChannel, long, Long, boolean)}; the loop opens and
     * closes the file. The future fails with {@link SendfileNotAvailableException} when zero-copy is not available
     * and {@code fallback} is false.
     *
     * @param sock a connected socket of this loop
     * @param path a regular file
     * @param offset where to start in the file; at least 0
     * @param count the most bytes to send, positive, or null for up to the end of the file
     * @param fallback true to read and send when zero-copy is not available
     * @return a future of this loop with the number of bytes sent
     * @throws IllegalArgumentException for a bad offset or count, naming the value
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<Long> sockSendfile(LoopSocket sock, Path path, long offset,
            @Nullable Long count, boolean fallback) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sockSendfile");
    }

    /**
     * Sends the file at {@code path} through a socket transport: CPython's {@code loop.sendfile}. Where the loop
     * has zero-copy (the selector loop's {@code sendfile(2)}), the transport's reading is paused, its buffer
     * flushed, and the file sent on its socket (its {@code write} refused meanwhile); otherwise, with
     * {@code fallback}, as {@link #sendfile(Transport, FileChannel, long, Long, boolean)}.
     *
     * @param transport an open socket transport of this loop
     * @param path a regular file
     * @param offset where to start in the file; at least 0
     * @param count the most bytes to send, positive, or null for up to the end of the file
     * @param fallback true to read and write when zero-copy is not available (else the future fails with
     *     {@link SendfileNotAvailableException})
     * @return a future of this loop with the number of bytes sent
     * @throws IllegalArgumentException for a bad offset or count, naming the value
     * @throws IllegalStateException "Transport is closing", "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<Long> sendfile(Transport transport, Path path, long offset, @Nullable Long count,
            boolean fallback) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sendfile");
    }

    /**
     * Sends a file through a socket transport: CPython's {@code loop.sendfile}. Java gives no descriptor of a
     * {@link FileChannel}, so the file is read in the default executor and written to the transport, waiting while
     * the transport's buffer is above its high-water mark (CPython's fallback); {@code fallback} false fails with
     * {@link SendfileNotAvailableException}.
     *
     * @param transport an open socket transport of this loop
     * @param file the file, opened for reading; its position is updated as for {@code sockSendfile}
     * @param offset where to start in the file; at least 0
     * @param count the most bytes to send, positive, or null for up to the end of the file
     * @param fallback must be true: a FileChannel has no zero-copy path
     * @return a future of this loop with the number of bytes sent
     * @throws IllegalArgumentException for a bad offset or count, naming the value
     * @throws IllegalStateException "Transport is closing", "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<Long> sendfile(Transport transport, FileChannel file, long offset,
            @Nullable Long count, boolean fallback) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement sendfile");
    }

    /**
     * Opens a UDP endpoint: CPython's {@code create_datagram_endpoint}. Unresolved addresses (made with
     * {@link InetSocketAddress#createUnresolved}) are resolved in the default executor, CPython's
     * {@code (host, port)} pairs; the addresses of the family both resolve to are tried in turn. A remote address
     * makes a connected socket (unless {@link DatagramOptions#allowBroadcast()}): it receives from that peer
     * only, its {@code sendto} refuses another address, and an ICMP error reaches {@code errorReceived}.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol, called once on the loop
     * @param localAddress the address to bind (port 0: any), or null for none (the OS binds on the first send)
     * @param remoteAddress the peer to connect to, or null for an unconnected endpoint
     * @param options family, SO_REUSEPORT, SO_BROADCAST; null for {@link DatagramOptions#defaults()}
     * @return a future of this loop with the transport and the protocol, after {@code connectionMade}; failed with
     *     a {@link java.net.BindException} naming the errno and address, an
     *     {@link java.net.UnknownHostException} naming the host, or an {@link IOException} naming the errno
     * @throws IllegalArgumentException "unexpected address family" without addresses or family
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default <P extends DatagramProtocol> AsyncFuture<TransportAndProtocol<DatagramTransport, P>>
            createDatagramEndpoint(Supplier<? extends P> protocolFactory, @Nullable InetSocketAddress localAddress,
                    @Nullable InetSocketAddress remoteAddress, @Nullable DatagramOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement createDatagramEndpoint");
    }

    /**
     * Opens a TCP connection to {@code host}:{@code port}: CPython's {@code create_connection}. The host is
     * resolved in the loop's default executor; its addresses are tried one after the other until one connects, or
     * raced with {@link ConnectionOptions#happyEyeballsDelay()}. The transport has TCP_NODELAY set, and answers
     * {@code "socket"}, {@code "sockname"} and {@code "peername"} in {@link BaseTransport#getExtraInfo}. With
     * {@link ConnectionOptions#ssl()} the connection speaks TLS (see {@link #startTls}): the future completes
     * after the handshake, with the TLS transport.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol, called once on the loop
     * @param host a host name or address literal
     * @param port 0 to 65535
     * @param options the family, local address, happy eyeballs and TLS; null for {@link ConnectionOptions#defaults()}
     * @return a future of this loop with the transport and the protocol; failed with a
     *     {@link java.net.UnknownHostException} naming the host, the one {@link IOException} of a single
     *     failed address, or one "Multiple exceptions: ..." naming each (a {@link java.net.ConnectException}
     *     when every one was); over TLS, failed as {@link #startTls} fails (the connection closed)
     * @throws IllegalArgumentException "port out of range: N"
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> createConnection(
            Supplier<? extends P> protocolFactory, String host, int port, @Nullable ConnectionOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement createConnection");
    }

    /**
     * Listens on {@code host}:{@code port}: CPython's {@code create_server}. The host is resolved in the loop's
     * default executor, and one socket listens on each address it resolves to (IPv6 sockets with IPV6_V6ONLY,
     * so that both families can share a port). With {@link ServerOptions#ssl()} each connection speaks TLS:
     * its protocol's {@code connectionMade} comes after the handshake.
     *
     * @param protocolFactory makes a protocol for each accepted connection
     * @param host a host name or address literal; null or "" for every interface (0.0.0.0 and ::)
     * @param port 0 to 65535; 0 lets the OS choose (each socket its own port, as in CPython)
     * @param options backlog, reuse, start serving; null for {@link ServerOptions#defaults()}
     * @return a future of this loop with the server; failed with a {@link java.net.BindException} naming the
     *     errno and address (EADDRINUSE) or an {@link java.net.UnknownHostException} naming the host
     * @throws IllegalArgumentException "port out of range: N"
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<Server> createServer(Supplier<? extends Protocol> protocolFactory, @Nullable String host,
            int port, @Nullable ServerOptions options) {
        return createServer(protocolFactory, List.of(host == null ? "" : host), port, options);
    }

    /**
     * Listens on every address of several hosts: CPython's {@code create_server} with a sequence of hosts.
     *
     * @param protocolFactory makes a protocol for each accepted connection
     * @param hosts host names or address literals, "" for every interface; not empty
     * @param port 0 to 65535
     * @param options backlog, reuse, start serving; null for {@link ServerOptions#defaults()}
     * @return a future of this loop with the server, as {@link #createServer(Supplier, String, int, ServerOptions)}
     * @throws IllegalArgumentException "hosts must not be empty", "port out of range: N"
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<Server> createServer(Supplier<? extends Protocol> protocolFactory, List<String> hosts,
            int port, @Nullable ServerOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement createServer");
    }

    /**
     * Upgrades a connection to TLS: CPython's {@code start_tls}. From now on {@code transport} calls the TLS
     * layer, which calls {@code protocol}; the future completes after the handshake with the TLS transport that
     * {@code protocol} writes to from then on ({@code protocol.connectionMade} is not called again). Data the peer
     * sent before the upgrade and the protocol has not read yet is lost, as in CPython.
     *
     * <p>The TLS transport keeps the contract of a plain one (write buffer with water marks of 512 KiB and a
     * quarter of it, {@code pauseReading}, {@code close} flushing then sending close_notify), except that it cannot
     * half-close ({@link WriteTransport#writeEof} throws {@link UnsupportedOperationException}); its extra
     * information adds {@code "sslcontext"}, {@code "ssl_object"} (the {@link javax.net.ssl.SSLEngine}),
     * {@code "sslsession"}, {@code "peercert"} (the peer's first certificate, when it sent one), {@code "cipher"}
     * (the cipher suite's name) and {@code "tls_protocol"} to the underlying transport's.
     *
     * @param transport an open connection of this loop, whose protocol becomes the TLS layer
     * @param protocol the protocol the TLS transport calls
     * @param options the context, the side, the server host name and the timeouts
     * @return a future of this loop with the TLS transport; failed with an {@link javax.net.ssl.SSLHandshakeException}
     *     (the transport is closed then) or a {@link java.net.SocketTimeoutException} naming the handshake timeout
     *     (the connection is aborted)
     * @throws IllegalArgumentException "transport is closing: T"
     * @throws IllegalStateException "Event loop is closed"
     * @throws UnsupportedOperationException if this loop has no sockets (this default)
     */
    default AsyncFuture<Transport> startTls(Transport transport, Protocol protocol, TlsOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement startTls");
    }

    /**
     * Opens a TCP connection as two streams: CPython's {@code open_connection}, with the default limit of
     * {@link StreamReader#DEFAULT_LIMIT}.
     *
     * @param host a host name or address literal
     * @param port 0 to 65535
     * @param options as for {@link #createConnection}; null for the defaults
     * @return a future of this loop with the reader and the writer
     */
    default AsyncFuture<StreamConnection> openConnection(String host, int port, @Nullable ConnectionOptions options) {
        return openConnection(host, port, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Opens a TCP connection as two streams, built on {@link #createConnection}: CPython's
     * {@code open_connection(limit=...)}. The reader pauses the transport above twice {@code limit}; the writer's
     * {@code drain()} waits while the transport's buffer is above its high-water mark.
     *
     * @param host a host name or address literal
     * @param port 0 to 65535
     * @param options as for {@link #createConnection}; null for the defaults
     * @param limit the reader's buffer limit, in bytes; positive
     * @return a future of this loop with the reader and the writer
     * @throws IllegalArgumentException {@code "Limit cannot be <= 0: limit=N"}
     */
    default AsyncFuture<StreamConnection> openConnection(String host, int port, @Nullable ConnectionOptions options,
            int limit) {
        return SocketStreams.openConnection(this, host, port, options, limit);
    }

    /**
     * Starts a server whose connections are streams: CPython's {@code start_server}, with the default limit.
     *
     * @param clientConnected called on the loop with each connection's reader and writer
     * @param host as for {@link #createServer(Supplier, String, int, ServerOptions)}
     * @param port 0 to 65535
     * @param options as for {@link #createServer(Supplier, String, int, ServerOptions)}; null for the defaults
     * @return a future of this loop with the server
     */
    default AsyncFuture<Server> startServer(BiConsumer<StreamReader, StreamWriter> clientConnected,
            @Nullable String host, int port, @Nullable ServerOptions options) {
        return startServer(clientConnected, host, port, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Starts a server whose connections are streams, built on {@link #createServer}: CPython's
     * {@code start_server(limit=...)}. An exception thrown by {@code clientConnected} goes to the loop's exception
     * handler and closes that connection (CPython 3.12).
     *
     * @param clientConnected called on the loop with each connection's reader and writer
     * @param host as for {@link #createServer(Supplier, String, int, ServerOptions)}
     * @param port 0 to 65535
     * @param options as for {@link #createServer(Supplier, String, int, ServerOptions)}; null for the defaults
     * @param limit each reader's buffer limit, in bytes; positive
     * @return a future of this loop with the server
     * @throws IllegalArgumentException {@code "Limit cannot be <= 0: limit=N"}
     */
    default AsyncFuture<Server> startServer(BiConsumer<StreamReader, StreamWriter> clientConnected,
            @Nullable String host, int port, @Nullable ServerOptions options, int limit) {
        return SocketStreams.startServer(this, clientConnected, host, port, options, limit);
    }

    // ----- Unix-domain sockets (issue 14): CPython's create_unix_connection and create_unix_server ---------

    /**
     * Connects to the Unix-domain stream socket at {@code path}: CPython's {@code create_unix_connection}. A path
     * whose first character is NUL is a Linux abstract name (in Java, {@code "\0name"}). The transport answers
     * {@code "socket"}, and {@code "sockname"} and {@code "peername"} as paths ({@code String}s; "" for an unnamed
     * socket), in {@link BaseTransport#getExtraInfo}.
     *
     * @param <P> the type of the protocol
     * @param protocolFactory makes the protocol, called once on the loop
     * @param path the socket's path or abstract name, at most 108 bytes in UTF-8 (sun_path's size)
     * @return a future of this loop with the transport and the protocol; failed with a
     *     {@link java.net.ConnectException} naming ECONNREFUSED when nothing listens on an existing socket, or a
     *     {@link java.net.SocketException} naming the errno (ENOENT when there is no such file)
     * @throws IllegalArgumentException naming the path: empty, NUL inside a file-system path, longer than sun_path
     * @throws UnsupportedOperationException if this loop has no Unix-domain sockets (this default; the proactor
     *     loop, whose NIO.2 channels have none)
     */
    default <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> createUnixConnection(
            Supplier<? extends P> protocolFactory, String path) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement createUnixConnection");
    }

    /**
     * Listens on a Unix-domain stream socket at {@code path}: CPython's {@code create_unix_server}. A socket file
     * left at the path is removed first (only a socket: any other file makes bind fail with EADDRINUSE), and the
     * server removes its own socket file when it is closed (CPython 3.13's {@code cleanup_socket}). The server's
     * {@link Server#addresses()} is empty; its socket's {@link LoopSocket#unixPath()} is the path.
     *
     * @param protocolFactory makes a protocol for each accepted connection
     * @param path the path or (starting with NUL) abstract name, at most 108 bytes in UTF-8
     * @param options backlog, start serving, cleanup; null for {@link UnixServerOptions#defaults()}
     * @return a future of this loop with the server; failed with a {@link java.net.BindException} naming
     *     EADDRINUSE when the path is taken
     * @throws IllegalArgumentException naming the path: empty, NUL inside a file-system path, longer than sun_path
     * @throws UnsupportedOperationException if this loop has no Unix-domain sockets (this default)
     */
    default AsyncFuture<Server> createUnixServer(Supplier<? extends Protocol> protocolFactory, String path,
            @Nullable UnixServerOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement createUnixServer");
    }

    /**
     * Opens a Unix-domain connection as two streams with the default limit (64 KiB): CPython's
     * {@code open_unix_connection}.
     *
     * @param path as for {@link #createUnixConnection}
     * @return a future of this loop with the reader and the writer
     */
    default AsyncFuture<StreamConnection> openUnixConnection(String path) {
        return openUnixConnection(path, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Opens a Unix-domain connection as two streams, built on {@link #createUnixConnection}.
     *
     * @param path as for {@link #createUnixConnection}
     * @param limit the reader's buffer limit, at least 1
     * @return a future of this loop with the reader and the writer
     * @throws IllegalArgumentException {@code "Limit cannot be <= 0: limit=N"}
     */
    default AsyncFuture<StreamConnection> openUnixConnection(String path, int limit) {
        return SocketStreams.openUnixConnection(this, path, limit);
    }

    /**
     * Starts a Unix-domain server whose connections are streams, with the default limit: CPython's
     * {@code start_unix_server}.
     *
     * @param clientConnected called on the loop with each connection's reader and writer
     * @param path as for {@link #createUnixServer}
     * @param options as for {@link #createUnixServer}; null for the defaults
     * @return a future of this loop with the server
     */
    default AsyncFuture<Server> startUnixServer(BiConsumer<StreamReader, StreamWriter> clientConnected, String path,
            @Nullable UnixServerOptions options) {
        return startUnixServer(clientConnected, path, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Starts a Unix-domain server whose connections are streams, built on {@link #createUnixServer}.
     *
     * @param clientConnected called on the loop with each connection's reader and writer
     * @param path as for {@link #createUnixServer}
     * @param options as for {@link #createUnixServer}; null for the defaults
     * @param limit each reader's buffer limit, at least 1
     * @return a future of this loop with the server
     * @throws IllegalArgumentException {@code "Limit cannot be <= 0: limit=N"}
     */
    default AsyncFuture<Server> startUnixServer(BiConsumer<StreamReader, StreamWriter> clientConnected, String path,
            @Nullable UnixServerOptions options, int limit) {
        return SocketStreams.startUnixServer(this, clientConnected, path, options, limit);
    }

    /**
     * Installs {@code handler} (LOOP-48).
     *
     * @param handler the handler for errors reported on this loop, or null to restore the default
     */
    void setExceptionHandler(@Nullable ExceptionHandler handler);

    /** {@return the installed handler, or null for the default} */
    @Nullable ExceptionHandler getExceptionHandler();

    /**
     * Reports an error: to the custom handler if one is set, else to {@link #defaultExceptionHandler}
     * (LOOP-49..53). Never throws.
     *
     * @param context CPython's context keys: "message", and "exception", "handle", "future" where they apply
     */
    void callExceptionHandler(Map<String, Object> context);

    /**
     * Logs {@code context} at ERROR on the {@code org.asyncio4j} logger (LOOP-50).
     *
     * @param context as for {@link #callExceptionHandler}
     */
    void defaultExceptionHandler(Map<String, Object> context);

    /** {@return whether debug mode is on (LOOP-40..44)} */
    boolean getDebug();

    /**
     * Turns debug mode on or off; may be called at any time.
     *
     * @param enabled true for debug mode
     */
    void setDebug(boolean enabled);
}
