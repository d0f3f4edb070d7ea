package org.asyncio4j;

/** A child process seen as a transport: CPython's {@code asyncio.SubprocessTransport}. */
public interface SubprocessTransport extends BaseTransport {

    /** The child's process id. */
    long getPid();

    /** The exit status (negative: killed by that signal), or null while the child runs. */
    Integer getReturnCode();

    /** The transport of the child's pipe {@code fd} (0, 1 or 2), or null if that stream is not a pipe. */
    BaseTransport getPipeTransport(int fd);

    /** Sends {@code signum} to the child. */
    void sendSignal(int signum);

    /** Sends SIGTERM. */
    void terminate();

    /** Sends SIGKILL. */
    void kill();

    /** Closes the pipes and kills the child if it still runs. */
    @Override
    void close();
}
