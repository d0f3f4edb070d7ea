package org.asyncio4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * CPython's {@code asyncio.streams.open_connection}, {@code start_server}, {@code open_unix_connection} and
 * {@code start_unix_server}, for any loop that implements {@link EventLoop#createConnection},
 * {@link EventLoop#createServer} and their Unix-domain counterparts.
 */
final class SocketStreams {
    private SocketStreams() {}

    static AsyncFuture<StreamConnection> openConnection(EventLoop loop, String host, int port,
            @Nullable ConnectionOptions options, int limit) {
        StreamReader reader = new StreamReader(loop, limit); // refuses a bad limit before anything starts
        AsyncFuture<TransportAndProtocol<Transport, StreamReaderProtocol>> connecting =
                loop.createConnection(() -> new StreamReaderProtocol(reader, loop), host, port, options);
        return settle(loop, connecting,
                tp -> new StreamConnection(reader, new StreamWriter(tp.transport(), tp.protocol(), reader, loop)),
                tp -> tp.transport().close());
    }

    static AsyncFuture<Server> startServer(EventLoop loop, BiConsumer<StreamReader, StreamWriter> clientConnected,
            @Nullable String host, int port, @Nullable ServerOptions options, int limit) {
        Objects.requireNonNull(clientConnected, "clientConnected");
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0: limit=" + limit); // StreamReader's message
        }
        AsyncFuture<Server> creating = loop.createServer(
                () -> new ServerStreamProtocol(loop, limit, clientConnected), host, port, options);
        return settle(loop, creating, server -> server, Server::close);
    }

    static AsyncFuture<StreamConnection> openUnixConnection(EventLoop loop, String path, int limit) {
        StreamReader reader = new StreamReader(loop, limit);
        AsyncFuture<TransportAndProtocol<Transport, StreamReaderProtocol>> connecting =
                loop.createUnixConnection(() -> new StreamReaderProtocol(reader, loop), path);
        return settle(loop, connecting,
                tp -> new StreamConnection(reader, new StreamWriter(tp.transport(), tp.protocol(), reader, loop)),
                tp -> tp.transport().close());
    }

    static AsyncFuture<Server> startUnixServer(EventLoop loop, BiConsumer<StreamReader, StreamWriter> clientConnected,
            String path, @Nullable UnixServerOptions options, int limit) {
        Objects.requireNonNull(clientConnected, "clientConnected");
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0: limit=" + limit); // StreamReader's message
        }
        AsyncFuture<Server> creating = loop.createUnixServer(
                () -> new ServerStreamProtocol(loop, limit, clientConnected), path, options);
        return settle(loop, creating, server -> server, Server::close);
    }

    /** A future of {@code loop} with {@code made(f.result())}; cancelling it cancels {@code f} or undoes its result. */
    private static <T, R> AsyncFuture<R> settle(EventLoop loop, AsyncFuture<T> f, Function<T, R> made,
            Consumer<T> undo) {
        AsyncFuture<R> result = loop.createFuture();
        f.addDoneCallback(done -> {
            if (done.cancelled()) {
                result.cancel();
            } else if (done.exception() != null) {
                result.setException(done.exception());
            } else if (result.cancelled()) {
                undo.accept(done.result());
            } else {
                result.setResult(made.apply(done.result()));
            }
        });
        result.addDoneCallback(r -> {
            if (r.cancelled()) {
                f.cancel();
            }
        });
        return result;
    }

    /**
     * A server connection's protocol: feeds its reader and hands reader and writer to the callback once
     * connected (CPython's {@code StreamReaderProtocol} with a {@code client_connected_cb}).
     */
    static final class ServerStreamProtocol extends StreamReaderProtocol {
        private final BiConsumer<StreamReader, StreamWriter> clientConnected;

        ServerStreamProtocol(EventLoop loop, int limit, BiConsumer<StreamReader, StreamWriter> clientConnected) {
            super(new StreamReader(loop, limit), loop);
            this.clientConnected = clientConnected;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            super.connectionMade(transport);
            Transport connection = (Transport) transport;
            StreamWriter writer = new StreamWriter(connection, this, reader(), loop);
            try {
                clientConnected.accept(reader(), writer);
            } catch (RuntimeException e) {
                Map<String, Object> context = new HashMap<>();
                context.put("message", "Unhandled exception in client_connected_cb");
                context.put("exception", e);
                context.put("transport", transport);
                loop.callExceptionHandler(context);
                connection.close();
            }
        }
    }
}
