package org.asyncio4j;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
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
