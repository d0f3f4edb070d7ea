package org.asyncio4j.internal;

/**
 * The two channels asyncio4j reports on, as CPython has the {@code asyncio} logger and the {@code warnings}
 * module: {@link #LOG} for log records, {@link #WARNINGS} for what CPython raises as RuntimeWarning or
 * ResourceWarning (prefixed with the warning's class).
 */
public final class Loggers {
    /** The {@code org.asyncio4j} logger. */
    public static final System.Logger LOG = System.getLogger("org.asyncio4j");
    /** The {@code org.asyncio4j.warnings} logger: CPython's warnings, always at WARNING level. */
    public static final System.Logger WARNINGS = System.getLogger("org.asyncio4j.warnings");

    private Loggers() {}

    /** Reports a CPython-style warning such as {@code RuntimeWarning: A loop is being detached ...}. */
    public static void warn(String category, String message) {
        WARNINGS.log(System.Logger.Level.WARNING, category + ": " + message);
    }
}
