package org.asyncio4j;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * How {@link EventLoop#createConnection} connects: CPython's {@code family}, {@code local_addr},
 * {@code happy_eyeballs_delay}, {@code interleave}, {@code ssl}, {@code server_hostname},
 * {@code ssl_handshake_timeout} and {@code ssl_shutdown_timeout} keyword arguments (see {@link TlsOptions} for what
 * TLS does). Immutable; build with {@link #builder()}. By default the addresses a host name resolves to are tried
 * one after the other; with a happy eyeballs delay they are raced as RFC 8305 describes (the next attempt starts
 * after the delay, or at once when the one before fails; the first to connect wins and the others are closed).
 */
public final class ConnectionOptions {
    private static final ConnectionOptions DEFAULTS = builder().build();

    private final @Nullable StandardProtocolFamily family;
    private final @Nullable InetSocketAddress localAddress;
    private final @Nullable Double happyEyeballsDelay;
    private final @Nullable Integer interleave;
    private final @Nullable SSLContext ssl;
    private final @Nullable SSLParameters sslParameters;
    private final @Nullable String serverHostname;
    private final @Nullable Double sslHandshakeTimeout;
    private final @Nullable Double sslShutdownTimeout;

    private ConnectionOptions(Builder b) {
        this.family = b.family;
        this.localAddress = b.localAddress;
        this.happyEyeballsDelay = b.happyEyeballsDelay;
        this.interleave = b.interleave;
        this.ssl = b.ssl;
        this.sslParameters = b.sslParameters;
        this.serverHostname = b.serverHostname;
        this.sslHandshakeTimeout = b.sslHandshakeTimeout;
        this.sslShutdownTimeout = b.sslShutdownTimeout;
    }

    /** {@return the options CPython's defaults give: any family, any local address} */
    public static ConnectionOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the address family to connect over, or null for whichever the host resolves to} */
    public @Nullable StandardProtocolFamily family() {
        return family;
    }

    /** {@return the local address to bind before connecting, or null to let the OS choose} */
    public @Nullable InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * {@return seconds to wait for a connection attempt before starting the next in parallel, or null to try the
     * addresses one after the other} CPython's {@code happy_eyeballs_delay} (RFC 8305 recommends 0.25).
     */
    public @Nullable Double happyEyeballsDelay() {
        return happyEyeballsDelay;
    }

    /**
     * {@return how many addresses of the first family lead before the families alternate; 0 for the resolver's
     * order} CPython's {@code interleave}: unset, 1 with a happy eyeballs delay, else 0.
     */
    public int interleave() {
        Integer set = interleave;
        return set != null ? set : happyEyeballsDelay != null ? 1 : 0;
    }

    /** {@return the context to speak TLS with, or null for a plain connection} */
    public @Nullable SSLContext ssl() {
        return ssl;
    }

    /** {@return the parameters set on the TLS engine, or null for the context's defaults} */
    public @Nullable SSLParameters sslParameters() {
        return sslParameters;
    }

    /** {@return the server host name to send and verify, or null for the host connected to} */
    public @Nullable String serverHostname() {
        return serverHostname;
    }

    /**
     * The TLS options of a connection to {@code host}: CPython's {@code create_connection} uses the host as the
     * server host name unless one was given.
     *
     * @param host the host connected to
     * @return the options, or null for a plain connection
     */
    public @Nullable TlsOptions tls(String host) {
        if (ssl == null) {
            return null;
        }
        TlsOptions.Builder b = TlsOptions.client(ssl).parameters(sslParameters)
                .serverHostname(serverHostname != null ? serverHostname : host);
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
        return "ConnectionOptions[family=" + family + ", localAddress=" + localAddress + ", happyEyeballsDelay="
                + happyEyeballsDelay + ", interleave=" + interleave()
                + (ssl == null ? "" : ", ssl=" + ssl.getProtocol() + ", serverHostname=" + serverHostname
                        + ", sslHandshakeTimeout=" + sslHandshakeTimeout + ", sslShutdownTimeout=" + sslShutdownTimeout)
                + "]";
    }

    /** Builds {@link ConnectionOptions}. */
    public static final class Builder {
        private @Nullable StandardProtocolFamily family;
        private @Nullable InetSocketAddress localAddress;
        private @Nullable Double happyEyeballsDelay;
        private @Nullable Integer interleave;
        private @Nullable SSLContext ssl;
        private @Nullable SSLParameters sslParameters;
        private @Nullable String serverHostname;
        private @Nullable Double sslHandshakeTimeout;
        private @Nullable Double sslShutdownTimeout;

        private Builder() {}

        /**
         * Connects only over {@code family}: CPython's {@code family=AF_INET} or {@code AF_INET6}.
         *
         * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}, or null for any
         * @return this builder
         * @throws IllegalArgumentException "family must be INET or INET6: UNIX"
         */
        public Builder family(@Nullable StandardProtocolFamily family) {
            this.family = checkFamily(family);
            return this;
        }

        /**
         * Binds the socket to {@code address} before connecting: CPython's {@code local_addr}.
         *
         * @param address a resolved address (port 0 for any port), or null to let the OS choose
         * @return this builder
         * @throws IllegalArgumentException "localAddress must be resolved: ADDRESS"
         */
        public Builder localAddress(@Nullable InetSocketAddress address) {
            if (address != null && address.isUnresolved()) {
                throw new IllegalArgumentException("localAddress must be resolved: " + address);
            }
            this.localAddress = address;
            return this;
        }

        /**
         * Races the addresses (RFC 8305's happy eyeballs): CPython's {@code happy_eyeballs_delay}.
         *
         * @param seconds how long to wait for an attempt before starting the next, finite and at least 0; null to
         *     try one address after the other (the default)
         * @return this builder
         * @throws IllegalArgumentException "happyEyeballsDelay must be finite and >= 0: D"
         */
        public Builder happyEyeballsDelay(@Nullable Double seconds) {
            if (seconds != null && !(seconds >= 0 && seconds < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("happyEyeballsDelay must be finite and >= 0: " + seconds);
            }
            this.happyEyeballsDelay = seconds;
            return this;
        }

        /**
         * Speaks TLS over the connection: CPython's {@code ssl=context}. The future of
         * {@link EventLoop#createConnection} completes once the handshake is done, with the TLS transport.
         *
         * @param context the client's context (its trust decides which servers are accepted), or null for none
         * @return this builder
         */
        public Builder ssl(@Nullable SSLContext context) {
            this.ssl = context;
            return this;
        }

        /**
         * Reorders the addresses by family: CPython's {@code interleave}.
         *
         * @param count how many addresses of the first family come before the families alternate, at least 0;
         *     0 keeps the resolver's order
         * @return this builder
         * @throws IllegalArgumentException "interleave must be >= 0: N"
         */
        public Builder interleave(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("interleave must be >= 0: " + count);
            }
            this.interleave = count;
            return this;
        }

        /**
         * Sets the TLS engine's parameters: protocols, cipher suites, endpoint identification.
         *
         * @param parameters the parameters (copied into each engine), or null for the context's defaults
         * @return this builder
         */
        public Builder sslParameters(@Nullable SSLParameters parameters) {
            this.sslParameters = parameters;
            return this;
        }

        /**
         * Sets the host name sent (SNI) and verified: CPython's {@code server_hostname}; by default the host
         * connected to. "" verifies no name.
         *
         * @param hostname the name, or null for the host connected to
         * @return this builder
         */
        public Builder serverHostname(@Nullable String hostname) {
            this.serverHostname = hostname;
            return this;
        }

        /**
         * Sets how long the TLS handshake may take: CPython's {@code ssl_handshake_timeout} (60 s by default).
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
         * Sets how long the TLS close may take: CPython's {@code ssl_shutdown_timeout} (30 s by default).
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
         * @throws IllegalArgumentException CPython's "serverHostname is only meaningful with ssl" (and likewise for
         *     the parameters and timeouts) when one is set without {@link #ssl}
         */
        public ConnectionOptions build() {
            if (ssl == null) {
                onlyWithSsl("serverHostname", serverHostname);
                onlyWithSsl("sslParameters", sslParameters);
                onlyWithSsl("sslHandshakeTimeout", sslHandshakeTimeout);
                onlyWithSsl("sslShutdownTimeout", sslShutdownTimeout);
            }
            return new ConnectionOptions(this);
        }
    }

    /** CPython's {@code ValueError('server_hostname is only meaningful with ssl')}, naming the value. */
    static void onlyWithSsl(String name, @Nullable Object value) {
        if (value != null) {
            throw new IllegalArgumentException(name + " is only meaningful with ssl: " + value);
        }
    }

    static @Nullable StandardProtocolFamily checkFamily(@Nullable StandardProtocolFamily family) {
        if (family == StandardProtocolFamily.UNIX) {
            throw new IllegalArgumentException("family must be INET or INET6: " + family);
        }
        return family;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionOptions other && Objects.equals(family, other.family)
                && Objects.equals(localAddress, other.localAddress)
                && Objects.equals(happyEyeballsDelay, other.happyEyeballsDelay) && interleave() == other.interleave()
                && ssl == other.ssl
                && sslParameters == other.sslParameters && Objects.equals(serverHostname, other.serverHostname)
                && Objects.equals(sslHandshakeTimeout, other.sslHandshakeTimeout)
                && Objects.equals(sslShutdownTimeout, other.sslShutdownTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, localAddress, happyEyeballsDelay, interleave(), ssl, serverHostname,
                sslHandshakeTimeout, sslShutdownTimeout);
    }
}
