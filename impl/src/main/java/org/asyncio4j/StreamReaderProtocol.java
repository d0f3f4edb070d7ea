package org.asyncio4j;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a {@link StreamReader} from a transport: CPython's {@code asyncio.StreamReaderProtocol}. End of file
 * and a clean close feed end of file; a connection lost with an error sets it as the reader's exception.
 */
public class StreamReaderProtocol extends FlowControlProtocol {
    private final StreamReader reader;
    private boolean overSsl;

    /**
     * A protocol feeding {@code reader}, whose futures belong to {@code loop}.
     *
     * @param reader the reader to feed
     * @param loop the loop that calls this protocol
     * @throws NullPointerException if either is null
     */
    public StreamReaderProtocol(StreamReader reader, EventLoop loop) {
        super(loop);
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** {@return the reader this protocol feeds} */
    public StreamReader reader() {
        return reader;
    }

    /** Binds the reader to {@code transport} when it reads, so that the reader's limit can pause it. */
    @Override
    public void connectionMade(BaseTransport transport) {
        overSsl = transport.getExtraInfo("sslcontext") != null;
        if (transport instanceof ReadTransport) {
            reader.setTransport((ReadTransport) transport);
        }
    }

    /** The connection was upgraded to TLS (CPython's {@code _replace_writer}): the reader pauses the TLS transport. */
    void upgraded(Transport tls) {
        overSsl = true;
        reader.replaceTransport(tls);
    }

    @Override
    public void dataReceived(byte[] data) {
        reader.feedData(data);
    }

    /**
     * Feeds end of file; returns true (keep the transport open for writing, where it writes), except over TLS,
     * which cannot half-close (CPython's {@code _over_ssl}).
     */
    @Override
    public boolean eofReceived() {
        reader.feedEof();
        return !overSsl;
    }

    @Override
    public void connectionLost(@Nullable Throwable exc) {
        if (exc == null) {
            reader.feedEof();
        } else {
            reader.setException(exc);
        }
        super.connectionLost(exc);
    }
}
