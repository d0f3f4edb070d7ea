package org.asyncio4j.conformance;

/**
 * Run settings. Under Maven or an IDE they come from system properties:
 * <ul>
 *   <li>{@code asyncio4j.conformance.tries}: tries per model property (default {@value #DEFAULT_TRIES});
 *       properties with real children run a tenth of it;</li>
 *   <li>{@code asyncio4j.conformance.seed}: a fixed seed, to replay a failure;</li>
 *   <li>{@code asyncio4j.conformance.timeScale}: multiplies every deadline (default 1; 3 for a slow or
 *       busy machine). A try has {@value #TRY_SECONDS} s ({@value #REAL_CHILD_TRY_SECONDS} s with real
 *       children), a property {@value #PROPERTY_SECONDS} s; an overrun fails the property on its rule.</li>
 * </ul>
 * {@link KitRun} (and so {@link Certify}) sets them for one run through a {@link Scope} instead, and never
 * touches the system properties.
 */
public final class Settings {
    /** The system property for the tries per model property. */
    public static final String TRIES = "asyncio4j.conformance.tries";
    /** The system property for a fixed seed. */
    public static final String SEED = "asyncio4j.conformance.seed";
    /** The system property that multiplies every deadline. */
    public static final String TIME_SCALE = "asyncio4j.conformance.timeScale";
    /** Tries per model property when nothing is set. */
    public static final int DEFAULT_TRIES = 50;
    /** The deadline of one try of a model property, in seconds, before scaling. */
    public static final int TRY_SECONDS = 15;
    /** The deadline of one try of a property with real children, in seconds, before scaling. */
    public static final int REAL_CHILD_TRY_SECONDS = 40;
    /** The deadline of a whole property, in seconds, before scaling. */
    public static final int PROPERTY_SECONDS = 180;

    private static volatile Integer scopedTries;
    private static volatile String scopedSeed;
    private static volatile Double scopedTimeScale;

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

    /** The factor every deadline is multiplied by. */
    public static double timeScale() {
        Double scoped = scopedTimeScale;
        if (scoped != null) {
            return scoped;
        }
        String value = System.getProperty(TIME_SCALE);
        if (value == null || value.isBlank()) {
            return 1.0;
        }
        try {
            double scale = Double.parseDouble(value.trim());
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException(TIME_SCALE + " must be a positive number, got " + value);
            }
            return scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIME_SCALE + " must be a number, got " + value, e);
        }
    }

    /** Sets tries, seed and time scale (each null: not overridden) until the scope is closed. */
    static Scope scope(Integer tries, String seed, Double timeScale) {
        scopedTries = tries;
        scopedSeed = seed == null || seed.isBlank() ? null : seed.trim();
        scopedTimeScale = timeScale;
        return new Scope();
    }

    /** The settings of one kit run; closing it restores the system-property settings. */
    static final class Scope implements AutoCloseable {
        @Override
        public void close() {
            scopedTries = null;
            scopedSeed = null;
            scopedTimeScale = null;
        }
    }
}
