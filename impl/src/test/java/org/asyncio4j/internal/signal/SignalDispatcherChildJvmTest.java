package org.asyncio4j.internal.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.internal.posix.PosixBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can only be checked in a fresh JVM: in the test JVM, {@code java.lang.ProcessImpl} may already be
 * initialised and SIGHUP is not ignored. Each case runs {@link SignalChildMain} in a child JVM.
 */
class SignalDispatcherChildJvmTest {

    @TempDir
    Path tmp;

    /**
     * The dispatcher initialises {@code java.lang.ProcessImpl} before installing: SIGCHLD survives the
     * first ProcessBuilder.start() (JDK 17) and System.getenv() (JDK 25), and real SIGCHLDs arrive.
     */
    @Test
    void sigchldSurvivesProcessImplInAFreshJvm() throws Exception {
        Result r = run(List.of(), "sigchld");
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("OK"), r.output);
    }

    /** Under nohup the JVM "installs" SIGHUP without installing anything; the dispatcher refuses. */
    @Test
    void ignoredSighupCannotBeCaught() throws Exception {
        List<String> prefix = List.of("sh", "-c", "trap '' HUP; exec \"$@\"", "sh");
        Result r = run(prefix, "sighup-ignored");
        assumeTrue(r.exit != 2, r.output);
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("OK"), r.output);
    }

    /** Issue 13: the native path by default, on each backend this JVM can run (jnr; ffm too on 22+). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void nativePathByDefaultOnEachBackend(String backend) throws Exception {
        Result r = run(List.of(), "native-path", "-D" + PosixBackends.PROPERTY + "=" + backend);
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("backend " + backend + ", listener thread " + NativeSignals.THREAD_NAME), r.output);
    }

    /** Issue 13: -Dorg.asyncio4j.signals=jvm forces the JVM's dispatch, on each backend. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void theJvmPathWhenForced(String backend) throws Exception {
        Result r = run(List.of(), "jvm-path", "-D" + PosixBackends.PROPERTY + "=" + backend, "-D" + NativeSignals.PROPERTY + "=jvm");
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("OK"), r.output);
    }

    /**
     * Issue 13: the library cannot be copied out of the jar (a temporary directory that does not exist, a real
     * fault): the JVM path takes over and nothing fails.
     */
    @Test
    void theJvmPathWhenTheLibraryCannotBeExtracted() throws Exception {
        Result r = run(List.of(), "jvm-path", "-Djava.io.tmpdir=" + tmp.resolve("missing"));
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("OK"), r.output);
    }

    static List<String> backends() {
        return PosixBackends.available();
    }

    private Result run(List<String> prefix, String mode, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of(jvmOptions));
        command.add("-Xss1m");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SignalChildMain.class.getName());
        command.add(mode);
        File out = Files.createTempFile(tmp, mode, ".out").toFile();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
        try {
            boolean exited = p.waitFor(TestSignals.TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
            String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            assertTrue(exited, () -> "child JVM still running: " + output);
            return new Result(p.exitValue(), output);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    private static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = "exit " + exit + ", output:\n" + output;
        }
    }
}
