package org.asyncio4j;

import org.jspecify.annotations.Nullable;

/**
 * A child process seen as a transport: CPython's {@code asyncio.SubprocessTransport}.
 *
 * <p>Its protocol hears, on the loop (SUB rules): {@code connectionMade} first; then {@code pipeDataReceived}
 * for each chunk the child writes; {@code processExited} and each {@code pipeConnectionLost} in whatever order
 * they happen; {@code connectionLost} exactly once, last, after the exit and after every pipe has closed.
 */
public interface SubprocessTransport extends BaseTransport {

    /** {@return the child's process id} */
    long getPid();

    /** {@return the exit status (negative: killed by that signal), or null while the child runs} */
    @Nullable Integer getReturnCode();

    /**
     * The transport of one of the child's pipes: CPython's {@code get_pipe_transport}.
     *
     * @param fd 0, 1 or 2
     * @return the transport of the child's pipe {@code fd} (a {@link WriteTransport} for 0, a
     *     {@link ReadTransport} for 1 and 2), or null if that stream is not a pipe
     */
    @Nullable BaseTransport getPipeTransport(int fd);

    /**
     * Sends {@code signum} to the child: through its pidfd where the kernel has one (so never to a process that
     * reused the pid), else with {@code kill}; does nothing once the child has been reaped.
     *
     * @param signum a signal number, 1..64
     */
    void sendSignal(int signum);

    /** Sends SIGTERM. */
    void terminate();

    /** Sends SIGKILL. */
    void kill();

    /**
     * Sends {@code signum} to the child's whole process group ({@code killpg}), which reaches the descendants
     * that stayed in it. This default refuses: a transport without groups.
     *
     * @param signum a signal number, 1..64
     * @throws IllegalStateException if the child does not lead its own group (it was started without
     *     {@link SubprocessOptions.Builder#processGroup processGroup(0)} or
     *     {@link SubprocessOptions.Builder#startNewSession startNewSession(true)})
     * @throws UnsupportedOperationException if this transport cannot signal groups (this default)
     */
    default void signalGroup(int signum) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement signalGroup");
    }

    /** Closes the pipes and kills the child if it still runs; {@code connectionLost} follows its exit. */
    @Override
    void close();
}
