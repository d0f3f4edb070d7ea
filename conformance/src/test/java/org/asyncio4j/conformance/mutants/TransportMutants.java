package org.asyncio4j.conformance.mutants;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.IncompleteReadException;
import org.asyncio4j.LimitOverrunException;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.StreamReader;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessProtocol;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.conformance.KitRun.Kit;
import org.asyncio4j.unix.DefaultEventLoopPolicy;

/**
 * Policies whose loops each break one transport, subprocess or stream rule: the reference
 * {@link org.asyncio4j.unix.SelectorEventLoop} with one behaviour altered through the hooks of
 * {@link TransportMutantLoop}. Loops reach the kit through {@code newEventLoop()}, as {@code Certify} binds them.
 */
public final class TransportMutants {
    private TransportMutants() {}

    /** A policy whose loops are {@link #mutant()}s. */
    abstract static class MutantPolicy extends DefaultEventLoopPolicy {
        abstract TransportMutantLoop mutant();

        @Override
        protected EventLoop createEventLoop() {
            return mutant();
        }
    }

    // ----- pipes -------------------------------------------------------------------------------------

    @Breaks(rule = "TRN-01", kit = Kit.TRANSPORT, how = "a read pipe's connectionMade runs 5 ms late, after the connect future completed")
    public static final class PipeMadeLate extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                Protocol readPipeProtocol(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        @Override
                        public void connectionMade(BaseTransport transport) {
                            callLater(0.005, () -> super.connectionMade(transport));
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-02", kit = Kit.TRANSPORT, how = "a read pipe drops the last chunk before end of file")
    public static final class DropsTheLastChunk extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                Protocol readPipeProtocol(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        private byte[] held;

                        @Override
                        public void dataReceived(byte[] data) {
                            if (held != null) {
                                super.dataReceived(held);
                            }
                            held = data;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-03", kit = Kit.TRANSPORT, how = "a read pipe calls eofReceived before the data it holds back")
    public static final class EofBeforeData extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                Protocol readPipeProtocol(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        private final List<byte[]> held = new ArrayList<>();

                        @Override
                        public void dataReceived(byte[] data) {
                            held.add(data);
                        }

                        @Override
                        public boolean eofReceived() {
                            boolean keepOpen = super.eofReceived();
                            held.forEach(super::dataReceived);
                            return keepOpen;
                        }

                        @Override
                        public void connectionLost(Throwable exc) {
                            held.clear(); // closed before end of file: what was held back is dropped
                            super.connectionLost(exc);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-04", kit = Kit.TRANSPORT, how = "a read pipe calls connectionLost twice")
    public static final class PipeLostTwice extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                Protocol readPipeProtocol(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        @Override
                        public void connectionLost(Throwable exc) {
                            super.connectionLost(exc);
                            super.connectionLost(exc);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-05", kit = Kit.TRANSPORT, how = "close() of a read transport takes effect 10 ms later, delivering what waits meanwhile")
    public static final class DeliversAfterClose extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                BaseTransport callerTransport(BaseTransport real) {
                    if (!(real instanceof ReadTransport)) {
                        return real;
                    }
                    return new Forwarding.Reading((ReadTransport) real) {
                        @Override
                        public void close() {
                            callLater(0.01, real::close);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-06", kit = Kit.TRANSPORT, how = "a write pipe never calls pauseWriting or resumeWriting")
    public static final class NeverPausesWriting extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                BaseProtocol writePipeProtocol(BaseProtocol kit) {
                    return new Forwarding.PipeProtocol((Protocol) kit, this::view) {
                        @Override
                        public void pauseWriting() {
                        }

                        @Override
                        public void resumeWriting() {
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-07", kit = Kit.TRANSPORT, how = "abort() of a write pipe flushes like close()")
    public static final class AbortFlushes extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                BaseTransport callerTransport(BaseTransport real) {
                    if (!(real instanceof WriteTransport)) {
                        return real;
                    }
                    return new Forwarding.Writing((WriteTransport) real) {
                        @Override
                        public void abort() {
                            real.close();
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-08", kit = Kit.TRANSPORT, how = "close() and writeEof() of a write pipe drop what is buffered")
    public static final class CloseDropsTheBuffer extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                BaseTransport callerTransport(BaseTransport real) {
                    if (!(real instanceof WriteTransport)) {
                        return real;
                    }
                    return new Forwarding.Writing((WriteTransport) real) {
                        @Override
                        public void close() {
                            real.abort();
                        }

                        @Override
                        public void writeEof() {
                            real.abort();
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-10", kit = Kit.TRANSPORT, how = "a write pipe that meets EPIPE reports a clean connectionLost(null)")
    public static final class EpipeLostWithoutError extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                BaseProtocol writePipeProtocol(BaseProtocol kit) {
                    return new Forwarding.PipeProtocol((Protocol) kit, this::view) {
                        @Override
                        public void connectionLost(Throwable exc) {
                            super.connectionLost(null);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-12", kit = Kit.TRANSPORT, how = "pauseReading() of a read pipe only flips isReading()")
    public static final class IgnoresPauseReading extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                BaseTransport callerTransport(BaseTransport real) {
                    if (!(real instanceof ReadTransport)) {
                        return real;
                    }
                    return new PauseIgnored((ReadTransport) real);
                }
            };
        }
    }

    @Breaks(rule = "TRN-15", kit = Kit.TRANSPORT, how = "a closed loop returns a failed future from connectReadPipe instead of refusing the call")
    public static final class ClosedLoopAcceptsPipes extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                public <P extends Protocol> AsyncFuture<org.asyncio4j.TransportAndProtocol<ReadTransport, P>> connectReadPipe(
                        java.util.function.Supplier<? extends P> factory, int fd) {
                    if (isClosed()) {
                        AsyncFuture<org.asyncio4j.TransportAndProtocol<ReadTransport, P>> failed = createFuture();
                        failed.setException(new IllegalStateException("Event loop is closed"));
                        return failed;
                    }
                    return super.connectReadPipe(factory, fd);
                }
            };
        }
    }

    // ----- subprocesses ------------------------------------------------------------------------------

    @Breaks(rule = "SUB-01", kit = Kit.TRANSPORT, how = "a subprocess protocol's connectionMade runs 5 ms late, after the subprocessExec future completed")
    public static final class ChildMadeLate extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                SubprocessProtocol childProtocol(SubprocessProtocol kit) {
                    return new Forwarding.ChildProtocol(kit, this::view) {
                        @Override
                        public void connectionMade(BaseTransport transport) {
                            callLater(0.005, () -> super.connectionMade(transport));
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SUB-02", kit = Kit.TRANSPORT, how = "a subprocess protocol's connectionLost is called twice")
    public static final class ChildLostTwice extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                SubprocessProtocol childProtocol(SubprocessProtocol kit) {
                    return new Forwarding.ChildProtocol(kit, this::view) {
                        @Override
                        public void connectionLost(Throwable exc) {
                            super.connectionLost(exc);
                            super.connectionLost(exc);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SUB-03", kit = Kit.TRANSPORT, how = "connectionLost follows the child's exit at once, before its pipes close")
    public static final class LostAtExit extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                SubprocessProtocol childProtocol(SubprocessProtocol kit) {
                    return new Forwarding.ChildProtocol(kit, this::view) {
                        private boolean lost;

                        @Override
                        public void processExited() {
                            super.processExited();
                            lost = true;
                            super.connectionLost(null);
                        }

                        @Override
                        public void connectionLost(Throwable exc) {
                            if (!lost) {
                                super.connectionLost(exc);
                            }
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SUB-04", kit = Kit.TRANSPORT, how = "close() of a subprocess transport closes its pipes but leaves the child running")
    public static final class CloseSparesTheChild extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                BaseTransport callerTransport(BaseTransport real) {
                    if (!(real instanceof SubprocessTransport)) {
                        return real;
                    }
                    return new Forwarding.ChildTransport((SubprocessTransport) real) {
                        @Override
                        public void close() {
                            for (int fd = 0; fd < 3; fd++) {
                                BaseTransport pipe = real.getPipeTransport(fd);
                                if (pipe != null) {
                                    pipe.close();
                                }
                            }
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SUB-05", kit = Kit.TRANSPORT, how = "a process with streams loses the third chunk of its stderr")
    public static final class StderrLosesAChunk extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                SubprocessProtocol streamsProtocol(SubprocessProtocol streams) {
                    return new Forwarding.ChildProtocol(streams, this::view) {
                        private int stderrChunks;

                        @Override
                        public void pipeDataReceived(int fd, byte[] data) {
                            if (fd != 2 || ++stderrChunks != 3) {
                                super.pipeDataReceived(fd, data);
                            }
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SUB-06", kit = Kit.TRANSPORT, how = "a process's stdin resumes writing as soon as it pauses, so drain() never waits")
    public static final class DrainNeverWaits extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                SubprocessProtocol streamsProtocol(SubprocessProtocol streams) {
                    return new Forwarding.ChildProtocol(streams, this::view) {
                        @Override
                        public void pauseWriting() {
                            super.pauseWriting();
                            super.resumeWriting();
                        }

                        @Override
                        public void resumeWriting() {
                            // already resumed
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SUB-07", kit = Kit.TRANSPORT, how = "waitFor() completes with 0 whatever the return code")
    public static final class WaitForSaysZero extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                Subprocess callerProcess(Subprocess real) {
                    return new Forwarding.Process(real) {
                        @Override
                        public AsyncFuture<Integer> waitFor() {
                            AsyncFuture<Integer> zero = createFuture();
                            real.waitFor().addDoneCallback(done -> zero.setResult(0));
                            return zero;
                        }
                    };
                }
            };
        }
    }

    // ----- streams -----------------------------------------------------------------------------------

    @Breaks(rule = "STR-01", kit = Kit.TRANSPORT, how = "readLine() returns lines without their newline")
    public static final class ReadLineWithoutNewline extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new StdoutMutant() {
                @Override
                StreamReader stdout(StreamReader real) {
                    return new Forwarding.Reader(this, real) {
                        @Override
                        public AsyncFuture<byte[]> readLine() {
                            return relay(real.readLine(), line -> line.length > 0 && line[line.length - 1] == '\n'
                                    ? Arrays.copyOf(line, line.length - 1) : line);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "STR-02", kit = Kit.TRANSPORT, how = "readExactly(n) at end of file returns the partial bytes instead of failing")
    public static final class ReadExactlyReturnsShort extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new StdoutMutant() {
                @Override
                StreamReader stdout(StreamReader real) {
                    return new Forwarding.Reader(this, real) {
                        @Override
                        public AsyncFuture<byte[]> readExactly(int n) {
                            AsyncFuture<byte[]> out = createFuture();
                            real.readExactly(n).addDoneCallback(done -> {
                                if (done.exception() instanceof IncompleteReadException) {
                                    out.setResult(((IncompleteReadException) done.exception()).getPartial());
                                } else if (done.exception() != null) {
                                    out.setException(done.exception());
                                } else {
                                    out.setResult(done.result());
                                }
                            });
                            return out;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "STR-03", kit = Kit.TRANSPORT, how = "readUntil() discards the buffered data when it overruns the limit")
    public static final class OverrunDiscardsTheData extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new StdoutMutant() {
                @Override
                StreamReader stdout(StreamReader real) {
                    return new Forwarding.Reader(this, real) {
                        @Override
                        public AsyncFuture<byte[]> readUntil(byte[] separator) {
                            AsyncFuture<byte[]> out = createFuture();
                            real.readUntil(separator).addDoneCallback(done -> {
                                if (done.exception() instanceof LimitOverrunException) {
                                    real.read((int) ((LimitOverrunException) done.exception()).getConsumed())
                                            .addDoneCallback(discarded -> out.setException(done.exception()));
                                } else if (done.exception() != null) {
                                    out.setException(done.exception());
                                } else {
                                    out.setResult(done.result());
                                }
                            });
                            return out;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "STR-05", kit = Kit.TRANSPORT, how = "a process's stdout pipe ignores the reader's pauseReading()")
    public static final class ReaderNeverPauses extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                SubprocessProtocol streamsProtocol(SubprocessProtocol streams) {
                    return new Forwarding.ChildProtocol(streams, this::view);
                }

                @Override
                BaseTransport callerTransport(BaseTransport real) {
                    if (!(real instanceof SubprocessTransport)) {
                        return real;
                    }
                    return new Forwarding.ChildTransport((SubprocessTransport) real) {
                        @Override
                        public BaseTransport getPipeTransport(int fd) {
                            BaseTransport pipe = real.getPipeTransport(fd);
                            return fd == 1 && pipe instanceof ReadTransport ? new PauseIgnored((ReadTransport) pipe) : pipe;
                        }
                    };
                }
            };
        }
    }

    // ----- shared parts ------------------------------------------------------------------------------

    /** A read transport whose pauseReading() changes isReading() and nothing else. */
    static final class PauseIgnored extends Forwarding.Reading {
        private boolean paused;

        PauseIgnored(ReadTransport real) {
            super(real);
        }

        @Override
        public void pauseReading() {
            paused = true;
        }

        @Override
        public void resumeReading() {
            paused = false;
        }

        @Override
        public boolean isReading() {
            return !paused && !real.isClosing();
        }
    }

    /** A loop whose processes with streams hand the caller a different stdout reader. */
    abstract static class StdoutMutant extends TransportMutantLoop {
        abstract StreamReader stdout(StreamReader real);

        @Override
        Subprocess callerProcess(Subprocess real) {
            StreamReader reader = real.stdout() == null ? null : stdout(real.stdout());
            return new Forwarding.Process(real) {
                @Override
                public StreamReader stdout() {
                    return reader;
                }
            };
        }

        /** {@code inner}'s outcome with its result mapped by {@code f}. */
        AsyncFuture<byte[]> relay(AsyncFuture<byte[]> inner, Function<byte[], byte[]> f) {
            AsyncFuture<byte[]> out = createFuture();
            inner.addDoneCallback(done -> {
                if (done.exception() != null) {
                    out.setException(done.exception());
                } else {
                    out.setResult(f.apply(done.result()));
                }
            });
            return out;
        }
    }
}
