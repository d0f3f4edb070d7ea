package org.asyncio4j.benchmarks.report;

/** Converts JMH's time and rate units ("ms/op", "us", "ops/s", "ops/ms", ...) to microseconds and per second. */
public final class Units {

    private Units() {
    }

    /** Microseconds per unit of {@code unit} ("s", "ms", "us", "ns", optionally followed by "/op"). */
    public static double toMicros(double value, String unit) {
        if (unit == null) {
            return Double.NaN;
        }
        String u = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
        return switch (u) {
            case "s" -> value * 1e6;
            case "ms" -> value * 1e3;
            case "us", "µs" -> value;
            case "ns" -> value / 1e3;
            default -> Double.NaN;
        };
    }

    /** Operations per second from "ops/s", "ops/ms", "ops/us", "ops/ns" (and "ops/min"). */
    public static double toPerSecond(double value, String unit) {
        if (unit == null || !unit.startsWith("ops/")) {
            return Double.NaN;
        }
        return switch (unit.substring(4)) {
            case "s" -> value;
            case "ms" -> value * 1e3;
            case "us", "µs" -> value * 1e6;
            case "ns" -> value * 1e9;
            case "min" -> value / 60;
            default -> Double.NaN;
        };
    }

    /** Whether a larger value of this unit is better (rates) rather than worse (times, counts). */
    public static boolean higherIsBetter(String unit) {
        return unit != null && unit.startsWith("ops/");
    }
}
