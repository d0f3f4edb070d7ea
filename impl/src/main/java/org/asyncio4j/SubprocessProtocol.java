package org.asyncio4j;

import org.jspecify.annotations.Nullable;

/**
 * The callbacks of a child process: CPython's {@code asyncio.SubprocessProtocol}. Each default does nothing.
 * Besides {@link BaseProtocol}'s order ({@code connectionMade} first, {@code connectionLost} once and last),
 * {@link #processExited()} and the pipes' {@link #pipeConnectionLost} calls come in any order, all before
 * {@code connectionLost}.
 */
public interface SubprocessProtocol extends BaseProtocol {

    /**
     * Called on the loop with data the child wrote to one of its pipes: CPython's {@code pipe_data_received}.
     *
     * @param fd the child's descriptor the data came from: 1 (stdout) or 2 (stderr)
     * @param data the bytes, never empty; the protocol may keep the array
     */
    default void pipeDataReceived(int fd, byte[] data) {}

    /**
     * Called on the loop when one of the child's pipes closed: CPython's {@code pipe_connection_lost}.
     *
     * @param fd the child's descriptor: 0 (stdin), 1 (stdout) or 2 (stderr)
     * @param exc null for a regular end (end of file, or closed by the parent), else the error that ended it
     */
    default void pipeConnectionLost(int fd, @Nullable Throwable exc) {}

    /** Called on the loop when the child has exited; its return code is then the transport's. */
    default void processExited() {}
}
