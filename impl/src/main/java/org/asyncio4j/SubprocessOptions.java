package org.asyncio4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to start a child process: where its standard streams go, its environment, its working directory
 * and the extra descriptors it inherits. Immutable; build with {@link #builder()}.
 *
 * <p>A child inherits descriptors 0, 1 and 2 (as redirected) and those named in {@link #passFds()},
 * nothing else, and starts with an empty signal mask and default signal dispositions.
 */
public final class SubprocessOptions {

    /** Where a standard stream of the child goes. */
    public enum Redirect {
        /** The child shares the parent's stream. */
        INHERIT,
        /** A pipe to the parent, readable or writable through {@link Subprocess}. */
        PIPE,
        /** /dev/null. */
        DEVNULL,
        /** For stderr only: the same place as stdout. */
        STDOUT
    }

    private static final SubprocessOptions DEFAULTS = builder().build();

    private final Redirect stdin;
    private final Redirect stdout;
    private final Redirect stderr;
    private final @Nullable Map<String, String> env;
    private final @Nullable Path cwd;
    private final int[] passFds;

    private SubprocessOptions(Builder b) {
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.env = b.env == null ? null : Map.copyOf(b.env);
        this.cwd = b.cwd;
        this.passFds = b.passFds.clone();
    }

    /** {@return the defaults: every stream, the environment and the directory inherited} */
    public static SubprocessOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder that starts from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return where the child's stdin comes from} */
    public Redirect stdin() { return stdin; }

    /** {@return where the child's stdout goes} */
    public Redirect stdout() { return stdout; }

    /** {@return where the child's stderr goes} */
    public Redirect stderr() { return stderr; }

    /** {@return the child's whole environment, or null to inherit the JVM's} */
    public @Nullable Map<String, String> env() { return env; }

    /** {@return the child's working directory, or null to inherit} */
    public @Nullable Path cwd() { return cwd; }

    /** {@return descriptors above 2 that the child inherits, at the same numbers} */
    public int[] passFds() { return passFds.clone(); }

    /** A builder for {@link SubprocessOptions}; every stream starts as {@link Redirect#INHERIT}. */
    public static final class Builder {
        private Redirect stdin = Redirect.INHERIT;
        private Redirect stdout = Redirect.INHERIT;
        private Redirect stderr = Redirect.INHERIT;
        private @Nullable Map<String, String> env;
        private @Nullable Path cwd;
        private int[] passFds = new int[0];

        private Builder() {}

        /**
         * Sets where the child's stdin comes from.
         *
         * @param r {@link Redirect#INHERIT}, {@link Redirect#PIPE} or {@link Redirect#DEVNULL}
         * @return this builder
         * @throws IllegalArgumentException for {@link Redirect#STDOUT}
         */
        public Builder stdin(Redirect r) {
            Objects.requireNonNull(r, "stdin");
            if (r == Redirect.STDOUT) {
                throw new IllegalArgumentException("stdin cannot be STDOUT");
            }
            this.stdin = r;
            return this;
        }

        /**
         * Sets where the child's stdout goes.
         *
         * @param r {@link Redirect#INHERIT}, {@link Redirect#PIPE} or {@link Redirect#DEVNULL}
         * @return this builder
         * @throws IllegalArgumentException for {@link Redirect#STDOUT}
         */
        public Builder stdout(Redirect r) {
            Objects.requireNonNull(r, "stdout");
            if (r == Redirect.STDOUT) {
                throw new IllegalArgumentException("stdout cannot be STDOUT");
            }
            this.stdout = r;
            return this;
        }

        /**
         * Sets where the child's stderr goes.
         *
         * @param r any {@link Redirect}; {@link Redirect#STDOUT} joins it to stdout
         * @return this builder
         */
        public Builder stderr(Redirect r) {
            this.stderr = Objects.requireNonNull(r, "stderr");
            return this;
        }

        /**
         * Sets the child's whole environment.
         *
         * @param environment the variables, copied; or null to inherit the JVM's
         * @return this builder
         * @throws IllegalArgumentException for an empty name, a name with '=' or NUL, or a null or NUL value
         */
        public Builder env(@Nullable Map<String, String> environment) {
            if (environment == null) {
                this.env = null;
                return this;
            }
            Map<String, String> copy = new LinkedHashMap<>();
            environment.forEach((k, v) -> {
                if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("env: illegal variable name: '" + k + "'");
                }
                if (v == null || v.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("env: illegal value for " + k + ": '" + v + "'");
                }
                copy.put(k, v);
            });
            this.env = copy;
            return this;
        }

        /**
         * Sets the child's working directory.
         *
         * @param directory the directory, or null to inherit the JVM's
         * @return this builder
         */
        public Builder cwd(@Nullable Path directory) {
            this.cwd = directory;
            return this;
        }

        /**
         * Sets the extra descriptors the child inherits, at the same numbers.
         *
         * @param fds open descriptors, each above 2
         * @return this builder
         * @throws IllegalArgumentException for a descriptor of 2 or less
         */
        public Builder passFds(int... fds) {
            Objects.requireNonNull(fds, "passFds");
            for (int fd : fds) {
                if (fd <= 2) {
                    throw new IllegalArgumentException("passFds: descriptor must be above 2, got " + fd);
                }
            }
            this.passFds = Arrays.stream(fds).distinct().sorted().toArray();
            return this;
        }

        /** {@return the options as set so far} */
        public SubprocessOptions build() {
            return new SubprocessOptions(this);
        }
    }

    @Override
    public String toString() {
        return "SubprocessOptions[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr
                + ", env=" + (env == null ? "inherit" : env.size() + " variables") + ", cwd=" + cwd
                + ", passFds=" + Arrays.toString(passFds) + "]";
    }
}
