package org.asyncio4j.conformance.mutants;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.IncompleteReadException;
import org.asyncio4j.LimitOverrunException;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.StreamReader;
import org.asyncio4j.StreamWriter;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.SubprocessProtocol;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.conformance.Capability;
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

    @Breaks(rule = "TRN-09", kit = Kit.TRANSPORT, how = "a write pipe whose reader closes while nothing is buffered reports connectionLost(IOException)")
    public static final class IdleLossCarriesAnError extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                /** The write transports the caller closed, aborted or ended. */
                private final Set<BaseTransport> endedByCaller = Collections.newSetFromMap(new IdentityHashMap<>());

                @Override
                BaseTransport callerTransport(BaseTransport real) {
                    if (!(real instanceof WriteTransport)) {
                        return real;
                    }
                    return new Forwarding.Writing((WriteTransport) real) {
                        @Override
                        public void close() {
                            endedByCaller.add(real);
                            real.close();
                        }

                        @Override
                        public void abort() {
                            endedByCaller.add(real);
                            real.abort();
                        }

                        @Override
                        public void writeEof() {
                            endedByCaller.add(real);
                            real.writeEof();
                        }
                    };
                }

                @Override
                BaseProtocol writePipeProtocol(BaseProtocol kit) {
                    return new Forwarding.PipeProtocol((Protocol) kit, this::view) {
                        private BaseTransport transport;

                        @Override
                        public void connectionMade(BaseTransport transport) {
                            this.transport = transport;
                            super.connectionMade(transport);
                        }

                        @Override
                        public void connectionLost(Throwable exc) {
                            boolean peerClosed = exc == null && !endedByCaller.contains(transport);
                            super.connectionLost(peerClosed ? new IOException("Broken pipe") : exc);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-11", kit = Kit.TRANSPORT, how = "an exception from a read pipe protocol's dataReceived is swallowed, never reported")
    public static final class SwallowsDataReceivedErrors extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                Protocol readPipeProtocol(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        @Override
                        public void dataReceived(byte[] data) {
                            try {
                                super.dataReceived(data);
                            } catch (RuntimeException dropped) {
                                // the mutation: nobody hears of it
                            }
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-13", kit = Kit.TRANSPORT, how = "setWriteBufferLimits(high) of a write pipe sets the low-water mark to half of high, not a quarter")
    public static final class LowMarkAtHalf extends MutantPolicy {
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
                        public void setWriteBufferLimits(int high) {
                            real.setWriteBufferLimits(high, high / 2);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-14", kit = Kit.TRANSPORT, how = "write(null) of a write pipe is ignored instead of refused")
    public static final class IgnoresWriteOfNull extends MutantPolicy {
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
                        public void write(byte[] data) {
                            if (data != null) {
                                real.write(data);
                            }
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-16", kit = Kit.TRANSPORT, how = "an exception from a pipe protocol's connectionMade is swallowed, never reported")
    public static final class SwallowsConnectionMadeErrors extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                Protocol readPipeProtocol(Protocol kit) {
                    return quietlyMade(kit);
                }

                @Override
                BaseProtocol writePipeProtocol(BaseProtocol kit) {
                    return quietlyMade((Protocol) kit);
                }

                private Protocol quietlyMade(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        @Override
                        public void connectionMade(BaseTransport transport) {
                            try {
                                super.connectionMade(transport);
                            } catch (RuntimeException dropped) {
                                // the mutation: nobody hears of it
                            }
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-17", kit = Kit.TRANSPORT, how = "an exception from a write pipe protocol's pauseWriting or resumeWriting is swallowed")
    public static final class SwallowsFlowControlErrors extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                BaseProtocol writePipeProtocol(BaseProtocol kit) {
                    return new Forwarding.PipeProtocol((Protocol) kit, this::view) {
                        @Override
                        public void pauseWriting() {
                            try {
                                super.pauseWriting();
                            } catch (RuntimeException dropped) {
                                // the mutation: nobody hears of it
                            }
                        }

                        @Override
                        public void resumeWriting() {
                            try {
                                super.resumeWriting();
                            } catch (RuntimeException dropped) {
                                // the mutation: nobody hears of it
                            }
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "TRN-18", kit = Kit.TRANSPORT, lacks = Capability.PIPE_TRANSPORTS,
            how = "a loop that declares no pipe transports returns futures failed with UnsupportedOperationException instead of refusing the call")
    public static final class PipelessLoopFailsTheFuture extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                public <P extends Protocol> AsyncFuture<TransportAndProtocol<ReadTransport, P>> connectReadPipe(Supplier<? extends P> factory, int fd) {
                    // a running loop connects its children's pipes through here: those it still has
                    return isRunning() ? super.connectReadPipe(factory, fd) : unsupported("connectReadPipe");
                }

                @Override
                public <P extends BaseProtocol> AsyncFuture<TransportAndProtocol<WriteTransport, P>> connectWritePipe(Supplier<? extends P> factory,
                                                                                                                     int fd) {
                    return isRunning() ? super.connectWritePipe(factory, fd) : unsupported("connectWritePipe");
                }

                private <T> AsyncFuture<T> unsupported(String method) {
                    AsyncFuture<T> failed = createFuture();
                    failed.setException(new UnsupportedOperationException(method));
                    return failed;
                }
            };
        }
    }

    @Breaks(rule = "TRN-19", kit = Kit.TRANSPORT, how = "close() of the loop calls connectionLost of the pipes still open")
    public static final class CloseTellsThePipes extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                /** The caller's protocols of the pipes not yet lost. */
                private final Set<Protocol> open = Collections.newSetFromMap(new IdentityHashMap<>());

                @Override
                Protocol readPipeProtocol(Protocol kit) {
                    return tracked(kit);
                }

                @Override
                BaseProtocol writePipeProtocol(BaseProtocol kit) {
                    return tracked((Protocol) kit);
                }

                private Protocol tracked(Protocol kit) {
                    open.add(kit);
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        @Override
                        public void connectionLost(Throwable exc) {
                            open.remove(kit);
                            super.connectionLost(exc);
                        }
                    };
                }

                @Override
                public void close() {
                    List<Protocol> told = new ArrayList<>(open);
                    open.clear();
                    told.forEach(p -> p.connectionLost(null));
                    super.close();
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

    @Breaks(rule = "SUB-08", kit = Kit.TRANSPORT, how = "signalGroup and killGroup of a group leader signal the child only, not its group")
    public static final class GroupSignalReachesTheChildOnly extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                public AsyncFuture<Subprocess> subprocessExec(List<String> argv, SubprocessOptions options) {
                    AsyncFuture<Subprocess> started = super.subprocessExec(argv, options);
                    if (!options.leadsItsGroup()) {
                        return started; // its signalGroup is refused, as it should be
                    }
                    return map(started, real -> new Forwarding.Process(real) {
                        @Override
                        public void signalGroup(int signum) {
                            real.sendSignal(signum);
                        }
                    });
                }
            };
        }
    }

    @Breaks(rule = "SUB-09", kit = Kit.TRANSPORT, how = "a process's signals after its exit throw IllegalStateException, as if the pid were gone")
    public static final class SignalsAfterTheExitThrow extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                Subprocess callerProcess(Subprocess real) {
                    return new Forwarding.Process(real) {
                        @Override
                        public void sendSignal(int signum) {
                            if (real.returnCode() != null) {
                                throw new IllegalStateException("process " + real.pid() + " has exited");
                            }
                            real.sendSignal(signum);
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SUB-10", kit = Kit.TRANSPORT, how = "a program started with an environment is looked up on the JVM's PATH, not the child's")
    public static final class LooksUpOnTheJvmPath extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                public AsyncFuture<Subprocess> subprocessExec(List<String> argv, SubprocessOptions options) {
                    String program = argv.isEmpty() ? "" : argv.get(0);
                    if (options.env() == null || program.contains("/")) {
                        return super.subprocessExec(argv, options);
                    }
                    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                        Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
                        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                            List<String> found = new ArrayList<>(argv);
                            found.set(0, candidate.toString());
                            return super.subprocessExec(found, options);
                        }
                    }
                    AsyncFuture<Subprocess> failed = createFuture();
                    failed.setException(new FileNotFoundException("Cannot run program \"" + program + "\": not found on the JVM's PATH"));
                    return failed;
                }
            };
        }
    }

    @Breaks(rule = "SUB-11", kit = Kit.TRANSPORT, how = "Redirect.appendTo truncates the file, as toFile does")
    public static final class AppendTruncates extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new TransportMutantLoop() {
                @Override
                public AsyncFuture<Subprocess> subprocessExec(List<String> argv, SubprocessOptions options) {
                    if (options.stdout().kind() != Redirect.Kind.APPEND_FILE) {
                        return super.subprocessExec(argv, options);
                    }
                    SubprocessOptions.Builder b = SubprocessOptions.builder().stdin(options.stdin()).stdout(Redirect.toFile(options.stdout().path()))
                            .stderr(options.stderr()).env(options.env()).cwd(options.cwd()).passFds(options.passFds())
                            .startNewSession(options.startNewSession()).processGroup(options.processGroup());
                    return super.subprocessExec(argv, b.build());
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

    @Breaks(rule = "STR-04", kit = Kit.TRANSPORT, how = "read(n) waits for n bytes, as readExactly, instead of returning what is buffered")
    public static final class ReadWaitsForN extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new StdoutMutant() {
                @Override
                StreamReader stdout(StreamReader real) {
                    return new Forwarding.Reader(this, real) {
                        @Override
                        public AsyncFuture<byte[]> read(int n) {
                            if (n <= 0) {
                                return real.read(n);
                            }
                            AsyncFuture<byte[]> inner = real.readExactly(n);
                            AsyncFuture<byte[]> out = cancellingAtOnce(createFuture(), inner);
                            inner.addDoneCallback(done -> {
                                if (out.done()) {
                                    return;
                                }
                                if (done.exception() instanceof IncompleteReadException) {
                                    out.setResult(((IncompleteReadException) done.exception()).getPartial()); // end of file: what there was
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

    @Breaks(rule = "STR-06", kit = Kit.TRANSPORT, how = "readExactly that takes a paused reader down to its limit leaves the transport paused until the next read")
    public static final class ReadDownKeepsThePause extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new StdoutMutant() {
                private ReadTransport pipe;

                @Override
                Subprocess callerProcess(Subprocess real) {
                    BaseTransport stdout = real.transport().getPipeTransport(1);
                    pipe = stdout instanceof ReadTransport ? (ReadTransport) stdout : null;
                    return super.callerProcess(real);
                }

                @Override
                StreamReader stdout(StreamReader real) {
                    ReadTransport transport = pipe;
                    return new Forwarding.Reader(this, real) {
                        /** Whether this wrapper paused the transport behind the reader's back. */
                        private boolean heldPaused;

                        private void release() {
                            if (heldPaused) {
                                heldPaused = false;
                                transport.resumeReading();
                            }
                        }

                        @Override
                        public AsyncFuture<byte[]> read(int n) {
                            release();
                            return real.read(n);
                        }

                        @Override
                        public AsyncFuture<byte[]> readLine() {
                            release();
                            return real.readLine();
                        }

                        @Override
                        public AsyncFuture<byte[]> readUntil(byte[] separator) {
                            release();
                            return real.readUntil(separator);
                        }

                        @Override
                        public AsyncFuture<byte[]> readExactly(int n) {
                            release();
                            boolean wasPaused = !transport.isReading();
                            AsyncFuture<byte[]> inner = real.readExactly(n);
                            if (wasPaused && inner.done() && real.bufferedSize() > 0 && transport.isReading()) {
                                transport.pauseReading(); // the reader resumed it; the mutation takes that back
                                heldPaused = true;
                            }
                            return inner;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "STR-07", kit = Kit.TRANSPORT, how = "a second read while one waits is queued behind it instead of failing")
    public static final class SecondReadWaitsItsTurn extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new StdoutMutant() {
                @Override
                StreamReader stdout(StreamReader real) {
                    return new Forwarding.Reader(this, real) {
                        private AsyncFuture<byte[]> last;

                        private AsyncFuture<byte[]> inTurn(Supplier<AsyncFuture<byte[]>> read) {
                            AsyncFuture<byte[]> before = last;
                            AsyncFuture<byte[]> mine;
                            if (before == null || before.done()) {
                                mine = read.get();
                            } else {
                                AsyncFuture<byte[]> queued = createFuture();
                                before.addDoneCallback(done -> read.get().addDoneCallback(r -> {
                                    if (r.cancelled()) {
                                        queued.cancel();
                                    } else if (r.exception() != null) {
                                        queued.setException(r.exception());
                                    } else {
                                        queued.setResult(r.result());
                                    }
                                }));
                                mine = queued;
                            }
                            last = mine;
                            return mine;
                        }

                        @Override
                        public AsyncFuture<byte[]> read(int n) {
                            return inTurn(() -> real.read(n));
                        }

                        @Override
                        public AsyncFuture<byte[]> readExactly(int n) {
                            return inTurn(() -> real.readExactly(n));
                        }

                        @Override
                        public AsyncFuture<byte[]> readLine() {
                            return inTurn(real::readLine);
                        }

                        @Override
                        public AsyncFuture<byte[]> readUntil(byte[] separator) {
                            return inTurn(() -> real.readUntil(separator));
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "STR-08", kit = Kit.TRANSPORT, how = "drain() of a process's stdin completes a loop iteration late even when writing is not paused")
    public static final class DrainOneIterationLate extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new StdinMutant() {
                @Override
                AsyncFuture<Void> drain(StreamWriter real) {
                    AsyncFuture<Void> late = createFuture();
                    real.drain().addDoneCallback(done -> callSoon(() -> {
                        if (done.exception() != null) {
                            late.setException(done.exception());
                        } else {
                            late.setResult(null);
                        }
                    }));
                    return late;
                }
            };
        }
    }

    @Breaks(rule = "STR-09", kit = Kit.TRANSPORT, how = "drain() of a process's closed stdin completes normally after the connection is lost")
    public static final class DrainAfterLossSucceeds extends MutantPolicy {
        @Override
        TransportMutantLoop mutant() {
            return new StdinMutant() {
                @Override
                AsyncFuture<Void> drain(StreamWriter real) {
                    if (!real.transport().isClosing()) {
                        return real.drain();
                    }
                    AsyncFuture<Void> done = createFuture();
                    done.setResult(null);
                    return done;
                }
            };
        }
    }

    @Breaks(rule = "STR-10", kit = Kit.TRANSPORT, how = "a process's stdout pipe honours the reader's first pauseReading() and ignores the later ones")
    public static final class OnlyTheFirstPauseHolds extends MutantPolicy {
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
                        private ReadTransport stdout;

                        @Override
                        public BaseTransport getPipeTransport(int fd) {
                            BaseTransport pipe = real.getPipeTransport(fd);
                            if (fd != 1 || !(pipe instanceof ReadTransport)) {
                                return pipe;
                            }
                            if (stdout == null) {
                                stdout = new Forwarding.Reading((ReadTransport) pipe) {
                                    private int pauses;

                                    @Override
                                    public void pauseReading() {
                                        if (++pauses == 1) {
                                            real.pauseReading();
                                        }
                                    }
                                };
                            }
                            return stdout;
                        }
                    };
                }
            };
        }
    }

    // ----- shared parts ------------------------------------------------------------------------------

    /** A loop whose processes with streams hand the caller a stdin writer whose drain() is {@link #drain}'s. */
    abstract static class StdinMutant extends TransportMutantLoop {
        abstract AsyncFuture<Void> drain(StreamWriter real);

        @Override
        Subprocess callerProcess(Subprocess real) {
            StreamWriter writer = real.stdin() == null ? null : new Forwarding.Writer(this, real.stdin()) {
                @Override
                public AsyncFuture<Void> drain() {
                    return StdinMutant.this.drain(this.real);
                }
            };
            return new Forwarding.Process(real) {
                @Override
                public StreamWriter stdin() {
                    return writer;
                }
            };
        }
    }


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

        /** {@code inner}'s outcome with its result mapped by {@code f}; cancelling it cancels {@code inner} at once. */
        AsyncFuture<byte[]> relay(AsyncFuture<byte[]> inner, Function<byte[], byte[]> f) {
            AsyncFuture<byte[]> out = cancellingAtOnce(createFuture(), inner);
            inner.addDoneCallback(done -> {
                if (out.done()) {
                    return;
                }
                if (done.exception() != null) {
                    out.setException(done.exception());
                } else {
                    out.setResult(f.apply(done.result()));
                }
            });
            return out;
        }
    }

    /**
     * {@code out}, whose cancel() also cancels {@code inner} before it returns: a reader gives a cancelled read's
     * place up at once (STR-07), which a cancellation passed on from a done callback, a loop iteration later, is not.
     */
    static AsyncFuture<byte[]> cancellingAtOnce(AsyncFuture<byte[]> out, AsyncFuture<byte[]> inner) {
        return new ForwardingFuture<>(out) {
            @Override
            public boolean cancel() {
                inner.cancel();
                return delegate.cancel();
            }

            @Override
            public boolean cancel(String message) {
                inner.cancel(message);
                return delegate.cancel(message);
            }
        };
    }
}
