package org.asyncio4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
    private final Map<String, String> env;
    private final Path cwd;
    private final int[] passFds;

    private SubprocessOptions(Builder b) {
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.env = b.env == null ? null : Map.copyOf(b.env);
        this.cwd = b.cwd;
        this.passFds = b.passFds.clone();
    }

    /** Everything inherited: the defaults. */
    public static SubprocessOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Redirect stdin() { return stdin; }

    public Redirect stdout() { return stdout; }

    public Redirect stderr() { return stderr; }

    /** The child's whole environment, or null to inherit the JVM's. */
    public Map<String, String> env() { return env; }

    /** The child's working directory, or null to inherit. */
    public Path cwd() { return cwd; }

    /** Descriptors above 2 that the child inherits, at the same numbers. */
    public int[] passFds() { return passFds.clone(); }

    /** A builder for {@link SubprocessOptions}; every stream starts as {@link Redirect#INHERIT}. */
    public static final class Builder {
        private Redirect stdin = Redirect.INHERIT;
        private Redirect stdout = Redirect.INHERIT;
        private Redirect stderr = Redirect.INHERIT;
        private Map<String, String> env;
        private Path cwd;
        private int[] passFds = new int[0];

        private Builder() {}

        public Builder stdin(Redirect r) {
            Objects.requireNonNull(r, "stdin");
            if (r == Redirect.STDOUT) {
                throw new IllegalArgumentException("stdin cannot be STDOUT");
            }
            this.stdin = r;
            return this;
        }

        public Builder stdout(Redirect r) {
            Objects.requireNonNull(r, "stdout");
            if (r == Redirect.STDOUT) {
                throw new IllegalArgumentException("stdout cannot be STDOUT");
            }
            this.stdout = r;
            return this;
        }

        public Builder stderr(Redirect r) {
            this.stderr = Objects.requireNonNull(r, "stderr");
            return this;
        }

        /** The child's whole environment (null: inherit). Keys must be non-empty and contain no '='. */
        public Builder env(Map<String, String> environment) {
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

        /** The child's working directory (null: inherit). */
        public Builder cwd(Path directory) {
            this.cwd = directory;
            return this;
        }

        /** Extra descriptors the child inherits at the same numbers; each must be above 2. */
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
