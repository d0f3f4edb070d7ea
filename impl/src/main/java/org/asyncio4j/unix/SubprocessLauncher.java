package org.asyncio4j.unix;

import org.asyncio4j.SpawnScope;

import org.asyncio4j.ChildWatcher;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.base.LoopFuture;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SpawnRequest;

/**
 * Starts children for a loop (CPython's {@code _make_subprocess_transport}): with {@code posix_spawn},
 * on the loop's thread (at once when called there, else as the loop's next callback, as CPython's
 * coroutine runs when the loop does),
 * never {@code ProcessBuilder} (whose reaper thread would race the watchers), inside the policy watcher's
 * {@link ChildWatcher#spawning()} window, registering the exit before the window closes (POL-31, POL-32).
 */
final class SubprocessLauncher {
    private static final Posix POSIX = Posix.get();

    static {
        // Lets the proactor loop start children through this class without it becoming public API.
        org.asyncio4j.internal.UnixAccess.registerSubprocessStarter(SubprocessLauncher::exec);
    }

    private SubprocessLauncher() {}

    static AsyncFuture<Subprocess> exec(EventLoop loop, List<String> argv, SubprocessOptions options) {
        List<String> args = checkArgv(argv);
        SubprocessOptions opts = options == null ? SubprocessOptions.defaults() : options;
        if (loop.isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
        LoopFuture<Subprocess> result = new LoopFuture<>(loop);
        Runnable start = () -> {
            try {
                result.setResult(spawn(loop, EventLoops.getChildWatcher(), args, opts));
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

    /**
     * Opens the pipes, spawns and registers the child. Whatever fails, what was opened is closed again, and a
     * failed system call becomes an {@link IOException} naming the program, the call and the errno.
     */
    private static Subprocess spawn(EventLoop loop, ChildWatcher watcher, List<String> argv, SubprocessOptions opts)
            throws IOException {
        try {
            return spawnOrThrow(loop, watcher, argv, opts);
        } catch (PosixException e) {
            throw spawnFailure(argv.get(0), e);
        }
    }

    private static Subprocess spawnOrThrow(EventLoop loop, ChildWatcher watcher, List<String> argv, SubprocessOptions opts) {
        for (int fd : opts.passFds()) {
            if (!POSIX.isOpen(fd)) {
                throw new IllegalArgumentException("Cannot run program \"" + argv.get(0) + "\": passFds entry " + fd
                        + " is not an open file descriptor");
            }
        }
        List<Integer> childSide = new ArrayList<>(4);
        List<Integer> parentSide = new ArrayList<>(3);
        boolean started = false;
        try {
            int[] stdin = redirect(opts.stdin(), false, childSide, parentSide);
            int[] stdout = redirect(opts.stdout(), true, childSide, parentSide);
            int[] stderr = opts.stderr() == Redirect.STDOUT
                    ? new int[] {stdout[0] == -1 ? 1 : stdout[0], -1}
                    : redirect(opts.stderr(), true, childSide, parentSide);
            SpawnRequest.Builder request = SpawnRequest.builder(argv)
                    .stdin(stdin[0]).stdout(stdout[0]).stderr(stderr[0]).passFds(opts.passFds());
            if (opts.env() != null) {
                List<String> env = new ArrayList<>(opts.env().size());
                for (Map.Entry<String, String> e : opts.env().entrySet()) {
                    env.add(e.getKey() + "=" + e.getValue());
                }
                request.env(env);
            }
            if (opts.cwd() != null) {
                request.cwd(opts.cwd().toString());
            }
            try (SpawnScope scope = watcher.spawning()) {
                if (!watcher.isActive()) {
                    throw new IllegalStateException(NotActivated.message(loop, watcher));
                }
                long pid = POSIX.spawn(request.build());
                UnixSubprocess process = new UnixSubprocess(loop, pid, stdin[1], stdout[1], stderr[1]);
                started = true;
                try {
                    LoopRegistration exit = new LoopRegistration(loop, (p, rc) -> process.exited(rc));
                    watcher.addChildHandler(pid, exit::deliver);
                } catch (RuntimeException | Error e) {
                    abandon(pid, process);
                    throw e;
                }
                return process;
            }
        } finally {
            closeAll(childSide);
            if (!started) {
                closeAll(parentSide);
            }
        }
    }

    /** {@code [fd the child gets, fd the parent keeps]}; -1 for "inherit" and "none". */
    private static int[] redirect(Redirect r, boolean childWrites, List<Integer> childSide, List<Integer> parentSide) {
        switch (r) {
            case PIPE: {
                int[] p = POSIX.pipe();
                int child = childWrites ? p[1] : p[0];
                int parent = childWrites ? p[0] : p[1];
                childSide.add(child);
                parentSide.add(parent);
                return new int[] {child, parent};
            }
            case DEVNULL: {
                int fd = POSIX.open("/dev/null", childWrites);
                childSide.add(fd);
                return new int[] {fd, -1};
            }
            default:
                return new int[] {-1, -1};
        }
    }

    private static IOException spawnFailure(String program, PosixException e) {
        String message = "Cannot run program \"" + program + "\": " + e.getMessage();
        return e.errno() == PosixException.ENOENT ? new FileNotFoundException(message) : new IOException(message);
    }

    /** The watcher refused the child after it started: kill it and reap it here, so no zombie is left. */
    private static void abandon(long pid, UnixSubprocess process) {
        process.close();
        try {
            POSIX.kill(pid, Signals.SIGKILL);
            POSIX.waitpid(pid, 0);
        } catch (PosixException e) {
            Loggers.LOG.log(Level.WARNING, "could not reap abandoned child " + pid, e);
        }
    }

    private static void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            SystemErrors.closeQuietly(POSIX, fd);
        }
    }
}
