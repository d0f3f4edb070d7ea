package org.asyncio4j.base;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.asyncio4j.TlsOptions;
import org.jspecify.annotations.Nullable;

/**
 * One connection's {@link SSLEngine} with the buffers that CPython's memory BIOs are: encrypted bytes received
 * and not yet unwrapped ({@link #received}), decrypted bytes not yet handed to the application, and encrypted
 * bytes wrapped and not yet handed to the plain transport ({@link #takeOutgoing}). Buffers start at the session's
 * packet and application sizes and grow as needed. Delegated tasks run inline. Used on the loop's thread only.
 */
final class TlsEngine {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private byte[] outgoing = new byte[0];
    private int outgoingSize;

    /**
     * The engine of one connection: client or server mode; for a client with a host name, SNI and the
     * {@code "HTTPS"} host name check unless the caller's parameters name another algorithm.
     *
     * @param options the context, side, host name and parameters
     * @param peer the address connected to (the engine's peer port, for session reuse), or null
     */
    TlsEngine(TlsOptions options, @Nullable InetSocketAddress peer) {
        String hostname = options.serverHostname();
        boolean named = !options.serverSide() && hostname != null && !hostname.isEmpty();
        engine = named
                ? options.context().createSSLEngine(hostname, peer == null ? -1 : peer.getPort())
                : options.context().createSSLEngine();
        engine.setUseClientMode(!options.serverSide());
        SSLParameters given = options.parameters();
        if (given != null) {
            engine.setSSLParameters(given);
        }
        if (named) {
            SSLParameters parameters = engine.getSSLParameters(); // a copy: the caller's are left as they are
            if (parameters.getEndpointIdentificationAlgorithm() == null) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(parameters);
            }
        }
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    }

    SSLEngine engine() {
        return engine;
    }

    /** Keeps encrypted bytes received from the peer until {@link #unwrap()}. */
    void received(byte[] data) {
        if (netIn.remaining() < data.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, netIn.position() + data.length));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
    }

    /** {@return how many encrypted bytes received wait to be unwrapped} CPython's {@code _incoming.pending}. */
    int pendingIn() {
        return netIn.position();
    }

    /** Unwraps one record received into the application buffer, growing it when the engine asks. */
    SSLEngineResult unwrap() throws SSLException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                int need = engine.getSession().getApplicationBufferSize();
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(appIn.capacity() * 2, appIn.position() + need));
                appIn.flip();
                bigger.put(appIn);
                appIn = bigger;
                continue;
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            return r;
        }
    }

    /** Wraps what the engine takes of {@code src} (a handshake message when empty) into the outgoing bytes. */
    SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        while (true) {
            SSLEngineResult r = engine.wrap(src, netOut);
            if (netOut.position() > 0) {
                netOut.flip();
                int n = netOut.remaining();
                if (outgoing.length - outgoingSize < n) {
                    outgoing = Arrays.copyOf(outgoing, Math.max(outgoing.length * 2, outgoingSize + n));
                }
                netOut.get(outgoing, outgoingSize, n);
                outgoingSize += n;
                netOut.clear();
            }
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            return r;
        }
    }

    /** Wraps a handshake message (nothing of the application's). */
    SSLEngineResult wrapHandshake() throws SSLException {
        return wrap(EMPTY);
    }

    /** Wraps what the engine must send after the handshake (a key update's answer), a bounded number of times. */
    void wrapWhileNeeded() throws SSLException {
        for (int i = 0; i < 8 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            if (wrap(EMPTY).getStatus() == Status.CLOSED) {
                return;
            }
        }
    }

    /** Closes the sending side: close_notify (or the alert of a failed handshake) goes to the outgoing bytes. */
    void closeOutbound() throws SSLException {
        if (engine.isOutboundDone()) {
            return;
        }
        engine.closeOutbound();
        for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
            wrap(EMPTY);
        }
    }

    void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** {@return the decrypted bytes not yet handed over, then empty; null when there are none} */
    byte @Nullable [] takeAppData() {
        if (appIn.position() == 0) {
            return null;
        }
        appIn.flip();
        byte[] data = new byte[appIn.remaining()];
        appIn.get(data);
        appIn.clear();
        return data;
    }

    /** Drops the decrypted bytes (received while shutting down). */
    void dropAppData() {
        appIn.clear();
    }

    /** {@return how many encrypted bytes wait for the plain transport} CPython's {@code _outgoing.pending}. */
    int outgoingSize() {
        return outgoingSize;
    }

    /** {@return the encrypted bytes that wait for the plain transport, then none wait} */
    byte[] takeOutgoing() {
        byte[] data = Arrays.copyOf(outgoing, outgoingSize);
        outgoingSize = 0;
        return data;
    }

    /** Drops the encrypted bytes that wait (the connection is lost). */
    void dropOutgoing() {
        outgoingSize = 0;
    }
}
