package org.asyncio4j;

import org.jspecify.annotations.Nullable;

/**
 * A child process started by {@link EventLoop#subprocessExec(java.util.List, SubprocessOptions)} or
 * {@link EventLoop#subprocessShell(String, SubprocessOptions)}, with its pipes as streams: CPython's
 * {@code asyncio.subprocess.Process}. Its exit is learnt through the policy's child watcher, never by a JDK
 * reaper thread. Used from the loop's thread, except {@link #sendSignal} and its kin.
 */
public interface Subprocess extends AutoCloseable {
    /** {@return the child's process id} */
    long pid();

    /** {@return null while running; then the exit status, or -N if signal N killed the child} */
    @Nullable Integer returnCode();

    /** {@return a future that completes, on the loop, with the return code} */
    AsyncFuture<Integer> onExit();

    /**
     * CPython's {@code wait()}: a new future done with the return code once the child has exited. Closes
     * nothing and reads nothing: a child that fills a pipe nobody reads never exits (use {@link #communicate}).
     *
     * @return a future of the loop; cancelling it does not affect the child
     */
    AsyncFuture<Integer> waitFor();

    /** {@return the writer of the child's stdin, or null when stdin is not {@link SubprocessOptions.Redirect#PIPE}} */
    @Nullable StreamWriter stdin();

    /** {@return the reader of the child's stdout, or null when stdout is not {@link SubprocessOptions.Redirect#PIPE}} */
    @Nullable StreamReader stdout();

    /** {@return the reader of the child's stderr, or null when stderr is not {@link SubprocessOptions.Redirect#PIPE}} */
    @Nullable StreamReader stderr();

    /** {@return the transport under this process} */
    SubprocessTransport transport();

    /**
     * Sends {@code signum}; does nothing once the child has been reaped. Through the child's pidfd where the
     * kernel allows, so a signal never reaches a process that reused the pid.
     *
     * @param signum a signal number, 1..64
     */
    void sendSignal(int signum);

    /** Sends SIGTERM. */
    void terminate();

    /** Sends SIGKILL. */
    void kill();

    /**
     * Sends {@code signum} to the child's process group ({@code killpg}): the child and the descendants that
     * stayed in its group, even once the child itself has exited (an orphan holding a pipe open, say). Like
     * {@code killpg}, once every member is gone the group id can be reused; signal the group while you know
     * it has members.
     *
     * @param signum a signal number, 1..64
     * @throws IllegalStateException if the child does not lead its own group: start it with
     *     {@code processGroup(0)} or {@code startNewSession(true)}
     */
    void signalGroup(int signum);

    /** Sends SIGKILL to the child's process group; see {@link #signalGroup(int)}. */
    default void killGroup() {
        signalGroup(9);
    }

    /**
     * Writes {@code input} (may be null) to stdin and closes it, reads stdout and stderr to the end, at the
     * same time, and waits for the exit. Neither deadlocks on large outputs nor loses a byte.
     *
     * @param input bytes for stdin, or null
     * @return a future of the loop with the return code and everything read
     * @throws IllegalStateException if input is given but stdin is not {@link SubprocessOptions.Redirect#PIPE},
     *     or if called twice
     */
    AsyncFuture<ProcessOutput> communicate(byte @Nullable [] input);

    /**
     * Closes the pipes still open; idempotent. Neither signals nor waits for the child: its exit is still
     * reported through {@link #onExit()}.
     */
    @Override
    void close();
}
