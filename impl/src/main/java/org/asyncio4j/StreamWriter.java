package org.asyncio4j;

import java.util.Objects;

/**
 * Writes to a transport with flow control: CPython's {@code asyncio.StreamWriter}. {@link #drain()} is the
 * way to respect the transport's water marks: write, then wait for drain before writing more.
 */
public class StreamWriter {
    private final WriteTransport transport;
    private final FlowControlProtocol protocol;
    private final StreamReader reader;
    private final EventLoop loop;

    /**
     * A writer on {@code transport}, whose protocol is {@code protocol}.
     *
     * @param reader the reader of the same connection, whose exception {@link #drain()} reports; may be null
     */
    public StreamWriter(WriteTransport transport, FlowControlProtocol protocol, StreamReader reader, EventLoop loop) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.reader = reader;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** The transport written to. */
    public WriteTransport transport() {
        return transport;
    }

    /** Writes {@code data} to the transport (buffered as needed); see {@link #drain()}. */
    public void write(byte[] data) {
        transport.write(data);
    }

    /** Writes each chunk in turn. */
    public void writelines(Iterable<byte[]> chunks) {
        transport.writelines(chunks);
    }

    /** Closes the write end once buffered data is flushed. */
    public void writeEof() {
        transport.writeEof();
    }

    /** Whether the transport supports {@link #writeEof()}. */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the transport; see {@link #waitClosed()}. */
    public void close() {
        transport.close();
    }

    /** Whether the transport is closing or closed. */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /** A future done once the protocol's {@code connectionLost} has run (failed with its exception, if any). */
    public AsyncFuture<Void> waitClosed() {
        return protocol.closeWaiter();
    }

    /** The transport's extra information. */
    public Object getExtraInfo(String key, Object defaultValue) {
        return transport.getExtraInfo(key, defaultValue);
    }

    /**
     * A future done when it is fine to write again: at once unless the transport paused writing, else when
     * it resumes (STR-08). Fails with the reader's exception if it has one, or with
     * {@code IOException("Connection lost")} once the connection is lost; a closing transport is given one
     * loop iteration to report its loss first, as CPython's {@code sleep(0)}.
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

    @Override
    public String toString() {
        return "StreamWriter[transport=" + transport + (reader != null ? ", reader=" + reader : "") + "]";
    }
}
