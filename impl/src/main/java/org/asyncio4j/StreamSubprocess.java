package org.asyncio4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Subprocess} over a {@link SubprocessTransport} and a {@link SubprocessStreamProtocol}: CPython's
 * {@code asyncio.subprocess.Process}, and its {@code create_subprocess_exec}.
 */
final class StreamSubprocess implements Subprocess {
    private final SubprocessTransport transport;
    private final SubprocessStreamProtocol protocol;
    private final EventLoop loop;
    private boolean communicating;

    private StreamSubprocess(EventLoop loop, SubprocessTransport transport, SubprocessStreamProtocol protocol) {
        this.loop = loop;
        this.transport = transport;
        this.protocol = protocol;
    }

    /**
     * Starts a child through {@code exec} (one of the loop's protocol-level methods) with a stream protocol,
     * and completes with the process once the protocol is connected.
     */
    static AsyncFuture<Subprocess> start(EventLoop loop,
            Function<Supplier<SubprocessStreamProtocol>, AsyncFuture<TransportAndProtocol<SubprocessTransport, SubprocessStreamProtocol>>> exec) {
        AsyncFuture<TransportAndProtocol<SubprocessTransport, SubprocessStreamProtocol>> connected =
                exec.apply(() -> new SubprocessStreamProtocol(loop, StreamReader.DEFAULT_LIMIT));
        AsyncFuture<Subprocess> result = loop.createFuture();
        Consumer<AsyncFuture<TransportAndProtocol<SubprocessTransport, SubprocessStreamProtocol>>> settle = f -> {
            if (f.cancelled()) {
                result.cancel();
            } else if (f.exception() != null) {
                result.setException(f.exception());
            } else if (result.cancelled()) {
                f.result().transport().close();
            } else {
                result.setResult(new StreamSubprocess(loop, f.result().transport(), f.result().protocol()));
            }
        };
        if (connected.done()) {
            settle.accept(connected); // a spawn refused on the running loop fails the caller's future at once
        } else {
            connected.addDoneCallback(settle);
        }
        result.addDoneCallback(r -> {
            if (r.cancelled()) {
                connected.cancel();
            }
        });
        return result;
    }

    @Override
    public long pid() {
        return transport.getPid();
    }

    @Override
    public Integer returnCode() {
        return transport.getReturnCode();
    }

    @Override
    public AsyncFuture<Integer> onExit() {
        return protocol.exit();
    }

    @Override
    public AsyncFuture<Integer> waitFor() {
        AsyncFuture<Integer> waiter = loop.createFuture();
        protocol.exit().addDoneCallback(exit -> {
            if (!waiter.done()) {
                waiter.setResult(exit.result());
            }
        });
        return waiter;
    }

    @Override
    public StreamWriter stdin() {
        return protocol.stdin();
    }

    @Override
    public StreamReader stdout() {
        return protocol.stdout();
    }

    @Override
    public StreamReader stderr() {
        return protocol.stderr();
    }

    @Override
    public SubprocessTransport transport() {
        return transport;
    }

    @Override
    public void sendSignal(int signum) {
        transport.sendSignal(signum);
    }

    @Override
    public void terminate() {
        transport.terminate();
    }

    @Override
    public void kill() {
        transport.kill();
    }

    @Override
    public void signalGroup(int signum) {
        transport.signalGroup(signum);
    }

    @Override
    public AsyncFuture<ProcessOutput> communicate(byte[] input) {
        if (communicating) {
            throw new IllegalStateException("communicate() was already called for pid " + pid());
        }
        if (input != null && stdin() == null) {
            throw new IllegalStateException("communicate(input) needs stdin=PIPE (pid " + pid() + ")");
        }
        communicating = true;
        List<AsyncFuture<byte[]>> parts = new ArrayList<>(3);
        parts.add(feedStdin(input));
        parts.add(readAll(stdout(), 1));
        parts.add(readAll(stderr(), 2));
        AsyncFuture<ProcessOutput> result = loop.createFuture();
        AsyncFutures.gather(parts).addDoneCallback(all -> {
            if (result.done()) {
                return;
            }
            if (all.cancelled() || all.exception() != null) {
                result.setException(all.cancelled() ? new CancellationException("communicate() was cancelled") : all.exception());
                return;
            }
            protocol.exit().addDoneCallback(exit -> {
                if (!result.done()) {
                    result.setResult(new ProcessOutput(exit.result(), all.result().get(1), all.result().get(2)));
                }
            });
        });
        result.addDoneCallback(r -> {
            if (r.cancelled()) {
                parts.forEach(AsyncFuture::cancel);
            }
        });
        return result;
    }

    /** Writes {@code input}, waits for the pipe to take it, closes stdin; a child that closed its end ends it early. */
    private AsyncFuture<byte[]> feedStdin(byte[] input) {
        AsyncFuture<byte[]> done = loop.createFuture();
        StreamWriter in = stdin();
        if (in == null) {
            done.setResult(null);
            return done;
        }
        if (input == null || input.length == 0) {
            in.close();
            done.setResult(null);
            return done;
        }
        in.write(input);
        in.drain().addDoneCallback(drained -> {
            Throwable failure = drained.cancelled() ? null : drained.exception();
            in.close();
            if (done.done()) {
                return;
            }
            if (failure != null && !(failure instanceof IOException)) {
                done.setException(failure);
            } else {
                // an IOException (EPIPE, connection lost): the child closed its stdin; the rest is dropped, as in CPython
                done.setResult(null);
            }
        });
        return done;
    }

    /** Reads {@code reader} to end of file, then closes its pipe; null when the stream is not a pipe. */
    private AsyncFuture<byte[]> readAll(StreamReader reader, int fd) {
        if (reader == null) {
            AsyncFuture<byte[]> none = loop.createFuture();
            none.setResult(new byte[0]);
            return none;
        }
        AsyncFuture<byte[]> all = reader.read(-1);
        all.addDoneCallback(f -> {
            BaseTransport pipe = transport.getPipeTransport(fd);
            if (pipe != null) {
                pipe.close();
            }
        });
        return all;
    }

    @Override
    public void close() {
        for (int fd = 0; fd < 3; fd++) {
            BaseTransport pipe = transport.getPipeTransport(fd);
            if (pipe != null) {
                pipe.close();
            }
        }
    }

    @Override
    public String toString() {
        Integer rc = returnCode();
        return "<Subprocess pid=" + pid() + (rc == null ? " running" : " returncode=" + rc) + ">";
    }
}
