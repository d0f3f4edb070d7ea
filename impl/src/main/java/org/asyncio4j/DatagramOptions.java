package org.asyncio4j;

import java.net.StandardProtocolFamily;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link EventLoop#createDatagramEndpoint} makes its socket: CPython's {@code family}, {@code reuse_port} and
 * {@code allow_broadcast} keyword arguments. Immutable; build with {@link #builder()}.
 */
public final class DatagramOptions {
    private static final DatagramOptions DEFAULTS = builder().build();

    private final @Nullable StandardProtocolFamily family;
    private final boolean reusePort;
    private final boolean allowBroadcast;

    private DatagramOptions(Builder b) {
        this.family = b.family;
        this.reusePort = b.reusePort;
        this.allowBroadcast = b.allowBroadcast;
    }

    /** {@return CPython's defaults: any family, no SO_REUSEPORT, no SO_BROADCAST} */
    public static DatagramOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the address family, or null for whichever the addresses resolve to} */
    public @Nullable StandardProtocolFamily family() {
        return family;
    }

    /** {@return true to set SO_REUSEPORT before binding} */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * {@return true to set SO_BROADCAST} As in CPython, a remote address is then not connected to: it is only the
     * address {@code sendto} uses by default.
     */
    public boolean allowBroadcast() {
        return allowBroadcast;
    }

    @Override
    public String toString() {
        return "DatagramOptions[family=" + family + ", reusePort=" + reusePort + ", allowBroadcast="
                + allowBroadcast + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatagramOptions other && Objects.equals(family, other.family)
                && reusePort == other.reusePort && allowBroadcast == other.allowBroadcast;
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, reusePort, allowBroadcast);
    }

    /** Builds {@link DatagramOptions}. */
    public static final class Builder {
        private @Nullable StandardProtocolFamily family;
        private boolean reusePort;
        private boolean allowBroadcast;

        private Builder() {}

        /**
         * Uses only {@code family}: CPython's {@code family=AF_INET} or {@code AF_INET6}; required when neither a
         * local nor a remote address is given.
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
         * Sets SO_REUSEPORT, so that several endpoints may bind one port: CPython's {@code reuse_port}.
         *
         * @param reusePort true to set it
         * @return this builder
         */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /**
         * Sets SO_BROADCAST: CPython's {@code allow_broadcast}.
         *
         * @param allowBroadcast true to set it
         * @return this builder
         */
        public Builder allowBroadcast(boolean allowBroadcast) {
            this.allowBroadcast = allowBroadcast;
            return this;
        }

        /** {@return the options} */
        public DatagramOptions build() {
            return new DatagramOptions(this);
        }
    }
}
