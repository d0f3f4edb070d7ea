package org.asyncio4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * On Java 22+, a fresh JVM that uses the seam through the FFM backend never loads jnr-ffi or jffi (whose
 * native layer calls {@code sun.misc.Unsafe}), runs with Unsafe memory access denied, and prints no
 * warning with the flags the README names. Forcing jnr loads them, which shows that the check can fail.
 * The JVM's class-loading log tells which classes were loaded.
 */
@EnabledForJreRange(min = JRE.JAVA_22, disabledReason = "the FFM backend needs Java 22+")
class BackendIsolationTest {
    private static final int FEATURE = Runtime.version().feature();
    private final Posix posix = Posix.get();

    @Test
    void theFfmBackendLoadsNoJnrAndNeedsNoUnsafe() {
        List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        if (FEATURE >= 23) {
            flags.add("--sun-misc-unsafe-memory-access=deny");
        }
        Run run = probe(flags);
        assertEquals("", run.stderr, "the probe printed to stderr");
        assertTrue(run.stdout.contains("backend=ffm\n"), run.stdout);
        assertEquals(List.of(), jnrClasses(run.stdout), "jnr classes loaded with the ffm backend");
    }

    @Test
    void forcingJnrLoadsIt() {
        List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-D" + PosixBackends.PROPERTY + "=jnr"));
        if (FEATURE >= 23) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        Run run = probe(flags);
        assertEquals("", run.stderr, "the probe printed to stderr");
        assertTrue(run.stdout.contains("backend=jnr\n"), run.stdout);
        List<String> loaded = jnrClasses(run.stdout);
        assertTrue(loaded.stream().anyMatch(c -> c.startsWith("com.kenai.jffi.")), "no jffi class in " + loaded);
    }

    private record Run(String stdout, String stderr) {}

    /** Runs {@link NativeBackendProbe} in a new JVM with {@code flags}, logging every class it loads. */
    private Run probe(List<String> flags) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(flags);
        argv.addAll(List.of("-Xshare:off", "-Xlog:class+load=info:stdout:uptime", "-cp", System.getProperty("java.class.path"),
                NativeBackendProbe.class.getName()));
        // stdin is /dev/null: the test JVM's own stdin carries surefire's commands.
        int in = posix.open("/dev/null", false);
        int[] out = posix.pipe();
        int[] err = posix.pipe();
        long pid;
        try {
            pid = posix.spawn(SpawnRequest.builder(argv).stdin(in).stdout(out[1]).stderr(err[1]).build());
        } finally {
            posix.close(in);
            posix.close(out[1]);
            posix.close(err[1]);
        }
        String stdout;
        String stderr;
        try {
            stdout = readAll(out[0]);  // the class log; the probe writes little to stderr, which waits in its pipe
            stderr = readAll(err[0]);
        } finally {
            posix.close(out[0]);
            posix.close(err[0]);
            int status = WaitResult.status(posix.waitpid(pid, 0));
            assertEquals(0, status, "probe exit status");
        }
        return new Run(stdout, stderr);
    }

    /** The jnr-ffi and jffi classes named in a {@code -Xlog:class+load} log. */
    private static List<String> jnrClasses(String log) {
        List<String> names = new ArrayList<>();
        for (String line : log.split("\n")) {
            int at = line.indexOf("] ");
            String rest = at < 0 ? line : line.substring(at + 2);
            if (rest.startsWith("jnr.ffi.") || rest.startsWith("com.kenai.jffi.")) {
                names.add(rest.split(" ", 2)[0]);
            }
        }
        return names;
    }

    private String readAll(int fd) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = posix.read(fd, buf, 0, buf.length)) > 0) {
            all.write(buf, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
