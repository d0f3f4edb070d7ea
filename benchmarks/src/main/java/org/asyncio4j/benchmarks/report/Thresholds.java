package org.asyncio4j.benchmarks.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.Properties;

/** The numeric thresholds of {@code benchmarks/thresholds.properties}; a missing key means "no verdict". */
public final class Thresholds {

    private final Properties properties;

    /** Wraps loaded properties. */
    public Thresholds(Properties properties) {
        this.properties = properties;
    }

    /** Loads a properties file; an absent file gives empty thresholds (every verdict becomes informational). */
    public static Thresholds load(Path file) throws IOException {
        Properties p = new Properties();
        if (file != null && Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return new Thresholds(p);
    }

    /** The value of a key, if present and numeric. */
    public OptionalDouble get(String key) {
        String v = properties.getProperty(key);
        if (v == null) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(v.trim()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** The value of a key, or {@code fallback}. */
    public double get(String key, double fallback) {
        return get(key).orElse(fallback);
    }

    /** Whether there are no thresholds at all. */
    public boolean isEmpty() {
        return properties.isEmpty();
    }
}
