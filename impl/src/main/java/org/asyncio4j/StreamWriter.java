package org.asyncio4j;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes to a transport with flow control: CPython's {@code asyncio.StreamWriter}. {@link #drain()} is the
 * way to respect the transport's water marks: write, then wait for drain before writing more.
 */
public class StreamWriter {
    private WriteTransport transport;
    private final FlowControlProtocol protocol;
    private final @Nullable StreamReader reader;
    private final EventLoop loop;

    /**
     * A writer on {@code transport}, whose protocol is {@code protocol}: CPython's
     * {@code StreamWriter(transport, protocol, reader, loop)}.
     *
     * @param transport the transport written to
     * @param protocol the transport's protocol, which {@link #drain()} and {@link #waitClosed()} wait on
     * @param reader the reader of the same connection, whose exception {@link #drain()} reports, or null
     * @param loop the loop whose futures this writer returns
     * @throws NullPointerException if {@code transport}, {@code protocol} or {@code loop} is null
     */
    public StreamWriter(WriteTransport transport, FlowControlProtocol protocol, @Nullable StreamReader reader,
            EventLoop loop) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.reader = reader;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** {@return the transport written to} */
    public WriteTransport transport() {
        return transport;
    }

    /**
     * Writes {@code data} to the transport (buffered as needed), as {@link WriteTransport#write}; see
     * {@link #drain()}.
     *
     * @param data the bytes to send
     * @throws NullPointerException if {@code data} is null
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Writes each chunk in turn, as {@link WriteTransport#writelines}.
     *
     * @param chunks the byte arrays to send, in order
     * @throws NullPointerException if {@code chunks} or one of them is null
     */
    public void writelines(Iterable<byte[]> chunks) {
        transport.writelines(chunks);
    }

    /** Closes the write end once buffered data is flushed. */
    public void writeEof() {
        transport.writeEof();
    }

    /** {@return whether the transport supports {@link #writeEof()}} */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the transport; see {@link #waitClosed()}. */
    public void close() {
        transport.close();
    }

    /** {@return whether the transport is closing or closed} */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * {@return a future done once the protocol's {@code connectionLost} has run (failed with its exception, if
     * any)} CPython's {@code wait_closed}.
     */
    public AsyncFuture<Void> waitClosed() {
        return protocol.closeWaiter();
    }

    /**
     * The transport's extra information, as {@link BaseTransport#getExtraInfo(String, Object)}.
     *
     * @param key the name of the information, e.g. {@code "pipe"}
     * @param defaultValue what to return when the transport has no value for {@code key}; may be null
     * @return the value, or {@code defaultValue}
     */
    public @Nullable Object getExtraInfo(String key, @Nullable Object defaultValue) {
        return transport.getExtraInfo(key, defaultValue);
    }

    /**
     * A future done when it is fine to write again: at once unless the transport paused writing, else when
     * it resumes (STR-08). Fails with the reader's exception if it has one, or with
     * {@code IOException("Connection lost")} once the connection is lost; a closing transport is given one
     * loop iteration to report its loss first, as CPython's {@code sleep(0)}.
     *
     * @return a future of this writer's loop, done with null when writing may go on
     */
    public AsyncFuture<Void> drain() {
        if (reader != null && reader.exception() != null) {
            AsyncFuture<Void> failed = loop.createFuture();
            failed.setException(reader.exception());
            return failed;
        }
        if (!transport.isClosing()) {
            return protocol.drainHelper();
        }
        AsyncFuture<Void> result = loop.createFuture();
        loop.callSoon(() -> protocol.drainHelper().addDoneCallback(h -> {
            if (result.done()) {
                return;
            }
            if (h.exception() != null) {
                result.setException(h.exception());
            } else {
                result.setResult(null);
            }
        }));
        return result;
    }

    /**
     * Upgrades the connection to TLS: CPython's {@code StreamWriter.start_tls}. Drains first, then
     * {@link EventLoop#startTls} with this writer's protocol; once the handshake is done this writer and its reader
     * use the TLS transport ({@link #transport()} returns it).
     *
     * @param options the context, the side ({@link TlsOptions#server} on a server's connection), the server host
     *     name and the timeouts
     * @return a future of this writer's loop, done with null after the handshake; failed as
     *     {@link EventLoop#startTls} fails, or with the drain's error
     * @throws NullPointerException if {@code options} is null
     * @throws IllegalStateException "startTls needs a transport that reads and writes: T" for a pipe's writer
     */
    public AsyncFuture<Void> startTls(TlsOptions options) {
        Objects.requireNonNull(options, "options");
        if (!(transport instanceof Transport plain)) {
            throw new IllegalStateException("startTls needs a transport that reads and writes: " + transport);
        }
        AsyncFuture<Void> result = loop.createFuture();
        drain().addDoneCallback(d -> {
            if (d.cancelled() || result.done()) {
                result.cancel();
                return;
            }
            if (d.exception() != null) {
                result.setException(d.exception());
                return;
            }
            AsyncFuture<Transport> upgrading;
            try {
                upgrading = loop.startTls(plain, protocol, options);
            } catch (RuntimeException e) {
                result.setException(e);
                return;
            }
            result.addDoneCallback(r -> {
                if (r.cancelled()) {
                    upgrading.cancel(); // closes the connection, as a cancelled start_tls does
                }
            });
            upgrading.addDoneCallback(u -> {
                if (u.cancelled()) {
                    result.cancel();
                } else if (u.exception() != null) {
                    result.setException(u.exception());
                } else {
                    transport = u.result();
                    if (protocol instanceof StreamReaderProtocol streams) {
                        streams.upgraded(u.result());
                    }
                    if (!result.done()) {
                        result.setResult(null);
                    }
                }
            });
        });
        return result;
    }

    @Override
    public String toString() {
        return "StreamWriter[transport=" + transport + (reader != null ? ", reader=" + reader : "") + "]";
    }
}
