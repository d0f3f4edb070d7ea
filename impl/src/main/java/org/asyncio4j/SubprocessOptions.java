package org.asyncio4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to start a child process: where its standard streams go, its environment, its working directory,
 * its session or process group and the extra descriptors it inherits. Immutable; build with {@link #builder()}.
 *
 * <p>A child inherits descriptors 0, 1 and 2 (as redirected) and those named in {@link #passFds()},
 * nothing else, and starts with an empty signal mask and default signal dispositions.
 */
public final class SubprocessOptions {

    /**
     * Where a standard stream of the child goes: one of the constants ({@link #INHERIT}, {@link #PIPE},
     * {@link #DEVNULL}, {@link #STDOUT}), a file ({@link #toFile}, {@link #appendTo}, {@link #fromFile}) or a
     * descriptor of this process ({@link #fd}).
     */
    public static final class Redirect {
        /** What a redirect is. */
        public enum Kind {
            /** The child shares the parent's stream. */
            INHERIT,
            /** A pipe to the parent. */
            PIPE,
            /** /dev/null. */
            DEVNULL,
            /** For stderr only: the same place as stdout. */
            STDOUT,
            /** For stdin only: read from a file. */
            READ_FILE,
            /** For stdout or stderr: a file, created or truncated. */
            WRITE_FILE,
            /** For stdout or stderr: a file, created or appended to. */
            APPEND_FILE,
            /** A descriptor of this process, which the child gets a copy of (the caller keeps and closes it). */
            FD
        }

        /** The child shares the parent's stream. */
        public static final Redirect INHERIT = new Redirect(Kind.INHERIT, null, -1);
        /** A pipe to the parent, readable or writable through {@link Subprocess} and the transport. */
        public static final Redirect PIPE = new Redirect(Kind.PIPE, null, -1);
        /** /dev/null. */
        public static final Redirect DEVNULL = new Redirect(Kind.DEVNULL, null, -1);
        /** For stderr only: the same place as stdout. */
        public static final Redirect STDOUT = new Redirect(Kind.STDOUT, null, -1);

        private final Kind kind;
        private final Path path;
        private final int fd;

        private Redirect(Kind kind, Path path, int fd) {
            this.kind = kind;
            this.path = path;
            this.fd = fd;
        }

        /**
         * Output to {@code file}, created if missing, truncated if present.
         *
         * @param file the file; not null
         * @return the redirect, for stdout or stderr
         */
        public static Redirect toFile(Path file) {
            return new Redirect(Kind.WRITE_FILE, Objects.requireNonNull(file, "file"), -1);
        }

        /**
         * Output appended to {@code file}, created if missing.
         *
         * @param file the file; not null
         * @return the redirect, for stdout or stderr
         */
        public static Redirect appendTo(Path file) {
            return new Redirect(Kind.APPEND_FILE, Objects.requireNonNull(file, "file"), -1);
        }

        /**
         * Input read from {@code file}, which must exist when the child starts.
         *
         * @param file the file; not null
         * @return the redirect, for stdin
         */
        public static Redirect fromFile(Path file) {
            return new Redirect(Kind.READ_FILE, Objects.requireNonNull(file, "file"), -1);
        }

        /**
         * A copy of this process's descriptor {@code fd}; the caller keeps {@code fd} and closes it.
         *
         * @param fd an open descriptor, 0 or more
         * @return the redirect, for any stream
         * @throws IllegalArgumentException if {@code fd} is negative
         */
        public static Redirect fd(int fd) {
            if (fd < 0) {
                throw new IllegalArgumentException("fd must be 0 or more, got " + fd);
            }
            return new Redirect(Kind.FD, null, fd);
        }

        /** {@return what this redirect is} */
        public Kind kind() {
            return kind;
        }

        /** {@return the file of a file redirect, else null} */
        public @Nullable Path path() {
            return path;
        }

        /** {@return the descriptor of an {@link Kind#FD} redirect, else -1} */
        public int fd() {
            return fd;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Redirect && ((Redirect) o).kind == kind && Objects.equals(((Redirect) o).path, path)
                    && ((Redirect) o).fd == fd;
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, path, fd);
        }

        @Override
        public String toString() {
            return path != null ? kind + "(" + path + ")" : kind == Kind.FD ? "FD(" + fd + ")" : kind.name();
        }
    }

    private static final SubprocessOptions DEFAULTS = builder().build();

    private final Redirect stdin;
    private final Redirect stdout;
    private final Redirect stderr;
    private final @Nullable Map<String, String> env;
    private final @Nullable Path cwd;
    private final int[] passFds;
    private final boolean startNewSession;
    private final int processGroup;

    private SubprocessOptions(Builder b, Map<String, String> env) {
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.env = env;
        this.cwd = b.cwd;
        this.passFds = b.passFds.clone();
        this.startNewSession = b.startNewSession;
        this.processGroup = b.processGroup;
    }

    /** {@return everything inherited: the defaults} */
    public static SubprocessOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a new builder, every stream {@link Redirect#INHERIT}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return where the child's stdin comes from} */
    public Redirect stdin() { return stdin; }

    /** {@return where the child's stdout goes} */
    public Redirect stdout() { return stdout; }

    /** {@return where the child's stderr goes} */
    public Redirect stderr() { return stderr; }

    /**
     * {@return the child's whole environment (unmodifiable), or null to inherit the JVM's; when given, the
     * program is looked up on its {@code PATH}}
     */
    public @Nullable Map<String, String> env() { return env; }

    /** {@return the child's working directory, or null to inherit} */
    public @Nullable Path cwd() { return cwd; }

    /** {@return descriptors above 2 that the child inherits, at the same numbers} */
    public int[] passFds() { return passFds.clone(); }

    /** {@return true if the child starts a new session (CPython's {@code start_new_session}), leading a new group} */
    public boolean startNewSession() { return startNewSession; }

    /**
     * The process group the child joins.
     *
     * @return the process group the child joins (CPython's {@code process_group}): 0 for a new group led by the
     *     child, a group id to join that group, -1 (the default) to stay in this process's group
     */
    public int processGroup() { return processGroup; }

    /** {@return true if the child leads its own process group (a new session or {@code processGroup(0)})} */
    public boolean leadsItsGroup() {
        return startNewSession || processGroup == 0;
    }

    /** A builder for {@link SubprocessOptions}; every stream starts as {@link Redirect#INHERIT}. */
    public static final class Builder {
        private Redirect stdin = Redirect.INHERIT;
        private Redirect stdout = Redirect.INHERIT;
        private Redirect stderr = Redirect.INHERIT;
        private @Nullable Map<String, String> env;
        private @Nullable Path cwd;
        private int[] passFds = new int[0];
        private boolean startNewSession;
        private int processGroup = -1;

        private Builder() {}

        /**
         * Sets where the child's stdin comes from.
         *
         * @param r where stdin comes from: not {@link Redirect#STDOUT} and not an output file
         * @return this builder
         */
        public Builder stdin(Redirect r) {
            Objects.requireNonNull(r, "stdin");
            if (r.kind() == Redirect.Kind.STDOUT || r.kind() == Redirect.Kind.WRITE_FILE
                    || r.kind() == Redirect.Kind.APPEND_FILE) {
                throw new IllegalArgumentException("stdin cannot be " + r);
            }
            this.stdin = r;
            return this;
        }

        /**
         * Sets where the child's stdout goes.
         *
         * @param r where stdout goes: not {@link Redirect#STDOUT} and not an input file
         * @return this builder
         */
        public Builder stdout(Redirect r) {
            Objects.requireNonNull(r, "stdout");
            if (r.kind() == Redirect.Kind.STDOUT || r.kind() == Redirect.Kind.READ_FILE) {
                throw new IllegalArgumentException("stdout cannot be " + r);
            }
            this.stdout = r;
            return this;
        }

        /**
         * Sets where the child's stderr goes.
         *
         * @param r where stderr goes: not an input file
         * @return this builder
         */
        public Builder stderr(Redirect r) {
            Objects.requireNonNull(r, "stderr");
            if (r.kind() == Redirect.Kind.READ_FILE) {
                throw new IllegalArgumentException("stderr cannot be " + r);
            }
            this.stderr = r;
            return this;
        }

        /**
         * Replaces the child's whole environment with a copy of {@code environment} (null: inherit the JVM's).
         * Checked at {@link #build()}.
         *
         * @param environment the variables, or null
         * @return this builder
         */
        public Builder env(Map<String, String> environment) {
            this.env = environment == null ? null : new LinkedHashMap<>(environment);
            return this;
        }

        /**
         * The child's environment as a mutable map, like {@link ProcessBuilder#environment()}: on first call a
         * copy of the JVM's environment (or of what {@link #env} set), to change and remove variables in. Its
         * keys and values are checked at {@link #build()}.
         *
         * @return the live map this builder will use
         */
        public Map<String, String> environment() {
            if (env == null) {
                env = new LinkedHashMap<>(System.getenv());
            }
            return env;
        }

        /**
         * Sets the child's working directory.
         *
         * @param directory the child's working directory (null: inherit)
         * @return this builder
         */
        public Builder cwd(@Nullable Path directory) {
            this.cwd = directory;
            return this;
        }

        /**
         * Names the descriptors above 2 that the child inherits.
         *
         * @param fds extra descriptors the child inherits at the same numbers; each must be above 2
         * @return this builder
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

        /**
         * Starts the child in a new session ({@code setsid}, {@code POSIX_SPAWN_SETSID}): it leads a new
         * session and a new process group, and has no controlling terminal.
         *
         * @param newSession true for a new session
         * @return this builder
         */
        public Builder startNewSession(boolean newSession) {
            this.startNewSession = newSession;
            return this;
        }

        /**
         * Puts the child in a process group ({@code setpgid}, {@code POSIX_SPAWN_SETPGROUP}): 0 makes a new
         * group led by the child, so that {@link Subprocess#signalGroup} reaches the child and all its
         * descendants; a positive id joins that group of this session; -1 stays in this process's group.
         *
         * @param pgid 0, a group id, or -1
         * @return this builder
         * @throws IllegalArgumentException if {@code pgid} is below -1
         */
        public Builder processGroup(int pgid) {
            if (pgid < -1) {
                throw new IllegalArgumentException("processGroup must be -1, 0 or a group id, got " + pgid);
            }
            this.processGroup = pgid;
            return this;
        }

        /**
         * Builds the options, checking what only the whole can tell (an environment's names and values, a
         * session together with a process group).
         *
         * @return the immutable options
         * @throws IllegalArgumentException naming the variable for an environment key that is empty, holds
         *     '=' or NUL, or a null or NUL-holding value; if both a new session and a process group are set
         */
        public SubprocessOptions build() {
            if (startNewSession && processGroup >= 0) {
                throw new IllegalArgumentException("startNewSession and processGroup(" + processGroup
                        + ") exclude each other: a session leader cannot change its group");
            }
            return new SubprocessOptions(this, env == null ? null : checkedEnvironment(env));
        }

        private static Map<String, String> checkedEnvironment(Map<String, String> environment) {
            Map<String, String> copy = new LinkedHashMap<>();
            environment.forEach((k, v) -> {
                if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("env: illegal variable name: '" + visible(k) + "'");
                }
                if (v == null || v.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("env: illegal value for " + k + ": '" + visible(v) + "'");
                }
                copy.put(k, v);
            });
            return Collections.unmodifiableMap(copy);
        }

        private static String visible(String s) {
            return s == null ? "null" : s.replace("\0", "\\0");
        }
    }

    @Override
    public String toString() {
        return "SubprocessOptions[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr
                + ", env=" + (env == null ? "inherit" : env.size() + " variables") + ", cwd=" + cwd
                + ", passFds=" + Arrays.toString(passFds)
                + (startNewSession ? ", startNewSession" : "")
                + (processGroup >= 0 ? ", processGroup=" + processGroup : "") + "]";
    }
}
