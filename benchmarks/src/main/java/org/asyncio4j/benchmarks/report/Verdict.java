package org.asyncio4j.benchmarks.report;

/**
 * One stated outcome in the report: a target met or missed, a complexity verdict.
 *
 * @param name   what was checked ("Safe asyncio4j/C at n=100")
 * @param status the outcome
 * @param detail the figures behind it, plainly
 */
public record Verdict(String name, Status status, String detail) {

    /** Outcome of a check. */
    public enum Status {
        /** Met. */
        PASS,
        /** Missed. */
        FAIL,
        /** The confidence interval straddles the band's edge: neither met nor missed. */
        INCONCLUSIVE,
        /** Figures reported without a threshold. */
        INFO,
        /** Not evaluated: an input or a threshold was missing. */
        SKIPPED
    }

    /** PASS when {@code ok}, else FAIL. */
    public static Verdict of(String name, boolean ok, String detail) {
        return new Verdict(name, ok ? Status.PASS : Status.FAIL, detail);
    }

    /** A check whose interval straddles its band's edge. */
    public static Verdict inconclusive(String name, String detail) {
        return new Verdict(name, Status.INCONCLUSIVE, detail);
    }

    /** A check that could not be made, and why. */
    public static Verdict skipped(String name, String why) {
        return new Verdict(name, Status.SKIPPED, why);
    }

    /** Figures with no threshold. */
    public static Verdict info(String name, String detail) {
        return new Verdict(name, Status.INFO, detail);
    }

    /** Whether this is a failure. */
    public boolean failed() {
        return status == Status.FAIL;
    }

    /** "PASS  name: detail". */
    public String line() {
        return String.format("%-7s %s: %s", status, name, detail);
    }
}
