package org.asyncio4j.base;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoops;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.SubprocessProtocol;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SystemErrors;
import org.asyncio4j.internal.posix.SpawnRequest;

/**
 * Starts children for any loop (CPython's {@code _make_subprocess_transport}): with {@code posix_spawn},
 * never {@code ProcessBuilder} (whose reaper thread would race the watchers), on the loop's thread (at once
 * when called there, else as the loop's next callback, as CPython's coroutine runs when the loop does),
 * inside the policy watcher's {@link ChildWatcher#spawning()} window, registering the exit before the window
 * closes (POL-31, POL-32). The pipes then go to the loop's own pipe transports through
 * {@link BaseSubprocessTransport}.
 */
final class SubprocessSpawner {
    private static final Posix POSIX = Posix.get();
    private static final int SIGKILL = 9;
    /** glibc's search path when {@code PATH} is unset ({@code confstr(_CS_PATH)}). */
    private static final String DEFAULT_PATH = "/bin:/usr/bin";

    /** Test-only: false makes every child go without a pidfd, as on a kernel that refuses them. */
    static volatile boolean usePidfd = true;

    private SubprocessSpawner() {}

    static <P extends SubprocessProtocol> AsyncFuture<TransportAndProtocol<SubprocessTransport, P>> exec(
            BaseEventLoop loop, Supplier<? extends P> protocolFactory, List<String> argv, SubprocessOptions options) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        List<String> args = checkArgv(argv);
        SubprocessOptions opts = options == null ? SubprocessOptions.defaults() : options;
        if (loop.isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
        LoopFuture<TransportAndProtocol<SubprocessTransport, P>> result = new LoopFuture<>(loop);
        Runnable start = () -> {
            if (result.cancelled()) {
                return;
            }
            try {
                P protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
                Spawned spawned = spawn(loop, EventLoops.getChildWatcher(), args, opts, protocol);
                spawned.transport.connectPipes(spawned.parentFds, result, protocol);
            } catch (IOException | RuntimeException e) {
                result.setException(e);
            } catch (Error e) {
                result.setException(e); // the caller learns of it too; then it propagates, as Errors do
                throw e;
            }
        };
        if (EventLoops.runningLoopOrNull() == loop) {
            start.run();
        } else {
            loop.callSoon(start); // like CPython's coroutine: the spawn happens once the loop runs
        }
        return result;
    }

    /** What can be checked before anything is deferred: a non-empty program, no null and no NUL. */
    private static List<String> checkArgv(List<String> argv) {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        for (int i = 0; i < argv.size(); i++) {
            String arg = Objects.requireNonNull(argv.get(i), "argv[" + i + "]");
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argv[" + i + "] contains NUL: \"" + arg.replace("\0", "\\0") + "\"");
            }
        }
        if (argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("argv[0], the program, must not be empty");
        }
        return List.copyOf(argv);
    }

    /** A started, registered child and the parent's ends of its pipes ({@code -1}: not a pipe). */
    private record Spawned(BaseSubprocessTransport transport, int[] parentFds) {}

    /**
     * Opens the redirections, spawns and registers the child. Whatever fails, what was opened is closed again,
     * and a failed system call becomes an {@link IOException} naming the program, the call and the errno.
     */
    private static Spawned spawn(BaseEventLoop loop, ChildWatcher watcher, List<String> argv, SubprocessOptions opts,
            SubprocessProtocol protocol) throws IOException {
        try {
            return spawnOrThrow(loop, watcher, argv, opts, protocol);
        } catch (PosixException e) {
            throw SystemErrors.spawnFailure(argv.get(0), e);
        }
    }

    private static Spawned spawnOrThrow(BaseEventLoop loop, ChildWatcher watcher, List<String> argv, SubprocessOptions opts,
            SubprocessProtocol protocol) throws FileNotFoundException {
        String program = argv.get(0);
        for (int fd : opts.passFds()) {
            if (!POSIX.isOpen(fd)) {
                throw new IllegalArgumentException("Cannot run program \"" + program + "\": passFds entry " + fd
                        + " is not an open file descriptor");
            }
        }
        SpawnRequest.Builder request = SpawnRequest.builder(argv).passFds(opts.passFds())
                .newSession(opts.startNewSession()).processGroup(opts.processGroup());
        if (opts.env() != null) {
            List<String> env = new ArrayList<>(opts.env().size());
            for (Map.Entry<String, String> e : opts.env().entrySet()) {
                env.add(e.getKey() + "=" + e.getValue());
            }
            request.env(env).executable(onChildPath(program, opts));
        }
        if (opts.cwd() != null) {
            request.cwd(opts.cwd().toString());
        }
        List<Integer> childSide = new ArrayList<>(4);
        int[] parentFds = {-1, -1, -1};
        boolean started = false;
        try {
            int stdin = redirect(program, opts.stdin(), 0, childSide, parentFds);
            int stdout = redirect(program, opts.stdout(), 1, childSide, parentFds);
            int stderr = opts.stderr().kind() == Redirect.Kind.STDOUT
                    ? (stdout == -1 ? 1 : stdout)
                    : redirect(program, opts.stderr(), 2, childSide, parentFds);
            request.stdin(stdin).stdout(stdout).stderr(stderr);
            try (SpawnScope scope = watcher.spawning()) {
                if (!watcher.isActive()) {
                    throw new IllegalStateException(watcher.notActiveMessage(loop));
                }
                long pid = POSIX.spawn(request.build());
                // Opened before the watcher knows the pid, so before it can be reaped and reused.
                BaseSubprocessTransport transport = new BaseSubprocessTransport(loop, protocol, pid, openPidfd(pid),
                        opts.leadsItsGroup());
                try {
                    watcher.addChildHandler(pid, (p, rc) -> transport.exitReported(rc));
                } catch (RuntimeException | Error e) {
                    abandon(pid, transport);
                    throw e;
                }
                started = true;
                loop.track(transport);
                return new Spawned(transport, parentFds);
            }
        } finally {
            closeAll(childSide);
            if (!started) {
                for (int fd : parentFds) {
                    closeQuietly(fd);
                }
            }
        }
    }

    /**
     * The child's descriptor for stream {@code stream} (0, 1, 2), or -1 to inherit; a pipe's other end goes to
     * {@code parentFds[stream]}, descriptors opened for the child to {@code childSide}.
     */
    private static int redirect(String program, Redirect r, int stream, List<Integer> childSide, int[] parentFds) {
        boolean childWrites = stream != 0;
        switch (r.kind()) {
            case PIPE -> {
                int[] p = POSIX.pipe();
                int child = childWrites ? p[1] : p[0];
                childSide.add(child);
                parentFds[stream] = childWrites ? p[0] : p[1];
                return child;
            }
            case DEVNULL -> {
                return opened(childSide, POSIX.open("/dev/null", childWrites));
            }
            case READ_FILE -> {
                return opened(childSide, POSIX.open(r.path().toAbsolutePath().toString(), Posix.O_RDONLY));
            }
            case WRITE_FILE -> {
                return opened(childSide, POSIX.open(r.path().toAbsolutePath().toString(),
                        Posix.O_WRONLY | Posix.O_CREAT | Posix.O_TRUNC));
            }
            case APPEND_FILE -> {
                return opened(childSide, POSIX.open(r.path().toAbsolutePath().toString(),
                        Posix.O_WRONLY | Posix.O_CREAT | Posix.O_APPEND));
            }
            case FD -> {
                if (!POSIX.isOpen(r.fd())) {
                    throw new IllegalArgumentException("Cannot run program \"" + program + "\": the redirect of fd "
                            + stream + " to fd " + r.fd() + " names no open file descriptor");
                }
                return r.fd();
            }
            default -> {
                return -1;
            }
        }
    }

    private static int opened(List<Integer> childSide, int fd) {
        childSide.add(fd);
        return fd;
    }

    /**
     * The file to run for {@code program} when the child gets its own environment: as given when it holds a
     * slash, else the first executable file of that name on the child's {@code PATH} (not the JVM's, which
     * {@code posix_spawnp} would search), relative entries against the child's working directory.
     */
    private static String onChildPath(String program, SubprocessOptions opts) throws FileNotFoundException {
        if (program.indexOf('/') >= 0) {
            return program;
        }
        String path = opts.env().getOrDefault("PATH", DEFAULT_PATH);
        for (String dir : path.split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            Path onDisk = opts.cwd() == null ? candidate : opts.cwd().resolve(candidate);
            if (Files.isRegularFile(onDisk) && Files.isExecutable(onDisk)) {
                return onDisk.toString();
            }
        }
        throw new FileNotFoundException("Cannot run program \"" + program + "\": not found on the child's PATH \""
                + path + "\"");
    }

    /** The child's pidfd, or -1 where the kernel (or the test switch) refuses one. */
    private static int openPidfd(long pid) {
        if (!usePidfd) {
            return -1;
        }
        try {
            return POSIX.pidfdOpen(pid);
        } catch (PosixException refused) {
            return -1; // ENOSYS before Linux 5.3, EPERM in some sandboxes: signals fall back to kill()
        }
    }

    /** The watcher refused the child after it started: kill it and reap it here, so no zombie is left. */
    private static void abandon(long pid, BaseSubprocessTransport transport) {
        transport.abandoned();
        try {
            POSIX.kill(pid, SIGKILL);
            POSIX.waitpid(pid, 0);
        } catch (PosixException e) {
            Loggers.LOG.log(Level.WARNING, "could not reap abandoned child " + pid, e);
        }
    }

    private static void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            closeQuietly(fd);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            SystemErrors.closeQuietly(POSIX, fd);
        }
    }
}
