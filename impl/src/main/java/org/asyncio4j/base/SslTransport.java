package org.asyncio4j.base;

import java.util.Objects;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.Protocol;
import org.asyncio4j.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The transport an application protocol sees over TLS: CPython's {@code _SSLProtocolTransport}, every call
 * forwarded to its {@link SslProtocol}. The contract of a plain transport, except that TLS cannot half-close.
 */
final class SslTransport implements Transport {
    private final SslProtocol ssl;
    private boolean closed;

    SslTransport(SslProtocol ssl) {
        this.ssl = ssl;
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ssl.startShutdown();
        }
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    @Override
    public @Nullable Object getExtraInfo(String key, @Nullable Object defaultValue) {
        Objects.requireNonNull(key, "key");
        return ssl.extraInfo(key, defaultValue);
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (!(protocol instanceof Protocol p)) {
            throw new IllegalArgumentException("protocol must be a Protocol: " + protocol);
        }
        ssl.setAppProtocol(p);
    }

    @Override
    public BaseProtocol getProtocol() {
        return ssl.appProtocol();
    }

    @Override
    public boolean isReading() {
        return !closed && !ssl.appReadingPaused();
    }

    @Override
    public void pauseReading() {
        ssl.pauseReading();
    }

    @Override
    public void resumeReading() {
        ssl.resumeReading();
    }

    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length > 0) {
            ssl.writeAppData(data);
        }
    }

    /** @throws UnsupportedOperationException always: TLS has no half-close (CPython raises NotImplementedError) */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("writeEof is not supported over TLS: TLS cannot half-close");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, ssl.writeBufferSize());
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(ssl.writeLowWater(), ssl.writeHighWater());
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        ssl.setWriteBufferLimits(high, low);
    }

    @Override
    public void abort() {
        closed = true;
        ssl.abort();
    }

    @Override
    public String toString() {
        return "SslTransport[" + ssl + (closed ? ", closing" : "") + "]";
    }
}
