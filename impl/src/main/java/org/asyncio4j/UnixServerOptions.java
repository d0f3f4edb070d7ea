package org.asyncio4j;

import java.util.Objects;

/**
 * How {@link EventLoop#createUnixServer} listens: CPython's {@code backlog}, {@code start_serving} and
 * {@code cleanup_socket} keyword arguments of {@code create_unix_server}, with CPython's defaults. Immutable;
 * build with {@link #builder()}.
 */
public final class UnixServerOptions {
    private static final UnixServerOptions DEFAULTS = builder().build();

    private final int backlog;
    private final boolean startServing;
    private final boolean cleanupSocket;

    private UnixServerOptions(Builder b) {
        this.backlog = b.backlog;
        this.startServing = b.startServing;
        this.cleanupSocket = b.cleanupSocket;
    }

    /** {@return CPython's defaults: backlog 100, start serving, remove the socket file on close} */
    public static UnixServerOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the length of the queue of pending connections} */
    public int backlog() {
        return backlog;
    }

    /** {@return whether the server accepts connections at once; else from {@link Server#startServing()}} */
    public boolean startServing() {
        return startServing;
    }

    /** {@return whether closing the server removes its socket file, if it is still the server's own} */
    public boolean cleanupSocket() {
        return cleanupSocket;
    }

    @Override
    public String toString() {
        return "UnixServerOptions[backlog=" + backlog + ", startServing=" + startServing + ", cleanupSocket="
                + cleanupSocket + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixServerOptions other && backlog == other.backlog
                && startServing == other.startServing && cleanupSocket == other.cleanupSocket;
    }

    @Override
    public int hashCode() {
        return Objects.hash(backlog, startServing, cleanupSocket);
    }

    /** Builds {@link UnixServerOptions}. */
    public static final class Builder {
        private int backlog = ServerOptions.DEFAULT_BACKLOG;
        private boolean startServing = true;
        private boolean cleanupSocket = true;

        private Builder() {}

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
         * Whether closing the server removes its socket file (CPython 3.13's {@code cleanup_socket}); a file that
         * another server has put at the path since is left alone, as is an abstract name, which has no file.
         *
         * @param cleanup true to remove it (the default)
         * @return this builder
         */
        public Builder cleanupSocket(boolean cleanup) {
            this.cleanupSocket = cleanup;
            return this;
        }

        /** {@return the options} */
        public UnixServerOptions build() {
            return new UnixServerOptions(this);
        }
    }
}
