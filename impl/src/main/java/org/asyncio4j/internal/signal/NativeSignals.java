package org.asyncio4j.internal.signal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.SignalLibrary;

/**
 * The native signal path (issue 13): asyncio4j's C handler ({@code src/main/c/asyncio4j_signals.c}) sets a
 * pending bit and writes one byte to a pipe; one daemon thread, {@value #THREAD_NAME}, blocks on the pipe,
 * takes the pending set and hands each signal to the {@link SignalDispatcher}. HotSpot's own path starts a
 * new thread for every delivery instead, a few hundred microseconds each.
 *
 * <p>The library travels in the jar ({@value #RESOURCE_DIR}{@code linux-<arch>/libasyncio4j.so}), is copied
 * to a fresh 0700 temporary directory, loaded through the {@link Posix} seam (jnr-ffi or FFM) and deleted
 * at once (the loaded mapping outlives the file). When it is missing, cannot be copied or loaded, or
 * {@value #PROPERTY}{@code =jvm} is set, {@link #load} answers null, logs why once at DEBUG, and the
 * dispatcher uses the JVM's dispatch as before.
 *
 * <p>The thread and its pipe exist while at least one signal is installed natively: the first
 * {@link #install} starts them, the last {@link #uninstall} stops them, so nothing outlives the last
 * subscription.
 *
 * <p>The handler does not write each subscribed loop's wake-up descriptor itself, although that would save
 * the hop through this thread: the list of descriptors would have to be kept async-signal-safe beside the
 * dispatcher's subscriptions, and {@link SignalDispatcher} would no longer be the one place that calls
 * listeners (with its contract: a throwing listener logged, the others still run). The hop costs one
 * thread wake-up; that choice was not measured separately.
 *
 * <p>Two copies of asyncio4j in one process (two class loaders) load two copies of the library, each with
 * its own state: the later installation of a signal replaces the earlier one's handler until it is closed.
 */
final class NativeSignals {
    /** The system property that chooses the path: {@code native} (the default) or {@code jvm}. */
    static final String PROPERTY = "org.asyncio4j.signals";
    /** The dispatch thread's name. */
    static final String THREAD_NAME = "asyncio4j-signals";
    static final String RESOURCE_DIR = "/META-INF/native/";
    private static final String LIBRARY_FILE = "libasyncio4j.so";
    /** How long the last uninstall waits for the thread to end. */
    private static final long STOP_SECONDS = 10;
    private static final System.Logger LOG = org.asyncio4j.internal.Loggers.LOG;

    private final Posix posix;
    private final SignalLibrary library;
    private final IntConsumer sink;

    /** Signals installed natively now. Guarded by this. */
    private int installedCount;
    /** The pipe's write end while the thread runs, else -1. Guarded by this. */
    private int writeFd = -1;
    /** The running dispatch thread, else null. Guarded by this. */
    private Thread thread;

    private NativeSignals(Posix posix, SignalLibrary library, IntConsumer sink) {
        this.posix = posix;
        this.library = library;
        this.sink = sink;
    }

    /**
     * The native path delivering each signal to {@code sink}, or null (with the reason logged once at
     * DEBUG) where it cannot be used here. Never throws.
     */
    static NativeSignals load(IntConsumer sink) {
        String choice = System.getProperty(PROPERTY, "native");
        if (choice.equals("jvm")) {
            LOG.log(System.Logger.Level.DEBUG, PROPERTY + "=jvm: signals use the JVM's dispatch");
            return null;
        }
        if (!choice.equals("native")) {
            LOG.log(System.Logger.Level.DEBUG, PROPERTY + " must be native or jvm, not \"" + choice
                    + "\": signals use the JVM's dispatch");
            return null;
        }
        try {
            Posix posix = Posix.get();
            return new NativeSignals(posix, loadLibrary(posix), sink);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "native signal library unavailable (" + e
                    + "): signals use the JVM's dispatch");
            return null;
        }
    }

    /** The resource for this machine: {@code /META-INF/native/linux-x86_64/libasyncio4j.so} on x86-64 Linux. */
    static String resource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        String machine = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return RESOURCE_DIR + (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-" + machine + "/" + LIBRARY_FILE;
    }

    /** Copies the library out of the jar into a private directory, loads it and deletes the copy. */
    private static SignalLibrary loadLibrary(Posix posix) throws IOException {
        String resource = resource();
        try (InputStream in = NativeSignals.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new FileNotFoundException("this jar has no " + resource + " (another platform, or built with "
                        + "asyncio4j.native.skip=true)");
            }
            Path dir = Files.createTempDirectory("asyncio4j-native",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve(LIBRARY_FILE);
            try {
                Files.copy(in, file);
                return posix.loadSignalLibrary(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        }
    }

    /**
     * Installs the native handler for {@code signum}, starting the dispatch thread first if none runs.
     *
     * @throws org.asyncio4j.internal.posix.PosixException if sigaction refuses
     */
    synchronized void install(int signum) {
        if (thread == null) {
            start();
        }
        try {
            library.install(signum);
        } catch (RuntimeException e) {
            if (installedCount == 0) {
                stop();
            }
            throw e;
        }
        installedCount++;
    }

    /**
     * Restores the disposition {@link #install} replaced; stops the thread after the last one.
     *
     * @return false if outside code had replaced the handler (left in place)
     */
    synchronized boolean uninstall(int signum) {
        boolean ours;
        try {
            ours = library.uninstall(signum);
        } finally {
            if (--installedCount == 0) {
                stop();
            }
        }
        return ours;
    }

    /** How many times the C handler has run in this process. */
    long deliveries() {
        return library.deliveries();
    }

    /** Guarded by this. */
    private void start() {
        int[] pipe = posix.pipe();
        int readFd = pipe[0];
        try {
            posix.setNonBlocking(pipe[1], true);
        } catch (RuntimeException e) {
            posix.close(pipe[0]);
            posix.close(pipe[1]);
            throw e;
        }
        writeFd = pipe[1];
        library.setWakeupFd(writeFd);
        thread = new Thread(() -> run(readFd), THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Guarded by this. Detaches the pipe from the handler (waiting for a handler still writing to it), closes
     * the write end so that the thread reads end-of-file after the last byte, and waits for the thread unless
     * this is that thread (a listener that closed the last subscription).
     */
    private void stop() {
        Thread running = thread;
        thread = null;
        library.setWakeupFd(-1);
        posix.close(writeFd);
        writeFd = -1;
        if (running != Thread.currentThread()) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(STOP_SECONDS));
                if (running.isAlive()) {
                    LOG.log(System.Logger.Level.WARNING, THREAD_NAME + " did not stop within " + STOP_SECONDS
                            + " s (a listener still running?); it ends after its last delivery");
                }
            } catch (InterruptedException e) {
                // It ends on its own after the end of file; the caller's interrupt is kept.
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The dispatch loop: block on the pipe, take the pending set, deliver each signal in it. The handler
     * sets the bit before it writes the byte, so a bit set after a take always comes with a byte that
     * wakes the next read. Ends at end-of-file (the write end closed by {@link #stop}), after a last take.
     */
    private void run(int readFd) {
        byte[] bytes = new byte[64];
        try {
            while (true) {
                int n;
                try {
                    n = posix.read(readFd, bytes, 0, bytes.length);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, THREAD_NAME + " cannot read its pipe; it stops", e);
                    return;
                }
                deliverPending();
                if (n == 0) {
                    return;
                }
            }
        } finally {
            posix.close(readFd);
        }
    }

    private void deliverPending() {
        long pending = library.takePending();
        while (pending != 0) {
            int signum = Long.numberOfTrailingZeros(pending) + 1;
            pending &= pending - 1;
            try {
                sink.accept(signum);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, () -> "delivering " + SignalDispatcher.name(signum) + " failed", t);
            }
        }
    }
}
