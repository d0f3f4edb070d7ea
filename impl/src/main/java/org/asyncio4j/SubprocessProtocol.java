package org.asyncio4j;

/** The callbacks of a child process: CPython's {@code asyncio.SubprocessProtocol}. Each default does nothing. */
public interface SubprocessProtocol extends BaseProtocol {

    /** Called with data the child wrote to its pipe {@code fd} (1 or 2). */
    default void pipeDataReceived(int fd, byte[] data) {}

    /** Called when the child's pipe {@code fd} closed; {@code exc} null for a regular end. */
    default void pipeConnectionLost(int fd, Throwable exc) {}

    /** Called when the child has exited. */
    default void processExited() {}
}
