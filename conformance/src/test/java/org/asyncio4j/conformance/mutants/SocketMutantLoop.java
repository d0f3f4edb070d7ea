package org.asyncio4j.conformance.mutants;

import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.ConnectionOptions;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.Server;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * The reference {@link SelectorEventLoop} with hooks through which a socket mutant breaks one rule: the protocols
 * of the caller's connections (made by {@code createConnection}, or accepted by a server of {@code createServer}),
 * the transports and servers the caller sees. Each hook returns what it was given unless a mutant overrides it; a
 * mutant of the low-level calls overrides the call itself.
 */
abstract class SocketMutantLoop extends SelectorEventLoop {
    private final Map<BaseTransport, BaseTransport> views = new IdentityHashMap<>();

    /** The protocol the loop drives for the caller's connecting end {@code kit}. */
    Protocol clientProtocol(Protocol kit) {
        return kit;
    }

    /** The protocol the loop drives for a connection accepted by a server, {@code kit} from the caller's factory. */
    Protocol serverProtocol(Protocol kit) {
        return kit;
    }

    /** The transport the caller sees for {@code real}. */
    Transport callerTransport(Transport real) {
        return real;
    }

    /** The server the caller sees for {@code real}. */
    Server callerServer(Server real) {
        return real;
    }

    /** The caller's view of {@code real}, the same object every time. */
    final BaseTransport view(BaseTransport real) {
        return views.computeIfAbsent(real, r -> callerTransport((Transport) r));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> createConnection(
            Supplier<? extends P> protocolFactory, String host, int port, ConnectionOptions options) {
        Object[] kit = new Object[1];
        AsyncFuture<TransportAndProtocol<Transport, Protocol>> inner = super.createConnection(() -> {
            P p = protocolFactory.get();
            kit[0] = p;
            return clientProtocol(p);
        }, host, port, options);
        return map(inner, tp -> new TransportAndProtocol<>((Transport) view(tp.transport()), (P) kit[0]));
    }

    @Override
    public AsyncFuture<Server> createServer(Supplier<? extends Protocol> protocolFactory, List<String> hosts, int port,
            ServerOptions options) {
        return map(super.createServer(() -> serverProtocol(protocolFactory.get()), hosts, port, options), this::callerServer);
    }

    /** {@code inner}'s outcome, its result through {@code f}, in a future of this loop. */
    final <T, R> AsyncFuture<R> map(AsyncFuture<T> inner, Function<T, R> f) {
        AsyncFuture<R> outer = createFuture();
        inner.addDoneCallback(done -> {
            if (done.cancelled()) {
                outer.cancel();
            } else if (done.exception() != null) {
                outer.setException(done.exception());
            } else {
                outer.setResult(f.apply(done.result()));
            }
        });
        return outer;
    }

    /** A socket transport that passes every call on to a real one. */
    static class ForwardingTransport implements Transport {
        final Transport real;

        ForwardingTransport(Transport real) {
            this.real = real;
        }

        @Override public boolean isReading() { return real.isReading(); }
        @Override public void pauseReading() { real.pauseReading(); }
        @Override public void resumeReading() { real.resumeReading(); }
        @Override public void write(byte[] data) { real.write(data); }
        @Override public void writeEof() { real.writeEof(); }
        @Override public boolean canWriteEof() { return real.canWriteEof(); }
        @Override public int getWriteBufferSize() { return real.getWriteBufferSize(); }
        @Override public WriteTransport.WriteBufferLimits getWriteBufferLimits() { return real.getWriteBufferLimits(); }
        @Override public void setWriteBufferLimits(int high, int low) { real.setWriteBufferLimits(high, low); }
        @Override public void abort() { real.abort(); }
        @Override public void close() { real.close(); }
        @Override public boolean isClosing() { return real.isClosing(); }
        @Override public Object getExtraInfo(String key, Object defaultValue) { return real.getExtraInfo(key, defaultValue); }
        @Override public void setProtocol(BaseProtocol protocol) { real.setProtocol(protocol); }
        @Override public BaseProtocol getProtocol() { return real.getProtocol(); }
    }

    /** A server that passes every call on to a real one. */
    static class ForwardingServer implements Server {
        final Server real;

        ForwardingServer(Server real) {
            this.real = real;
        }

        @Override public EventLoop getLoop() { return real.getLoop(); }
        @Override public boolean isServing() { return real.isServing(); }
        @Override public AsyncFuture<Void> startServing() { return real.startServing(); }
        @Override public AsyncFuture<Void> serveForever() { return real.serveForever(); }
        @Override public void close() { real.close(); }
        @Override public AsyncFuture<Void> waitClosed() { return real.waitClosed(); }
        @Override public List<LoopSocket> sockets() { return real.sockets(); }
        @Override public List<InetSocketAddress> addresses() { return real.addresses(); }
    }
}
