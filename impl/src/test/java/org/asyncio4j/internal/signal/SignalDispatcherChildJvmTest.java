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
import org.junit.jupiter.api.Test;
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

    private Result run(List<String> prefix, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xss1m");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SignalChildMain.class.getName());
        command.add(mode);
        File out = tmp.resolve(mode + ".out").toFile();
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
