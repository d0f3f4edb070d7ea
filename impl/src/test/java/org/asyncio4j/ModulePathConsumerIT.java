package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.asyncio4j.testing.NoLeaks;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar on the module path, as a consumer uses it: {@code src/it/modulepath-demo} is a module
 * {@code demo} that {@code requires org.asyncio4j}; this test compiles it against the jar and impl's runtime
 * dependencies, then runs it with {@code java -p} on the JDK that runs the build. On Java 17 the command has
 * no extra flag; from Java 22 on it has only {@value #NATIVE_ACCESS}, the flag the README names for the
 * module path. Runs after {@code package} (failsafe), so that it sees the jar as published.
 */
@NoLeaks.OutOfProcess
class ModulePathConsumerIT {
    /** The one flag a module-path consumer adds on Java 22+: libc through jffi (jnr) or java.lang.foreign. */
    static final String NATIVE_ACCESS = "--enable-native-access=org.asyncio4j,org.jnrproject.jffi";

    @Test
    @DisplayName("MODULE a consumer module spawns a child with a pipe and handles a signal on the module path")
    void consumerModuleRunsOnTheModulePath() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "modulepath-demo"));
        String modulePath = modulePath();
        Path classes = work.resolve("classes");

        StringWriter javacOutput = new StringWriter();
        int javac = ToolProvider.findFirst("javac").orElseThrow().run(new PrintWriter(javacOutput),
                new PrintWriter(javacOutput), "--release", "17", "-Xlint:all", "-Werror",
                "--module-source-path", Path.of("src", "it", "modulepath-demo").toString(),
                "--module", "demo", "--module-path", modulePath, "-d", classes.toString());
        assertEquals(0, javac, javacOutput.toString());

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 22) {
            command.add(NATIVE_ACCESS);
        }
        command.addAll(List.of("--module-path", modulePath + File.pathSeparator + classes,
                "--module", "demo/demo.Main"));
        Path stdout = work.resolve("stdout.txt");
        Path stderr = work.resolve("stderr.txt");
        Process java = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!java.waitFor(120, TimeUnit.SECONDS)) {
            java.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not end within 120 s; stderr: " + Files.readString(stderr));
        }

        String errors = Files.readAllLines(stderr).stream().filter(line -> !aboutJffiUnsafe(line))
                .collect(Collectors.joining("\n"));
        assertEquals(0, java.exitValue(), command + "\n" + errors);
        assertEquals(List.of("module: org.asyncio4j", "child: through a pipe", "child exit: 0", "sender exit: 0",
                "signal: 10", "native signal thread: true", "proactor watcher: SafeChildWatcher"), Files.readAllLines(stdout), errors);
        assertTrue(errors.isEmpty(), "the consumer printed to stderr:\n" + errors);
    }

    /**
     * jnr's jffi calls sun.misc.Unsafe's memory methods, which Java 24+ warns about; the java.lang.foreign
     * backend used on Java 22+ does not load jffi at all, and then no such line appears.
     */
    private static boolean aboutJffiUnsafe(String line) {
        return line.startsWith("WARNING:") && (line.contains("sun.misc.Unsafe") || line.contains("com.kenai.jffi"));
    }

    /** impl's jar, then its runtime dependencies as the pom resolves them (written by maven-dependency-plugin). */
    private static String modulePath() throws IOException {
        String jar = System.getProperty("asyncio4j.jar");
        String dependencies = System.getProperty("asyncio4j.runtimeClasspathFile");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "asyncio4j.jar: " + jar);
        assertTrue(dependencies != null && Files.isRegularFile(Path.of(dependencies)),
                "asyncio4j.runtimeClasspathFile: " + dependencies);
        return jar + File.pathSeparator + Files.readString(Path.of(dependencies)).trim();
    }
}
