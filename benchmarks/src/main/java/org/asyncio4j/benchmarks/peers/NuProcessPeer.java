package org.asyncio4j.benchmarks.peers;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * NuProcess 2.0.6's side, with its defaults: children spawned through the JDK's native {@code forkAndExec},
 * stdin, stdout and stderr always piped, and one epoll thread that calls the handler. On Linux NuProcess
 * learns of an exit when both output pipes have closed, then calls {@code waitpid(pid, WNOHANG)}; a child
 * not yet reapable goes to a "dead pool" polled every 250 ms. NuProcess has no readLine: the lines workload
 * counts newline bytes in its {@code onStdout} buffers.
 *
 * <p>NuProcess's own logger is set to SEVERE: when a child exits before {@code start()} has called
 * {@code onStart} (as {@code /bin/true} often does), NuProcess 2.0.6 logs a WARNING with a stack trace for the
 * NullPointerException its handler field gives; printing hundreds of those would be charged to NuProcess's
 * timing and bury the run's output. A failed start still shows: {@code start()} returns null and this class
 * throws.
 */
final class NuProcessPeer implements Peer {
    /** Held so that the level set on it is not lost when the logger is collected. */
    private static final java.util.logging.Logger NUPROCESS_LOG = java.util.logging.Logger.getLogger("com.zaxxer.nuprocess");

    static {
        NUPROCESS_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /** How long any one wait may take before the benchmark fails instead of hanging. */
    private static final long TIMEOUT_SECONDS = 60;

    private final Set<Child> idle = new LinkedHashSet<>();

    /** A handler that completes {@link #exit} with the exit code, and keeps stdout or counts its newlines. */
    private static final class Child extends NuAbstractProcessHandler {
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final boolean keep;
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        NuProcess process;
        int newlines;

        Child(boolean keep) {
            this.keep = keep;
        }

        @Override
        public void onStdout(ByteBuffer buffer, boolean closed) {
            if (keep) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                kept.write(chunk, 0, chunk.length);
                return;
            }
            while (buffer.hasRemaining()) {
                if (buffer.get() == '\n') {
                    newlines++;
                }
            }
        }

        @Override
        public void onExit(int statusCode) {
            exit.complete(statusCode);
        }

        int await() {
            try {
                return exit.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for NuProcess pid " + pid(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("NuProcess pid " + pid() + " reported no exit within "
                        + TIMEOUT_SECONDS + " s", e);
            }
        }

        int pid() {
            return process == null ? -1 : process.getPID();
        }

        void killAndAwait() {
            if (process != null && !exit.isDone()) {
                process.destroy(true);
            }
            await();
        }
    }

    private static Child start(List<String> argv) {
        return start(argv, false);
    }

    /** Starts {@code argv}; with {@code keep}, stdout is kept whole (readAll), else its newlines are counted. */
    private static Child start(List<String> argv, boolean keep) {
        Child child = new Child(keep);
        NuProcessBuilder builder = new NuProcessBuilder(argv);
        builder.setProcessListener(child);
        child.process = builder.start();
        if (child.process == null) {
            throw new IllegalStateException("NuProcess could not start " + argv);
        }
        return child;
    }

    @Override
    public void runAll(List<String> argv, int n) {
        List<Child> started = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                started.add(start(argv));
            }
            started.forEach(Child::await);
        } finally {
            started.forEach(Child::killAndAwait);
        }
    }

    @Override
    public long readAll(List<String> argv) {
        Child child = start(argv, true);
        try {
            child.await();
            return child.kept.toByteArray().length;
        } finally {
            child.killAndAwait();
        }
    }

    @Override
    public int readLines(List<String> argv) {
        Child child = start(argv);
        try {
            child.await();
            return child.newlines;
        } finally {
            child.killAndAwait();
        }
    }

    @Override
    public IdleChild spawnIdle() {
        Child child = start(List.of("/bin/cat"));
        idle.add(child);
        return new IdleChild() {
            @Override
            public void kill() {
                child.process.destroy(true);
            }

            @Override
            public int awaitExit() {
                int code = child.await();
                idle.remove(child);
                return code;
            }
        };
    }

    @Override
    public void close() {
        idle.forEach(c -> c.process.destroy(true));
        idle.forEach(Child::killAndAwait);
        idle.clear();
    }
}
