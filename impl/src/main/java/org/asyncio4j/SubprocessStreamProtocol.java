package org.asyncio4j;

import java.util.HashSet;
import java.util.Set;

/**
 * The protocol behind {@link Subprocess}: CPython's {@code asyncio.subprocess.SubprocessStreamProtocol}. It
 * feeds a {@link StreamReader} per output pipe (bound to its pipe transport, so that the reader's limit pauses
 * it), gives stdin a {@link StreamWriter} that drains by this protocol's flow control, completes
 * {@link #exit()} when the child has exited, and closes the transport once the child has exited and both
 * output pipes have closed.
 */
final class SubprocessStreamProtocol extends FlowControlProtocol implements SubprocessProtocol {
    private final int limit;
    private final AsyncFuture<Integer> exit;
    private final Set<Integer> openOutputs = new HashSet<>(2);
    private SubprocessTransport transport;
    private StreamReader stdout;
    private StreamReader stderr;
    private StreamWriter stdin;
    private boolean exited;

    SubprocessStreamProtocol(EventLoop loop, int limit) {
        super(loop);
        this.limit = limit;
        this.exit = loop.createFuture();
    }

    @Override
    public void connectionMade(BaseTransport t) {
        transport = (SubprocessTransport) t;
        stdout = reader(1);
        stderr = reader(2);
        BaseTransport in = transport.getPipeTransport(0);
        if (in != null) {
            stdin = new StreamWriter((WriteTransport) in, this, null, loop);
        }
    }

    private StreamReader reader(int fd) {
        BaseTransport pipe = transport.getPipeTransport(fd);
        if (pipe == null) {
            return null;
        }
        StreamReader reader = new StreamReader(loop, limit);
        reader.setTransport((ReadTransport) pipe);
        openOutputs.add(fd);
        return reader;
    }

    @Override
    public void pipeDataReceived(int fd, byte[] data) {
        StreamReader reader = fd == 1 ? stdout : fd == 2 ? stderr : null;
        if (reader != null) {
            reader.feedReceived(data);
        }
    }

    @Override
    public void pipeConnectionLost(int fd, Throwable exc) {
        if (fd == 0) {
            if (stdin != null) {
                stdin.close();
            }
            connectionLost(exc); // wakes drain() waiters of stdin, as CPython's FlowControlMixin does
            return;
        }
        StreamReader reader = fd == 1 ? stdout : fd == 2 ? stderr : null;
        if (reader != null) {
            if (exc == null) {
                reader.feedEof();
            } else {
                reader.setException(exc);
            }
        }
        openOutputs.remove(fd);
        maybeCloseTransport();
    }

    @Override
    public void processExited() {
        exited = true;
        if (!exit.done()) {
            exit.setResult(transport.getReturnCode());
        }
        maybeCloseTransport();
    }

    private void maybeCloseTransport() {
        if (openOutputs.isEmpty() && exited && transport != null) {
            transport.close();
        }
    }

    /** {@return a future done with the return code once the child has exited} */
    AsyncFuture<Integer> exit() {
        return exit;
    }

    StreamReader stdout() {
        return stdout;
    }

    StreamReader stderr() {
        return stderr;
    }

    StreamWriter stdin() {
        return stdin;
    }
}
