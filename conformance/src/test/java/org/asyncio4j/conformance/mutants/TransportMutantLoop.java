package org.asyncio4j.conformance.mutants;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessProtocol;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * The reference {@link SelectorEventLoop} with hooks through which a transport mutant breaks one rule. What the
 * caller connects or starts passes through them: the pipes the caller connects (never those a subprocess
 * transport connects for its child, which it does on the running loop), the subprocesses started with a
 * protocol of the caller's, and those started with streams. Each hook returns what it was given unless a
 * mutant overrides it.
 */
abstract class TransportMutantLoop extends SelectorEventLoop {
    private final Map<BaseTransport, BaseTransport> views = new IdentityHashMap<>();
    private boolean startingStreams;

    /** The protocol the loop drives for the caller's read pipe {@code kit}. */
    Protocol readPipeProtocol(Protocol kit) {
        return kit;
    }

    /** The protocol the loop drives for the caller's write pipe {@code kit}. */
    BaseProtocol writePipeProtocol(BaseProtocol kit) {
        return kit;
    }

    /** The protocol the loop drives for the caller's subprocess protocol {@code kit}. */
    SubprocessProtocol childProtocol(SubprocessProtocol kit) {
        return kit;
    }

    /** The protocol the loop drives for a process started with streams ({@code streams}: impl's stream protocol). */
    SubprocessProtocol streamsProtocol(SubprocessProtocol streams) {
        return streams;
    }

    /** The transport the caller sees for {@code real} (a read, write or subprocess transport). */
    BaseTransport callerTransport(BaseTransport real) {
        return real;
    }

    /** The process the caller gets for {@code real}. */
    Subprocess callerProcess(Subprocess real) {
        return real;
    }

    /** The caller's view of {@code real}, the same object every time. */
    final BaseTransport view(BaseTransport real) {
        return views.computeIfAbsent(real, this::callerTransport);
    }

    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<ReadTransport, P>> connectReadPipe(Supplier<? extends P> factory, int fd) {
        if (isRunning() || factory == null) {
            return super.connectReadPipe(factory, fd);
        }
        Object[] kit = new Object[1];
        return relay(super.connectReadPipe(() -> {
            P p = factory.get();
            kit[0] = p;
            return readPipeProtocol(p);
        }, fd), kit);
    }

    @Override
    public <P extends BaseProtocol> AsyncFuture<TransportAndProtocol<WriteTransport, P>> connectWritePipe(Supplier<? extends P> factory, int fd) {
        if (isRunning() || factory == null) {
            return super.connectWritePipe(factory, fd);
        }
        Object[] kit = new Object[1];
        return relay(super.connectWritePipe(() -> {
            P p = factory.get();
            kit[0] = p;
            return writePipeProtocol(p);
        }, fd), kit);
    }

    @Override
    public <P extends SubprocessProtocol> AsyncFuture<TransportAndProtocol<SubprocessTransport, P>> subprocessExec(
            Supplier<? extends P> factory, List<String> argv, SubprocessOptions options) {
        boolean streams = startingStreams;
        Object[] kit = new Object[1];
        return relay(super.subprocessExec(() -> {
            P p = factory.get();
            kit[0] = p;
            return streams ? streamsProtocol(p) : childProtocol(p);
        }, argv, options), kit);
    }

    @Override
    public AsyncFuture<Subprocess> subprocessExec(List<String> argv, SubprocessOptions options) {
        AsyncFuture<Subprocess> inner;
        startingStreams = true;
        try {
            inner = super.subprocessExec(argv, options);
        } finally {
            startingStreams = false;
        }
        return map(inner, this::callerProcess);
    }

    /** The connect future as the caller sees it: its transport through {@link #view}, its protocol the caller's. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private <R> AsyncFuture<R> relay(AsyncFuture<? extends TransportAndProtocol<?, ?>> inner, Object[] kit) {
        return map((AsyncFuture) inner, tp -> new TransportAndProtocol(view(((TransportAndProtocol<?, ?>) tp).transport()), (BaseProtocol) kit[0]));
    }

    /** A future of this loop with {@code inner}'s outcome, its result mapped by {@code f}. */
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
}
