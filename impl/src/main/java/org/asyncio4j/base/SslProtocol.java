package org.asyncio4j.base;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.Certificate;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Protocol;
import org.asyncio4j.TimerHandle;
import org.asyncio4j.TlsOptions;
import org.asyncio4j.Transport;
import org.asyncio4j.internal.Loggers;
import org.jspecify.annotations.Nullable;

/**
 * CPython 3.11's {@code sslproto.SSLProtocol} on the JDK's {@link SSLEngine}: the protocol of a plain transport
 * (of any loop) that runs TLS over it and calls the application's protocol through an {@link SslTransport}. The
 * same state machine (UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN), the same flow control (application
 * writes are encrypted at once and handed to the plain transport unless it paused this protocol; the application
 * is paused when what waits exceeds 512 KiB; the plain transport's reading is paused when 256 KiB of undecrypted
 * records wait because the application paused its reading) and the same timeouts. The engine and its buffers
 * (CPython's memory BIOs) are a {@link TlsEngine}. Used on the loop's thread only.
 */
final class SslProtocol implements Protocol {
    /** CPython's {@code FLOW_CONTROL_HIGH_WATER_SSL_READ}: 256 KiB. */
    static final int READ_HIGH_WATER = 256 * 1024;
    /** CPython's {@code FLOW_CONTROL_HIGH_WATER_SSL_WRITE}: 512 KiB. */
    static final int WRITE_HIGH_WATER = 512 * 1024;

    /** CPython's {@code SSLProtocolState}. */
    enum State { UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN }

    /** CPython's {@code AppProtocolState}: INIT, then CON_MADE, maybe EOF, then CON_LOST. */
    private enum AppState { INIT, CON_MADE, EOF, CON_LOST }

    private final EventLoop loop;
    private final TlsOptions options;
    private final TlsEngine tls;
    private final SSLEngine engine;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final SslTransport appTransport;
    private Protocol app;
    private @Nullable AsyncFuture<@Nullable Void> waiter;
    private @Nullable Transport transport;
    private @Nullable Transport underlying;
    private State state = State.UNWRAPPED;
    private AppState appState;
    private int connLost;
    private @Nullable Throwable fatal;

    private final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>();
    private long backlogSize;

    private boolean sslWritingPaused;
    private boolean appReadingPaused;
    private boolean sslReadingPaused;
    private boolean appWritingPaused;
    private boolean tcpEof;
    private int incomingHigh = READ_HIGH_WATER;
    private int incomingLow = READ_HIGH_WATER / 4;
    private int outgoingHigh = WRITE_HIGH_WATER;
    private int outgoingLow = WRITE_HIGH_WATER / 4;
    private @Nullable TimerHandle handshakeTimer;
    private @Nullable TimerHandle shutdownTimer;
    private double handshakeStart;

    /**
     * A TLS layer for {@code app}, its engine made now from {@code options}.
     *
     * @param loop the loop of the plain transport
     * @param app the application's protocol
     * @param options the context, side, host name and timeouts
     * @param peer the address connected to (the engine's peer port, for session reuse), or null
     * @param waiter completed once the handshake is done, or failed with its error; null for none
     * @param callConnectionMade false when {@code app} is already connected (start_tls)
     */
    SslProtocol(EventLoop loop, Protocol app, TlsOptions options, @Nullable InetSocketAddress peer,
            @Nullable AsyncFuture<@Nullable Void> waiter, boolean callConnectionMade) {
        this.loop = loop;
        this.app = app;
        this.options = options;
        this.waiter = waiter;
        this.appState = callConnectionMade ? AppState.INIT : AppState.CON_MADE;
        this.tls = new TlsEngine(options, peer);
        this.engine = tls.engine();
        extra.put("sslcontext", options.context());
        this.appTransport = new SslTransport(this);
    }

    /** {@return the transport the application writes to} */
    SslTransport appTransport() {
        return appTransport;
    }

    Protocol appProtocol() {
        return app;
    }

    void setAppProtocol(Protocol protocol) {
        this.app = protocol;
    }

    /** Closes the plain transport (a failed or cancelled connection); idempotent. */
    void closeUnderlying() {
        Transport t = underlying;
        if (t != null) {
            t.close();
        }
    }

    private void wakeUpWaiter(@Nullable Throwable exc) {
        AsyncFuture<@Nullable Void> w = waiter;
        if (w == null) {
            return;
        }
        waiter = null;
        if (!w.done()) {
            if (exc != null) {
                w.setException(exc);
            } else {
                w.setResult(null);
            }
        }
    }

    // ----- the plain transport's callbacks -----------------------------------------------------------------------

    @Override
    public void connectionMade(BaseTransport plain) {
        this.transport = (Transport) plain;
        this.underlying = (Transport) plain;
        startHandshake();
    }

    @Override
    public void connectionLost(@Nullable Throwable exc) {
        Throwable cause = exc != null ? exc : fatal;
        backlog.clear();
        backlogSize = 0;
        tls.dropOutgoing();
        connLost++;
        appTransport.markClosed();
        if (state != State.DO_HANDSHAKE && (appState == AppState.CON_MADE || appState == AppState.EOF)) {
            appState = AppState.CON_LOST;
            Protocol protocol = app;
            loop.callSoon(() -> protocol.connectionLost(cause));
        }
        state = State.UNWRAPPED;
        transport = null;
        if (waiter != null) { // lost before the handshake completed: the create call fails, never succeeds
            wakeUpWaiter(cause != null ? cause : new SSLHandshakeException("Connection lost during the SSL handshake"));
        }
        cancelTimers();
    }

    private void cancelTimers() {
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
    }

    @Override
    public void dataReceived(byte[] data) {
        if (state == State.UNWRAPPED) {
            return; // after a failed handshake or an abort: nothing more is read
        }
        tls.received(data);
        switch (state) {
            case DO_HANDSHAKE -> doHandshake();
            case WRAPPED -> doRead();
            case FLUSHING -> doFlush();
            case SHUTDOWN -> doShutdown();
            default -> { }
        }
    }

    /** The peer's TCP end of stream (not a close_notify): ends the handshake with an error, else shuts down. */
    @Override
    public boolean eofReceived() {
        tcpEof = true;
        try {
            if (loop.getDebug()) {
                Loggers.LOG.log(Level.DEBUG, this + " received EOF");
            }
            switch (state) {
                case DO_HANDSHAKE -> onHandshakeComplete(
                        new SSLHandshakeException("Remote host terminated the handshake"));
                case WRAPPED -> {
                    setState(State.FLUSHING);
                    if (appReadingPaused) {
                        return true;
                    }
                    doFlush();
                }
                case FLUSHING -> {
                    doWrite();
                    setState(State.SHUTDOWN);
                    doShutdown();
                }
                case SHUTDOWN -> doShutdown();
                default -> { }
            }
        } catch (RuntimeException e) {
            Transport t = transport;
            if (t != null) {
                t.close();
            }
            throw e;
        }
        return false;
    }

    /** The plain transport's buffer went above its high-water mark: keep encrypted data here. */
    @Override
    public void pauseWriting() {
        sslWritingPaused = true;
    }

    /** The plain transport drained: hand it what waits. */
    @Override
    public void resumeWriting() {
        sslWritingPaused = false;
        if (transport != null) {
            processOutgoing();
        }
    }

    // ----- state -------------------------------------------------------------------------------------------------

    private void setState(State next) {
        boolean allowed = next == State.UNWRAPPED
                || state == State.UNWRAPPED && next == State.DO_HANDSHAKE
                || state == State.DO_HANDSHAKE && next == State.WRAPPED
                || state == State.WRAPPED && next == State.FLUSHING
                || state == State.FLUSHING && next == State.SHUTDOWN;
        if (!allowed) {
            throw new IllegalStateException("cannot switch state from " + state + " to " + next);
        }
        state = next;
    }

    State state() {
        return state;
    }

    @Nullable Object extraInfo(String key, @Nullable Object defaultValue) {
        if (extra.containsKey(key)) {
            return extra.get(key);
        }
        Transport t = transport;
        return t != null ? t.getExtraInfo(key, defaultValue) : defaultValue;
    }

    // ----- handshake ---------------------------------------------------------------------------------------------

    private void startHandshake() {
        if (loop.getDebug()) {
            Loggers.LOG.log(Level.DEBUG, this + " starts SSL handshake");
            handshakeStart = loop.time();
        }
        setState(State.DO_HANDSHAKE);
        handshakeTimer = loop.callLater(options.handshakeTimeout(), this::checkHandshakeTimeout);
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            onHandshakeComplete(e);
            return;
        }
        doHandshake();
    }

    private void checkHandshakeTimeout() {
        if (state == State.DO_HANDSHAKE) {
            fatalError(new SocketTimeoutException("SSL handshake is taking longer than " + options.handshakeTimeout()
                    + " seconds: aborting the connection"), "Fatal error on transport");
        }
    }

    private void doHandshake() {
        boolean done;
        try {
            done = advanceHandshake();
        } catch (SSLException e) {
            onHandshakeComplete(e);
            return;
        }
        processOutgoing();
        if (done) {
            onHandshakeComplete(null);
        }
    }

    /** Runs the handshake as far as the data received allows; true once it is done. */
    private boolean advanceHandshake() throws SSLException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return true;
                }
                case NEED_TASK -> tls.runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult r = tls.wrapHandshake();
                    if (r.getStatus() == Status.CLOSED && r.bytesProduced() == 0) {
                        throw new SSLHandshakeException("SSL engine closed during the handshake");
                    }
                }
                default -> { // NEED_UNWRAP, NEED_UNWRAP_AGAIN
                    SSLEngineResult r = tls.unwrap();
                    if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                        return false;
                    }
                    if (r.getStatus() == Status.CLOSED) {
                        throw new SSLHandshakeException("Remote host closed the connection during the handshake");
                    }
                }
            }
        }
    }

    private void onHandshakeComplete(@Nullable Exception handshakeExc) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        if (handshakeExc != null) {
            setState(State.UNWRAPPED);
            sendAlert();
            Exception exc = asHandshakeError(handshakeExc);
            boolean certificate = causedBy(handshakeExc, CertificateException.class);
            fatalError(exc, certificate ? "SSL handshake failed on verifying the certificate" : "SSL handshake failed");
            wakeUpWaiter(exc);
            return;
        }
        setState(State.WRAPPED);
        if (loop.getDebug()) {
            Loggers.LOG.log(Level.DEBUG, this + ": SSL handshake took " + (loop.time() - handshakeStart) * 1e3 + " ms");
        }
        SSLSession session = engine.getSession();
        try {
            Certificate[] peer = session.getPeerCertificates();
            if (peer.length > 0) {
                extra.put("peercert", peer[0]);
            }
        } catch (SSLPeerUnverifiedException anonymous) {
            // a server that asked no certificate of its client: no "peercert", as CPython's None
        }
        extra.put("cipher", session.getCipherSuite());
        extra.put("tls_protocol", session.getProtocol());
        extra.put("sslsession", session);
        extra.put("ssl_object", engine);
        if (appState == AppState.INIT) {
            appState = AppState.CON_MADE;
            app.connectionMade(appTransport);
        }
        wakeUpWaiter(null);
        doRead();
    }

    /** The alert the engine has for a failed handshake, handed to the plain transport before it is aborted. */
    private void sendAlert() {
        Transport t = transport;
        if (t == null) {
            return;
        }
        try {
            tls.closeOutbound();
        } catch (SSLException | RuntimeException ignored) {
            // best effort: the peer learns of the failure from the closed connection anyway
        }
        if (tls.outgoingSize() > 0) {
            t.write(tls.takeOutgoing());
        }
    }

    /** A failure of the handshake as the JDK's sockets report it: an {@link SSLHandshakeException}. */
    private static Exception asHandshakeError(Exception exc) {
        if (exc instanceof SSLHandshakeException || !(exc instanceof SSLException)) {
            return exc;
        }
        SSLHandshakeException wrapped = new SSLHandshakeException("SSL handshake failed: " + exc.getMessage());
        wrapped.initCause(exc);
        return wrapped;
    }

    private static boolean causedBy(Throwable exc, Class<? extends Throwable> type) {
        for (Throwable t = exc; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    // ----- shutdown ----------------------------------------------------------------------------------------------

    /** CPython's {@code _start_shutdown}: the application closed, or the peer sent close_notify. */
    void startShutdown() {
        if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
            return;
        }
        appTransport.markClosed();
        if (state == State.DO_HANDSHAKE) {
            abort();
            return;
        }
        setState(State.FLUSHING);
        shutdownTimer = loop.callLater(options.shutdownTimeout(), this::checkShutdownTimeout);
        doFlush();
    }

    private void checkShutdownTimeout() {
        Transport t = transport;
        if ((state == State.FLUSHING || state == State.SHUTDOWN) && t != null) {
            forceClose(t, new SocketTimeoutException("SSL shutdown timed out"));
        }
    }

    private void doFlush() {
        doRead();
        if (state != State.FLUSHING) {
            return; // a fatal error during the read
        }
        if (!backlog.isEmpty()) {
            doWrite();
        }
        setState(State.SHUTDOWN);
        doShutdown();
    }

    /** Sends close_notify and waits for the peer's (what it sends meanwhile is dropped), unless the TCP stream ended. */
    private void doShutdown() {
        try {
            if (!tcpEof) {
                tls.closeOutbound();
                if (!engine.isInboundDone() && !readUntilCloseNotify()) {
                    processOutgoing();
                    return;
                }
            }
        } catch (SSLException e) {
            onShutdownComplete(e);
            return;
        }
        processOutgoing();
        callEofReceived();
        onShutdownComplete(null);
    }

    /** Unwraps what arrived, dropping application data; true once the peer's close_notify has come. */
    private boolean readUntilCloseNotify() throws SSLException {
        while (true) {
            SSLEngineResult r = tls.unwrap();
            tls.dropAppData();
            if (r.getStatus() == Status.CLOSED || engine.isInboundDone()) {
                return true;
            }
            if (r.getStatus() == Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) {
                return false;
            }
        }
    }

    private void onShutdownComplete(@Nullable Exception exc) {
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
        if (exc != null) {
            fatalError(exc, "Fatal error on transport");
            return;
        }
        Transport t = transport;
        if (t != null) {
            loop.callSoon(t::close);
        }
    }

    /** CPython's {@code _abort}: drops everything and aborts the plain transport. */
    void abort() {
        setState(State.UNWRAPPED);
        Transport t = transport;
        if (t != null) {
            t.abort();
        }
    }

    // ----- outgoing ----------------------------------------------------------------------------------------------

    /** CPython's {@code _write_appdata}. */
    void writeAppData(byte[] data) {
        if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
            if (connLost >= WritePipeTransport.LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                Loggers.LOG.log(Level.WARNING, "SSL connection is closed");
            }
            connLost++;
            return;
        }
        backlog.add(ByteBuffer.wrap(data));
        backlogSize += data.length;
        try {
            if (state == State.WRAPPED) {
                doWrite();
            }
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error on SSL protocol");
        }
        if (!backlog.isEmpty() && backlog.peekLast().array() == data) {
            ByteBuffer left = backlog.pollLast();
            backlog.add(ByteBuffer.wrap(Arrays.copyOfRange(data, left.position(), left.limit())));
        }
    }

    private void doWrite() {
        try {
            while (!backlog.isEmpty()) {
                ByteBuffer data = backlog.peekFirst();
                int before = data.remaining();
                SSLEngineResult r = tls.wrap(data);
                backlogSize -= before - data.remaining();
                if (!data.hasRemaining()) {
                    backlog.pollFirst();
                } else if (r.bytesConsumed() == 0) {
                    break; // the engine wants to read first (CPython's SSLWantReadError)
                }
            }
        } catch (SSLException e) {
            fatalError(e, "Fatal error on SSL protocol");
            return;
        }
        processOutgoing();
    }

    private void processOutgoing() {
        Transport t = transport;
        if (!sslWritingPaused && tls.outgoingSize() > 0 && t != null) {
            t.write(tls.takeOutgoing());
        }
        controlAppWriting();
    }

    // ----- incoming ----------------------------------------------------------------------------------------------

    /** CPython's {@code _do_read}. */
    private void doRead() {
        if (state != State.WRAPPED && state != State.FLUSHING) {
            return;
        }
        try {
            if (!appReadingPaused) {
                readCopied();
                if (!backlog.isEmpty()) {
                    doWrite();
                } else {
                    processOutgoing();
                }
            }
            controlSslReading();
        } catch (SSLException | RuntimeException e) {
            fatalError(e, "Fatal error on SSL protocol");
        }
    }

    /** Decrypts every whole record received, hands the application one chunk, then acts on a close_notify. */
    private void readCopied() throws SSLException {
        boolean closeNotify = false;
        while (true) {
            SSLEngineResult r = tls.unwrap();
            if (r.getStatus() == Status.CLOSED) {
                closeNotify = true;
                break;
            }
            if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                break;
            }
            boolean progressed = r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                tls.wrapWhileNeeded(); // a key update's answer, say
            }
            if (!progressed) {
                break;
            }
        }
        byte[] data = tls.takeAppData();
        if (data != null) {
            app.dataReceived(data);
        }
        if (closeNotify) {
            callEofReceived();
            startShutdown();
        }
    }

    private void callEofReceived() {
        try {
            if (appState == AppState.CON_MADE) {
                appState = AppState.EOF;
                if (app.eofReceived()) {
                    Loggers.LOG.log(Level.WARNING, "returning true from eofReceived() has no effect when using ssl");
                }
            }
        } catch (RuntimeException e) {
            fatalError(e, "Error calling eofReceived()");
        }
    }

    // ----- flow control ------------------------------------------------------------------------------------------

    private void controlAppWriting() {
        long size = writeBufferSize();
        if (size >= outgoingHigh && !appWritingPaused) {
            appWritingPaused = true;
            try {
                app.pauseWriting();
            } catch (RuntimeException e) {
                report("protocol.pauseWriting() failed", e);
            }
        } else if (size <= outgoingLow && appWritingPaused) {
            appWritingPaused = false;
            try {
                app.resumeWriting();
            } catch (RuntimeException e) {
                report("protocol.resumeWriting() failed", e);
            }
        }
    }

    long writeBufferSize() {
        return tls.outgoingSize() + backlogSize;
    }

    int writeHighWater() {
        return outgoingHigh;
    }

    int writeLowWater() {
        return outgoingLow;
    }

    void setWriteBufferLimits(int high, int low) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        outgoingHigh = high;
        outgoingLow = low;
        controlAppWriting();
    }

    boolean appReadingPaused() {
        return appReadingPaused;
    }

    void pauseReading() {
        appReadingPaused = true;
    }

    void resumeReading() {
        if (!appReadingPaused) {
            return;
        }
        appReadingPaused = false;
        loop.callSoon(() -> {
            switch (state) {
                case WRAPPED -> doRead();
                case FLUSHING -> doFlush();
                case SHUTDOWN -> doShutdown();
                default -> { }
            }
        });
    }

    private void controlSslReading() {
        Transport t = transport;
        if (t == null) {
            return;
        }
        int size = tls.pendingIn();
        if (size >= incomingHigh && !sslReadingPaused) {
            sslReadingPaused = true;
            t.pauseReading();
        } else if (size <= incomingLow && sslReadingPaused) {
            sslReadingPaused = false;
            t.resumeReading();
        }
    }

    // ----- errors ------------------------------------------------------------------------------------------------

    /**
     * CPython's {@code _fatal_error}: aborts the plain transport, the application's {@code connectionLost} getting
     * {@code exc}; an {@link IOException} is logged in debug mode only, anything else goes to the exception handler.
     */
    private void fatalError(Exception exc, String message) {
        Transport t = transport;
        if (t != null) {
            forceClose(t, exc);
        }
        if (exc instanceof IOException) {
            if (loop.getDebug()) {
                Loggers.LOG.log(Level.DEBUG, this + ": " + message, exc);
            }
        } else {
            Map<String, Object> context = new HashMap<>();
            context.put("message", message);
            context.put("exception", exc);
            if (t != null) {
                context.put("transport", t);
            }
            context.put("protocol", this);
            loop.callExceptionHandler(context);
        }
    }

    /** CPython's {@code _force_close(exc)} on a transport that only aborts: {@code exc} goes to connectionLost. */
    private void forceClose(Transport t, Exception exc) {
        if (fatal == null) {
            fatal = exc;
        }
        t.abort();
    }

    private void report(String message, RuntimeException exc) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", message);
        context.put("exception", exc);
        context.put("transport", appTransport);
        context.put("protocol", this);
        loop.callExceptionHandler(context);
    }

    @Override
    public String toString() {
        return "SslProtocol[" + (options.serverSide() ? "server" : "client") + ", " + state + "]";
    }
}
