package org.asyncio4j;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link EventLoop#createConnection} connects: CPython's {@code family} and {@code local_addr} keyword
 * arguments. Immutable; build with {@link #builder()}. The addresses a host name resolves to are tried one after
 * the other (CPython without {@code happy_eyeballs_delay}; the staggered race of RFC 8305 is not implemented yet).
 */
public final class ConnectionOptions {
    private static final ConnectionOptions DEFAULTS = builder().build();

    private final @Nullable StandardProtocolFamily family;
    private final @Nullable InetSocketAddress localAddress;

    private ConnectionOptions(Builder b) {
        this.family = b.family;
        this.localAddress = b.localAddress;
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

    @Override
    public String toString() {
        return "ConnectionOptions[family=" + family + ", localAddress=" + localAddress + "]";
    }

    /** Builds {@link ConnectionOptions}. */
    public static final class Builder {
        private @Nullable StandardProtocolFamily family;
        private @Nullable InetSocketAddress localAddress;

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

        /** {@return the options} */
        public ConnectionOptions build() {
            return new ConnectionOptions(this);
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
                && Objects.equals(localAddress, other.localAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, localAddress);
    }
}
