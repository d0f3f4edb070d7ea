package org.asyncio4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seam's {@link Posix#loadSignalLibrary} on each backend this JVM runs (jnr; ffm too on 22+), with the
 * library built into target/classes and a real SIGWINCH (default action: ignore, so harmless if it strays).
 * Each backend loads its own copy (another file), so its handler state is its own.
 */
class SignalLibraryTest {
    private static final int SIGWINCH = 28;
    private static final String RESOURCE = "/META-INF/native/linux-" + machine() + "/libasyncio4j.so";

    @TempDir
    Path tmp;

    static List<String> backends() {
        return PosixBackends.available();
    }

    private static String machine() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    private Path extract(String backend) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(backend));
        Path file = dir.resolve("libasyncio4j.so");
        try (InputStream in = SignalLibraryTest.class.getResourceAsStream(RESOURCE)) {
            assumeTrue(in != null, "built without the native library (asyncio4j.native.skip)");
            Files.copy(in, file);
        }
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void handlerSetsThePendingBitWritesTheWakeupFdAndUninstallRestores(String backend) throws Exception {
        Posix posix = PosixBackends.named(backend);
        assumeFalse(caught(SIGWINCH), "SIGWINCH already caught in this JVM");
        SignalLibrary library = posix.loadSignalLibrary(extract(backend));
        int[] pipe = posix.pipe();
        try {
            posix.setNonBlocking(pipe[0], true);
            posix.setNonBlocking(pipe[1], true);
            assertEquals(-1, library.setWakeupFd(pipe[1]));
            assertEquals(0, library.takePending());
            long deliveries = library.deliveries();
            library.install(SIGWINCH);
            try {
                assertTrue(caught(SIGWINCH));
                PosixException busy = assertThrows(PosixException.class, () -> library.install(SIGWINCH));
                assertTrue(busy.getMessage().contains("signal " + SIGWINCH), busy.getMessage());
                posix.kill(posix.getpid(), SIGWINCH);
                byte[] b = new byte[8];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int n;
                while ((n = posix.read(pipe[0], b, 0, b.length)) < 0) {
                    assertTrue(System.nanoTime() < deadline, "no wakeup byte");
                    Thread.sleep(1);
                }
                assertEquals(1, n);
                assertEquals(1L << (SIGWINCH - 1), library.takePending());
                assertEquals(0, library.takePending(), "take clears");
                assertEquals(deliveries + 1, library.deliveries());
            } finally {
                assertTrue(library.uninstall(SIGWINCH));
            }
            assertFalse(caught(SIGWINCH), "SIG_DFL not restored");
            assertThrows(PosixException.class, () -> library.uninstall(SIGWINCH));
            assertThrows(PosixException.class, () -> library.install(0));
            assertThrows(PosixException.class, () -> library.install(65));
        } finally {
            assertEquals(pipe[1], library.setWakeupFd(-1));
            posix.close(pipe[0]);
            posix.close(pipe[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aLibraryThatCannotBeLoadedIsIllegalStateNamingIt(String backend) {
        // a missing file rather than a file that is no ELF object: HotSpot warns on stdout about the latter
        Path bogus = tmp.resolve("missing").resolve("libasyncio4j.so");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PosixBackends.named(backend).loadSignalLibrary(bogus));
        assertTrue(e.getMessage().contains(bogus.toString()), e.getMessage());
    }

    private static boolean caught(int signum) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("SigCgt:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (signum - 1) & 1) != 0;
            }
        }
        throw new AssertionError("no SigCgt in /proc/self/status");
    }
}
