package org.asyncio4j.conformance;

/**
 * Run settings, read from system properties so that they reach the properties however the kit is
 * launched (Maven, an IDE, {@link Certify}):
 * <ul>
 *   <li>{@code asyncio4j.conformance.tries}: tries per model property (default {@value #DEFAULT_TRIES});
 *       properties with real children run a tenth of it;</li>
 *   <li>{@code asyncio4j.conformance.seed}: a fixed seed, to replay a failure.</li>
 * </ul>
 */
public final class Settings {
    public static final String TRIES = "asyncio4j.conformance.tries";
    public static final String SEED = "asyncio4j.conformance.seed";
    public static final int DEFAULT_TRIES = 50;

    private Settings() {}

    /** The configured tries for model properties. */
    public static int tries() {
        String value = System.getProperty(TRIES);
        if (value == null || value.isBlank()) {
            return DEFAULT_TRIES;
        }
        try {
            int tries = Integer.parseInt(value.trim());
            if (tries < 1) {
                throw new IllegalArgumentException(TRIES + " must be at least 1, got " + value);
            }
            return tries;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TRIES + " must be an integer, got " + value, e);
        }
    }

    /** The tries for a property that starts real children. */
    public static int realChildTries(int minTries) {
        return Math.max(minTries, tries() / 10);
    }

    /** The fixed seed, or null. */
    public static String seed() {
        String value = System.getProperty(SEED);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
