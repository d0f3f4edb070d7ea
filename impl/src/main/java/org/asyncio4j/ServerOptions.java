package org.asyncio4j;

import java.net.StandardProtocolFamily;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * How {@link EventLoop#createServer} listens: CPython's {@code family}, {@code backlog}, {@code reuse_address},
 * {@code reuse_port}, {@code start_serving}, {@code ssl}, {@code ssl_handshake_timeout} and
 * {@code ssl_shutdown_timeout} keyword arguments, with CPython's defaults. Immutable; build with
 * {@link #builder()}.
 */
public final class ServerOptions {
    /** CPython's default backlog. */
    public static final int DEFAULT_BACKLOG = 100;
    private static final ServerOptions DEFAULTS = builder().build();

    private final @Nullable StandardProtocolFamily family;
    private final int backlog;
    private final boolean reuseAddress;
    private final boolean reusePort;
    private final boolean startServing;
    private final @Nullable SSLContext ssl;
    private final @Nullable SSLParameters sslParameters;
    private final @Nullable Double sslHandshakeTimeout;
    private final @Nullable Double sslShutdownTimeout;

    private ServerOptions(Builder b) {
        this.ssl = b.ssl;
        this.sslParameters = b.sslParameters;
        this.sslHandshakeTimeout = b.sslHandshakeTimeout;
        this.sslShutdownTimeout = b.sslShutdownTimeout;
        this.family = b.family;
        this.backlog = b.backlog;
        this.reuseAddress = b.reuseAddress;
        this.reusePort = b.reusePort;
        this.startServing = b.startServing;
    }

    /** {@return CPython's defaults: any family, backlog 100, reuse address, not port, start serving} */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the address family to listen on, or null for every family the host resolves to} */
    public @Nullable StandardProtocolFamily family() {
        return family;
    }

    /** {@return the length of each listening socket's queue of pending connections} */
    public int backlog() {
        return backlog;
    }

    /** {@return whether SO_REUSEADDR is set (true by default on Unix, as CPython)} */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    /** {@return whether SO_REUSEPORT is set, so that several sockets may listen on one port} */
    public boolean reusePort() {
        return reusePort;
    }

    /** {@return whether the server accepts connections at once; else from {@link Server#startServing()}} */
    public boolean startServing() {
        return startServing;
    }

    /** {@return the context each accepted connection speaks TLS with, or null for plain connections} */
    public @Nullable SSLContext ssl() {
        return ssl;
    }

    /** {@return the parameters set on each TLS engine (client authentication, say), or null for the defaults} */
    public @Nullable SSLParameters sslParameters() {
        return sslParameters;
    }

    /** {@return the server-side TLS options of each accepted connection, or null for plain connections} */
    public @Nullable TlsOptions tls() {
        if (ssl == null) {
            return null;
        }
        TlsOptions.Builder b = TlsOptions.server(ssl).parameters(sslParameters);
        if (sslHandshakeTimeout != null) {
            b.handshakeTimeout(sslHandshakeTimeout);
        }
        if (sslShutdownTimeout != null) {
            b.shutdownTimeout(sslShutdownTimeout);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "ServerOptions[family=" + family + ", backlog=" + backlog + ", reuseAddress=" + reuseAddress
                + ", reusePort=" + reusePort + ", startServing=" + startServing
                + (ssl == null ? "" : ", ssl=" + ssl.getProtocol() + ", sslHandshakeTimeout=" + sslHandshakeTimeout
                        + ", sslShutdownTimeout=" + sslShutdownTimeout)
                + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerOptions other && Objects.equals(family, other.family) && backlog == other.backlog
                && reuseAddress == other.reuseAddress && reusePort == other.reusePort
                && startServing == other.startServing && ssl == other.ssl && sslParameters == other.sslParameters
                && Objects.equals(sslHandshakeTimeout, other.sslHandshakeTimeout)
                && Objects.equals(sslShutdownTimeout, other.sslShutdownTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, backlog, reuseAddress, reusePort, startServing, ssl, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /** Builds {@link ServerOptions}. */
    public static final class Builder {
        private @Nullable StandardProtocolFamily family;
        private int backlog = DEFAULT_BACKLOG;
        private boolean reuseAddress = true;
        private boolean reusePort;
        private boolean startServing = true;
        private @Nullable SSLContext ssl;
        private @Nullable SSLParameters sslParameters;
        private @Nullable Double sslHandshakeTimeout;
        private @Nullable Double sslShutdownTimeout;

        private Builder() {}

        /**
         * Listens only on addresses of {@code family}.
         *
         * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}, or null for any
         * @return this builder
         * @throws IllegalArgumentException "family must be INET or INET6: UNIX"
         */
        public Builder family(@Nullable StandardProtocolFamily family) {
            this.family = ConnectionOptions.checkFamily(family);
            return this;
        }

        /**
         * Sets the queue length of pending connections.
         *
         * @param backlog at least 0
         * @return this builder
         * @throws IllegalArgumentException {@code "backlog must be >= 0: N"}
         */
        public Builder backlog(int backlog) {
            if (backlog < 0) {
                throw new IllegalArgumentException("backlog must be >= 0: " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Sets SO_REUSEADDR, so that a port whose earlier connections are in TIME_WAIT can be bound again.
         *
         * @param reuse true to set it (the default)
         * @return this builder
         */
        public Builder reuseAddress(boolean reuse) {
            this.reuseAddress = reuse;
            return this;
        }

        /**
         * Sets SO_REUSEPORT, so that several sockets (of this or other processes) can listen on one port.
         *
         * @param reuse true to set it
         * @return this builder
         */
        public Builder reusePort(boolean reuse) {
            this.reusePort = reuse;
            return this;
        }

        /**
         * Whether to accept connections at once.
         *
         * @param start false to wait for {@link Server#startServing()} or {@link Server#serveForever()}
         * @return this builder
         */
        public Builder startServing(boolean start) {
            this.startServing = start;
            return this;
        }

        /**
         * Speaks TLS on each accepted connection: CPython's {@code ssl=context}. The protocol's
         * {@code connectionMade} comes once the handshake is done; a failed handshake closes the connection
         * (logged in debug mode, as CPython).
         *
         * @param context the server's context, with its key; or null for plain connections
         * @return this builder
         */
        public Builder ssl(@Nullable SSLContext context) {
            this.ssl = context;
            return this;
        }

        /**
         * Sets each TLS engine's parameters, such as {@link SSLParameters#setNeedClientAuth}.
         *
         * @param parameters the parameters (copied into each engine), or null for the context's defaults
         * @return this builder
         */
        public Builder sslParameters(@Nullable SSLParameters parameters) {
            this.sslParameters = parameters;
            return this;
        }

        /**
         * Sets how long each TLS handshake may take: CPython's {@code ssl_handshake_timeout} (60 s by default).
         *
         * @param seconds positive
         * @return this builder
         * @throws IllegalArgumentException "sslHandshakeTimeout should be a positive number, got X"
         */
        public Builder sslHandshakeTimeout(double seconds) {
            this.sslHandshakeTimeout = TlsOptions.positive("sslHandshakeTimeout", seconds);
            return this;
        }

        /**
         * Sets how long each TLS close may take: CPython's {@code ssl_shutdown_timeout} (30 s by default).
         *
         * @param seconds positive
         * @return this builder
         * @throws IllegalArgumentException "sslShutdownTimeout should be a positive number, got X"
         */
        public Builder sslShutdownTimeout(double seconds) {
            this.sslShutdownTimeout = TlsOptions.positive("sslShutdownTimeout", seconds);
            return this;
        }

        /**
         * {@return the options}
         *
         * @throws IllegalArgumentException "sslHandshakeTimeout is only meaningful with ssl: X" (likewise for the
         *     parameters and the shutdown timeout) when one is set without {@link #ssl}
         */
        public ServerOptions build() {
            if (ssl == null) {
                ConnectionOptions.onlyWithSsl("sslParameters", sslParameters);
                ConnectionOptions.onlyWithSsl("sslHandshakeTimeout", sslHandshakeTimeout);
                ConnectionOptions.onlyWithSsl("sslShutdownTimeout", sslShutdownTimeout);
            }
            return new ServerOptions(this);
        }
    }
}
