package org.asyncio4j.conformance;

/**
 * Run settings. Under Maven or an IDE they come from system properties:
 * <ul>
 *   <li>{@code asyncio4j.conformance.tries}: tries per model property (default {@value #DEFAULT_TRIES});
 *       properties with real children run a tenth of it;</li>
 *   <li>{@code asyncio4j.conformance.seed}: a fixed seed, to replay a failure.</li>
 * </ul>
 * {@link KitRun} (and so {@link Certify}) sets them for one run through a {@link Scope} instead, and never
 * touches the system properties.
 */
public final class Settings {
    /** The system property for the tries per model property. */
    public static final String TRIES = "asyncio4j.conformance.tries";
    /** The system property for a fixed seed. */
    public static final String SEED = "asyncio4j.conformance.seed";
    /** Tries per model property when nothing is set. */
    public static final int DEFAULT_TRIES = 50;

    private static volatile Integer scopedTries;
    private static volatile String scopedSeed;

    private Settings() {}

    /** The configured tries for model properties. */
    public static int tries() {
        Integer scoped = scopedTries;
        if (scoped != null) {
            return scoped;
        }
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
        String scoped = scopedSeed;
        if (scoped != null) {
            return scoped;
        }
        String value = System.getProperty(SEED);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Sets tries and seed (each null: not overridden) until the scope is closed. */
    static Scope scope(Integer tries, String seed) {
        scopedTries = tries;
        scopedSeed = seed == null || seed.isBlank() ? null : seed.trim();
        return new Scope();
    }

    /** The settings of one kit run; closing it restores the system-property settings. */
    static final class Scope implements AutoCloseable {
        @Override
        public void close() {
            scopedTries = null;
            scopedSeed = null;
        }
    }
}
