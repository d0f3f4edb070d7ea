package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code Certify} as its users do, {@code java -cp ... org.asyncio4j.conformance.Certify}, on asyncio4j's
 * reference policy, with {@code slf4j-jdk-platform-logging} and {@code slf4j-simple} on the class path, so that
 * {@code System.Logger} records go to SLF4J and never reach java.util.logging. The properties that read logs
 * must be skipped with the reason; nothing may fail. The loop claims to log asyncio4j's reference texts
 * ({@code --claim REFERENCE_LOG_TEXTS}), so that the logging bridge is the only reason left to skip them.
 */
class CertifyUnderSlf4jTest {
    private static final List<String> LOG_RULES = List.of("LOOP-43", "LOOP-50");

    @Test
    void logPropertiesAreSkippedWithTheReasonAndNothingFails() throws Exception {
        assertTrue(System.LoggerFinder.getLoggerFinder().getClass().getName().startsWith("org.slf4j"),
                "the SLF4J bridge is not the LoggerFinder: " + System.LoggerFinder.getLoggerFinder().getClass());
        Path reports = Files.createDirectories(Path.of("target", "certify"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(Files.readString(Path.of("target", "certify.classpath"), StandardCharsets.UTF_8).trim());
        command.addAll(List.of("org.asyncio4j.conformance.Certify", "--policy", "org.asyncio4j.unix.DefaultEventLoopPolicy",
                "--kits", "policy,loop", "--claim", "REFERENCE_LOG_TEXTS", "--tries", "5", "--reports", reports.toString()));
        Path output = reports.resolve("certify-output.txt");
        Process certify = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = certify.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            certify.destroyForcibly().waitFor();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(ended, "Certify did not end within 180 s: " + out);
        assertEquals(0, certify.exitValue(), out);
        assertTrue(out.contains(" 0 failed, 0 errors, "), out);
        // slf4j-simple's format: the implementation's records went to SLF4J, not to java.util.logging
        assertTrue(out.contains("ERROR org.asyncio4j - "), "no record of the implementation reached slf4j-simple: " + out);
        String report = Files.readString(reports.resolve("conformance.md"), StandardCharsets.UTF_8);
        for (String rule : LOG_RULES) {
            assertTrue(report.contains("| " + rule + " | skip |"), rule + " is not skipped: " + report);
            assertTrue(report.contains("| " + rule + " | skip | System.Logger records do not reach java.util.logging (the LoggerFinder is org.slf4j."),
                    rule + "'s property is not skipped for the bridge: " + report);
        }
    }
}
