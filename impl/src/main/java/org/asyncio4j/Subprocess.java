package org.asyncio4j;

import org.jspecify.annotations.Nullable;

/**
 * A child process started by {@link EventLoop#subprocessExec} or {@link EventLoop#subprocessShell}.
 * Its exit is learnt through the policy's child watcher, never by a JDK reaper thread.
 */
public interface Subprocess extends AutoCloseable {
    /** {@return the child's process id} */
    long pid();

    /** {@return null while running; then the exit status, or -N if signal N killed the child} */
    @Nullable Integer returnCode();

    /** {@return a future that completes, on the loop, with the return code} */
    AsyncFuture<Integer> onExit();

    /**
     * Sends {@code signum}; does nothing once the child has been reaped (its pid may be reused).
     *
     * @param signum the signal number
     */
    void sendSignal(int signum);

    /** Sends SIGTERM. */
    void terminate();

    /** Sends SIGKILL. */
    void kill();

    /**
     * Writes {@code input} (may be null) to stdin and closes it, reads stdout and stderr to the end, and
     * waits for the exit. Neither deadlocks on large outputs nor loses a byte.
     *
     * @param input the bytes for stdin, or null to write nothing
     * @return a future of the return code and everything read
     * @throws IllegalStateException if input is given but stdin is not {@link SubprocessOptions.Redirect#PIPE}
     */
    AsyncFuture<ProcessOutput> communicate(byte @Nullable [] input);

    /** {@return the write end of the child's stdin pipe, or -1 when stdin is not piped} */
    int stdinFd();

    /** {@return the read end of the child's stdout pipe, or -1 when stdout is not piped} */
    int stdoutFd();

    /** {@return the read end of the child's stderr pipe, or -1 when stderr is not piped} */
    int stderrFd();

    /**
     * Closes the pipes still held (those {@link #communicate} has not already closed); idempotent. Neither
     * signals nor waits for the child: its exit is still reported through {@link #onExit()}.
     */
    @Override
    void close();
}
