package org.asyncio4j.benchmarks.report;

import java.util.Locale;

/** Number formatting for the report: fixed decimals, or significant digits for times. */
public final class Fmt {

    private Fmt() {
    }

    /** {@code value} with {@code decimals} decimals; "n/a" for NaN. */
    public static String num(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** About three significant digits, with thousands separators: 0.437, 12.7, 523, 7,066. */
    public static String sig(double value) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        double a = Math.abs(value);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A ratio: "1.18x". */
    public static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2fx", value) : "n/a";
    }

    /** A rate per second in a readable unit: "1.98 k/s", "2.40 M/s". */
    public static String rate(double perSecond) {
        if (!Double.isFinite(perSecond)) {
            return "n/a";
        }
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M/s", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.2f k/s", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f /s", perSecond);
    }

    /** "safe" -> "Safe". */
    public static String cap(String word) {
        return word == null || word.isEmpty() ? "" : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
