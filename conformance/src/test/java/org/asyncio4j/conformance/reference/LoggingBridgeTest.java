package org.asyncio4j.conformance.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code Certify} in a JVM where {@code System.Logger} bypasses java.util.logging (a {@link SilentLoggerFinder}
 * stands in for an SLF4J bridge): the properties that read logs are skipped with the reason, never failed.
 * The child JVM is this test's own class path plus {@code src/test/logging-bridge}.
 */
class LoggingBridgeTest {
    @Test
    @DisplayName("with System.Logger routed away from java.util.logging, LOOP-50 is skipped with the reason and Certify passes")
    void logPropertiesAreSkippedNotFailed() throws IOException, InterruptedException {
        Path reports = Files.createDirectories(Path.of("target", "reports", "logging-bridge"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path") + File.pathSeparator + Path.of("src", "test", "logging-bridge").toAbsolutePath());
        command.addAll(List.of("org.asyncio4j.conformance.Certify", "--policy", "org.asyncio4j.unix.DefaultEventLoopPolicy",
                "--kits", "loop", "--property", "theDefaultExceptionHandlerLogsOneErrorRecord", "--reports", reports.toString()));
        Path output = reports.resolve("certify-output.txt");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(ended, "Certify did not end within 120 s: " + out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("0 passed, 0 failed, 0 errors, 1 skipped"), out);
        String report = Files.readString(reports.resolve("conformance.md"), StandardCharsets.UTF_8);
        assertTrue(report.contains("do not reach java.util.logging"), report);
    }
}
