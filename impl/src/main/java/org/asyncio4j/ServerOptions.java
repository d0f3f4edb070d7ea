package org.asyncio4j;

import java.net.StandardProtocolFamily;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link EventLoop#createServer} listens: CPython's {@code family}, {@code backlog}, {@code reuse_address},
 * {@code reuse_port} and {@code start_serving} keyword arguments, with CPython's defaults. Immutable; build with
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

    private ServerOptions(Builder b) {
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

    @Override
    public String toString() {
        return "ServerOptions[family=" + family + ", backlog=" + backlog + ", reuseAddress=" + reuseAddress
                + ", reusePort=" + reusePort + ", startServing=" + startServing + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerOptions other && Objects.equals(family, other.family) && backlog == other.backlog
                && reuseAddress == other.reuseAddress && reusePort == other.reusePort
                && startServing == other.startServing;
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, backlog, reuseAddress, reusePort, startServing);
    }

    /** Builds {@link ServerOptions}. */
    public static final class Builder {
        private @Nullable StandardProtocolFamily family;
        private int backlog = DEFAULT_BACKLOG;
        private boolean reuseAddress = true;
        private boolean reusePort;
        private boolean startServing = true;

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

        /** {@return the options} */
        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }
}
