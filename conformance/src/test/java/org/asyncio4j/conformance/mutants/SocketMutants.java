package org.asyncio4j.conformance.mutants;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ConnectionOptions;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.Server;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.conformance.KitRun.Kit;
import org.asyncio4j.unix.DefaultEventLoopPolicy;

/**
 * Policies whose loops each break one socket rule: the reference {@link org.asyncio4j.unix.SelectorEventLoop} with
 * one behaviour altered through the hooks of {@link SocketMutantLoop}, or one low-level call overridden. Loops reach
 * the kit through {@code newEventLoop()}, as {@code Certify} binds them.
 */
public final class SocketMutants {
    private SocketMutants() {}

    /** A policy whose loops are {@link #mutant()}s. */
    abstract static class MutantPolicy extends DefaultEventLoopPolicy {
        abstract SocketMutantLoop mutant();

        @Override
        protected EventLoop createEventLoop() {
            return mutant();
        }
    }

    @Breaks(rule = "SCK-01", kit = Kit.SOCKET, how = "the protocol of an accepted connection hears connectionLost twice")
    public static final class AcceptedEndLostTwice extends MutantPolicy {
        @Override
        SocketMutantLoop mutant() {
            return new SocketMutantLoop() {
                @Override
                Protocol serverProtocol(Protocol kit) {
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

    @Breaks(rule = "SCK-02", kit = Kit.SOCKET, how = "a connecting end's protocol never hears pauseWriting or resumeWriting")
    public static final class NoWriteFlowControl extends MutantPolicy {
        @Override
        SocketMutantLoop mutant() {
            return new SocketMutantLoop() {
                @Override
                Protocol clientProtocol(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        @Override
                        public void pauseWriting() {}

                        @Override
                        public void resumeWriting() {}
                    };
                }
            };
        }
    }

    @Breaks(rule = "SCK-03", kit = Kit.SOCKET, how = "an accepted connection closes at end of stream although its eofReceived returned true")
    public static final class EofAlwaysCloses extends MutantPolicy {
        @Override
        SocketMutantLoop mutant() {
            return new SocketMutantLoop() {
                @Override
                Protocol serverProtocol(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view) {
                        @Override
                        public boolean eofReceived() {
                            super.eofReceived();
                            return false;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SCK-04", kit = Kit.SOCKET, how = "abort() of a connecting end flushes like close()")
    public static final class ConnectionAbortFlushes extends MutantPolicy {
        @Override
        SocketMutantLoop mutant() {
            return new SocketMutantLoop() {
                @Override
                Protocol clientProtocol(Protocol kit) {
                    return new Forwarding.PipeProtocol(kit, this::view);
                }

                @Override
                Transport callerTransport(Transport real) {
                    return new ForwardingTransport(real) {
                        @Override
                        public void abort() {
                            real.close();
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SCK-05", kit = Kit.SOCKET, how = "waitClosed() of a closed server completes at once, with its connections still open (CPython 3.11's)")
    public static final class WaitClosedAtOnce extends MutantPolicy {
        @Override
        SocketMutantLoop mutant() {
            return new SocketMutantLoop() {
                @Override
                Server callerServer(Server real) {
                    return new ForwardingServer(real) {
                        @Override
                        public AsyncFuture<Void> waitClosed() {
                            if (real.isServing()) {
                                return real.waitClosed();
                            }
                            AsyncFuture<Void> closed = createFuture();
                            closed.setResult(null);
                            return closed;
                        }
                    };
                }
            };
        }
    }

    @Breaks(rule = "SCK-06", kit = Kit.SOCKET, how = "a refused createConnection leaves a socket open until the loop closes")
    public static final class RefusedConnectionLeaksASocket extends MutantPolicy {
        @Override
        SocketMutantLoop mutant() {
            return new SocketMutantLoop() {
                private final List<LoopSocket> leaked = new ArrayList<>();

                @Override
                public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> createConnection(
                        Supplier<? extends P> protocolFactory, String host, int port, ConnectionOptions options) {
                    AsyncFuture<TransportAndProtocol<Transport, P>> inner = super.createConnection(protocolFactory, host, port, options);
                    AsyncFuture<TransportAndProtocol<Transport, P>> outer = createFuture();
                    inner.addDoneCallback(done -> {
                        if (done.cancelled()) {
                            outer.cancel();
                        } else if (done.exception() != null) {
                            leak();
                            outer.setException(done.exception());
                        } else {
                            outer.setResult(done.result());
                        }
                    });
                    return outer;
                }

                private void leak() {
                    try {
                        leaked.add(openSocket(StandardProtocolFamily.INET));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void close() {
                    leaked.forEach(LoopSocket::close);
                    super.close();
                }
            };
        }
    }

    @Breaks(rule = "SCK-07", kit = Kit.SOCKET, how = "sockRecv at end of stream fails with EOFException instead of returning an empty array")
    public static final class SockRecvFailsAtEndOfStream extends MutantPolicy {
        @Override
        SocketMutantLoop mutant() {
            return new SocketMutantLoop() {
                @Override
                public AsyncFuture<byte[]> sockRecv(LoopSocket sock, int n) {
                    AsyncFuture<byte[]> inner = super.sockRecv(sock, n);
                    AsyncFuture<byte[]> outer = createFuture();
                    inner.addDoneCallback(done -> {
                        if (done.cancelled()) {
                            outer.cancel();
                        } else if (done.exception() != null) {
                            outer.setException(done.exception());
                        } else if (done.result().length == 0 && n > 0) {
                            outer.setException(new EOFException("end of stream"));
                        } else {
                            outer.setResult(done.result());
                        }
                    });
                    outer.addDoneCallback(done -> {
                        if (done.cancelled()) {
                            inner.cancel();
                        }
                    });
                    return outer;
                }
            };
        }
    }

    @Breaks(rule = "SCK-08", kit = Kit.SOCKET, how = "a cancelled sockRecv takes the next chunk that arrives and drops it")
    public static final class CancelledSockRecvTakesTheNextChunk extends MutantPolicy {
        @Override
        SocketMutantLoop mutant() {
            return new SocketMutantLoop() {
                private final Set<LoopSocket> owed = Collections.newSetFromMap(new IdentityHashMap<>());

                @Override
                public AsyncFuture<byte[]> sockRecv(LoopSocket sock, int n) {
                    if (!owed.remove(sock)) {
                        AsyncFuture<byte[]> f = super.sockRecv(sock, n);
                        f.addDoneCallback(done -> {
                            if (done.cancelled()) {
                                owed.add(sock);
                            }
                        });
                        return f;
                    }
                    // the cancelled call's chunk: received, then dropped; the caller gets the one after it
                    AsyncFuture<byte[]> outer = createFuture();
                    super.sockRecv(sock, n).addDoneCallback(stolen -> {
                        if (stolen.exception() != null || stolen.cancelled() || stolen.result().length == 0) {
                            relay(stolen, outer);
                        } else {
                            super.sockRecv(sock, n).addDoneCallback(next -> relay(next, outer));
                        }
                    });
                    return outer;
                }
            };
        }
    }

    private static void relay(AsyncFuture<byte[]> from, AsyncFuture<byte[]> to) {
        if (from.cancelled()) {
            to.cancel();
        } else if (from.exception() != null) {
            to.setException(from.exception());
        } else {
            to.setResult(from.result());
        }
    }
}
