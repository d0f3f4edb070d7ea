package org.asyncio4j.internal.posix;

import java.util.Arrays;
import java.util.List;

/**
 * What {@link Posix#spawn} starts: an immutable argv, environment, working directory and descriptor
 * mapping. Build one with {@link #builder(List)}.
 *
 * <p>{@code argv[0]} is the executable; without a slash it is searched on the JVM's {@code PATH}
 * (as {@code execvp} and {@code posix_spawnp} do; not the child's {@code env}). A relative
 * executable or {@code PATH} entry resolves against {@code cwd} when one is given. Strings are
 * passed to the OS as UTF-8 and must not contain NUL.
 *
 * <p>Descriptors: each of the child's fds 0, 1 and 2 is either dup'ed from a parent fd or, by
 * default ({@code -1}), inherited from the parent's fd of the same number. {@link #passFds()} are
 * inherited at their own numbers, even when close-on-exec in the parent. The child has no other fds.
 */
public final class SpawnRequest {
    private final List<String> argv;
    private final List<String> env;
    private final String cwd;
    private final int stdin;
    private final int stdout;
    private final int stderr;
    private final int[] passFds;
    private final boolean newSession;
    private final long processGroup;
    private final String executable;

    private SpawnRequest(Builder b) {
        this.executable = b.executable;
        this.newSession = b.newSession;
        this.processGroup = b.processGroup;
        this.argv = b.argv;
        this.env = b.env;
        this.cwd = b.cwd;
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.passFds = b.passFds;
    }

    /** A builder for running {@code argv} (non-empty) with everything else inherited. */
    public static Builder builder(List<String> argv) {
        return new Builder(argv);
    }

    /** The program and its arguments; {@code argv().get(0)} names the executable. */
    public List<String> argv() {
        return argv;
    }

    /** The child's environment as {@code "K=V"} entries, or null to inherit the JVM's {@code environ}. */
    public List<String> env() {
        return env;
    }

    /** The child's working directory, or null to inherit the JVM's. */
    public String cwd() {
        return cwd;
    }

    /** The parent fd that becomes the child's fd 0, or -1 to inherit fd 0. */
    public int stdin() {
        return stdin;
    }

    /** The parent fd that becomes the child's fd 1, or -1 to inherit fd 1. */
    public int stdout() {
        return stdout;
    }

    /** The parent fd that becomes the child's fd 2, or -1 to inherit fd 2. */
    public int stderr() {
        return stderr;
    }

    /** The fds (all {@code >= 3}) the child inherits at the same numbers, ascending and distinct. */
    public int[] passFds() {
        return passFds.clone();
    }

    /** The file to run: {@link #executable(String) as set}, else {@code argv().get(0)}. */
    public String executable() {
        return executable != null ? executable : argv.get(0);
    }

    /** True if the child starts a new session ({@code setsid}), leading it and a new process group. */
    public boolean newSession() {
        return newSession;
    }

    /**
     * The process group the child joins: -1 to stay in the parent's, 0 for a new group led by the child
     * ({@code setpgid(0, 0)}), else the id of an existing group of the same session.
     */
    public long processGroup() {
        return processGroup;
    }

    /** Builds a {@link SpawnRequest}; every setter checks its argument at once. */
    public static final class Builder {
        private final List<String> argv;
        private List<String> env;
        private String cwd;
        private int stdin = -1;
        private int stdout = -1;
        private int stderr = -1;
        private static final int[] NO_FDS = {};
        private int[] passFds = NO_FDS;
        private boolean newSession;
        private long processGroup = -1;
        private String executable;

        private Builder(List<String> argv) {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv is empty");
            }
            argv.forEach(a -> checkNoNul("argv", a));
            this.argv = List.copyOf(argv);
        }

        /** Replaces the environment with {@code env} ({@code "K=V"} entries); null inherits it. */
        public Builder env(List<String> env) {
            if (env != null) {
                for (String e : env) {
                    checkNoNul("env", e);
                    if (e.indexOf('=') <= 0) {
                        throw new IllegalArgumentException("env entry is not K=V: " + e);
                    }
                }
            }
            this.env = env == null ? null : List.copyOf(env);
            return this;
        }

        /** Runs the child in {@code cwd}; null inherits the JVM's working directory. */
        public Builder cwd(String cwd) {
            if (cwd != null) {
                checkNoNul("cwd", cwd);
            }
            this.cwd = cwd;
            return this;
        }

        /** The parent fd to dup onto the child's fd 0, or -1 to inherit. */
        public Builder stdin(int parentFd) {
            this.stdin = checkSource(parentFd);
            return this;
        }

        /** The parent fd to dup onto the child's fd 1, or -1 to inherit. */
        public Builder stdout(int parentFd) {
            this.stdout = checkSource(parentFd);
            return this;
        }

        /** The parent fd to dup onto the child's fd 2, or -1 to inherit. */
        public Builder stderr(int parentFd) {
            this.stderr = checkSource(parentFd);
            return this;
        }

        /** Fds ({@code >= 3}) the child inherits at the same numbers; duplicates are ignored. */
        public Builder passFds(int... fds) {
            if (fds.length == 0) { // the common case, on every spawn: no stream pipeline
                this.passFds = NO_FDS;
                return this;
            }
            int[] sorted = Arrays.stream(fds).sorted().distinct().toArray();
            if (sorted.length > 0 && sorted[0] < 3) {
                throw new IllegalArgumentException("passFds must be >= 3 (map 0..2 with stdin/stdout/stderr): " + sorted[0]);
            }
            this.passFds = sorted;
            return this;
        }

        /**
         * Runs {@code file} (searched on the JVM's {@code PATH} when it has no slash) with {@code argv} unchanged,
         * {@code argv[0]} included; null runs {@code argv[0]}.
         */
        public Builder executable(String file) {
            if (file != null) {
                checkNoNul("executable", file);
                if (file.isEmpty()) {
                    throw new IllegalArgumentException("executable is empty");
                }
            }
            this.executable = file;
            return this;
        }

        /** Starts the child in a new session ({@code POSIX_SPAWN_SETSID}). */
        public Builder newSession(boolean newSession) {
            this.newSession = newSession;
            return this;
        }

        /** The group to put the child in ({@code POSIX_SPAWN_SETPGROUP}): 0 for a new one, -1 for the parent's. */
        public Builder processGroup(long pgid) {
            if (pgid < -1) {
                throw new IllegalArgumentException("processGroup must be -1, 0 or a group id, got " + pgid);
            }
            this.processGroup = pgid;
            return this;
        }

        /**
         * The immutable request.
         *
         * @throws IllegalArgumentException if both a new session and a process group are asked for (a session
         *     leader cannot change its group)
         */
        public SpawnRequest build() {
            if (newSession && processGroup >= 0) {
                throw new IllegalArgumentException("newSession and processGroup " + processGroup + " exclude each other");
            }
            return new SpawnRequest(this);
        }

        private static int checkSource(int fd) {
            if (fd < -1) {
                throw new IllegalArgumentException("not a descriptor: " + fd);
            }
            return fd;
        }

        private static void checkNoNul(String what, String s) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(what + " contains NUL: " + s);
            }
        }
    }
}
