package org.asyncio4j;

import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * How {@link EventLoop#startTls} upgrades a connection: CPython's {@code start_tls} arguments {@code sslcontext},
 * {@code server_side}, {@code server_hostname}, {@code ssl_handshake_timeout} and {@code ssl_shutdown_timeout},
 * plus the {@link SSLParameters} a Java caller sets on the engine (protocols, cipher suites, client
 * authentication). Immutable; build with {@link #client(SSLContext)} or {@link #server(SSLContext)}.
 *
 * <p>A client verifies the server's host name by default: when a server host name is given, the engine's
 * endpoint identification algorithm is {@code "HTTPS"} unless the parameters name another one. An empty server
 * host name turns the check (and SNI) off, as CPython's {@code server_hostname=''}.
 */
public final class TlsOptions {
    /** CPython's {@code SSL_HANDSHAKE_TIMEOUT}: 60 seconds. */
    public static final double DEFAULT_HANDSHAKE_TIMEOUT = 60.0;
    /** CPython's {@code SSL_SHUTDOWN_TIMEOUT}: 30 seconds. */
    public static final double DEFAULT_SHUTDOWN_TIMEOUT = 30.0;

    private final SSLContext context;
    private final boolean serverSide;
    private final @Nullable SSLParameters parameters;
    private final @Nullable String serverHostname;
    private final double handshakeTimeout;
    private final double shutdownTimeout;

    private TlsOptions(Builder b) {
        this.context = b.context;
        this.serverSide = b.serverSide;
        this.parameters = b.parameters;
        this.serverHostname = b.serverHostname;
        this.handshakeTimeout = b.handshakeTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
    }

    /**
     * Starts the options of the client side of a connection.
     *
     * @param context the context the engine is made from
     * @return a builder with CPython's default timeouts and no server host name
     * @throws NullPointerException if {@code context} is null
     */
    public static Builder client(SSLContext context) {
        return new Builder(context, false);
    }

    /**
     * Starts the options of the server side of a connection.
     *
     * @param context the context the engine is made from, with the server's key
     * @return a builder with CPython's default timeouts
     * @throws NullPointerException if {@code context} is null
     */
    public static Builder server(SSLContext context) {
        return new Builder(context, true);
    }

    /** {@return the context the engine is made from} */
    public SSLContext context() {
        return context;
    }

    /** {@return whether this end is the TLS server} */
    public boolean serverSide() {
        return serverSide;
    }

    /** {@return the parameters set on the engine, or null for the context's defaults} */
    public @Nullable SSLParameters parameters() {
        return parameters;
    }

    /** {@return the host name a client sends (SNI) and verifies; null or empty for none} */
    public @Nullable String serverHostname() {
        return serverHostname;
    }

    /** {@return how long the handshake may take, in seconds, before the connection is aborted} */
    public double handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return how long the close_notify exchange may take, in seconds, before the connection is aborted} */
    public double shutdownTimeout() {
        return shutdownTimeout;
    }

    @Override
    public String toString() {
        return "TlsOptions[" + (serverSide ? "server" : "client") + ", context=" + context.getProtocol()
                + ", serverHostname=" + serverHostname + ", handshakeTimeout=" + handshakeTimeout
                + ", shutdownTimeout=" + shutdownTimeout + "]";
    }

    /** Builds {@link TlsOptions}. */
    public static final class Builder {
        private final SSLContext context;
        private final boolean serverSide;
        private @Nullable SSLParameters parameters;
        private @Nullable String serverHostname;
        private double handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private double shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

        private Builder(SSLContext context, boolean serverSide) {
            this.context = Objects.requireNonNull(context, "context");
            this.serverSide = serverSide;
        }

        /**
         * Sets the engine's parameters (copied when the engine is made).
         *
         * @param parameters the parameters, or null for the context's defaults
         * @return this builder
         */
        public Builder parameters(@Nullable SSLParameters parameters) {
            this.parameters = parameters;
            return this;
        }

        /**
         * Sets the host name a client sends and verifies: CPython's {@code server_hostname}.
         *
         * @param hostname the server's name, or "" to verify no name (and send no SNI), or null for none
         * @return this builder
         * @throws IllegalArgumentException "serverHostname is only meaningful for a client: NAME" on a server
         */
        public Builder serverHostname(@Nullable String hostname) {
            if (serverSide && hostname != null) {
                throw new IllegalArgumentException("serverHostname is only meaningful for a client: " + hostname);
            }
            this.serverHostname = hostname;
            return this;
        }

        /**
         * Sets the handshake timeout: CPython's {@code ssl_handshake_timeout}.
         *
         * @param seconds positive
         * @return this builder
         * @throws IllegalArgumentException "sslHandshakeTimeout should be a positive number, got X"
         */
        public Builder handshakeTimeout(double seconds) {
            this.handshakeTimeout = positive("sslHandshakeTimeout", seconds);
            return this;
        }

        /**
         * Sets the shutdown timeout: CPython's {@code ssl_shutdown_timeout}.
         *
         * @param seconds positive
         * @return this builder
         * @throws IllegalArgumentException "sslShutdownTimeout should be a positive number, got X"
         */
        public Builder shutdownTimeout(double seconds) {
            this.shutdownTimeout = positive("sslShutdownTimeout", seconds);
            return this;
        }

        /** {@return the options} */
        public TlsOptions build() {
            return new TlsOptions(this);
        }
    }

    /** CPython's check of the two timeouts, with its message. */
    static double positive(String name, double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(name + " should be a positive number, got " + seconds);
        }
        return seconds;
    }
}
