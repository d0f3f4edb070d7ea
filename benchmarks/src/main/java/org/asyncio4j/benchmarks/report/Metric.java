package org.asyncio4j.benchmarks.report;

/**
 * One JMH metric: its score, the half-width of its 99.9% confidence interval (NaN when JMH
 * could not compute one) and its unit as JMH prints it ("us/op", "ops/s", "#/op", ...).
 */
public record Metric(double score, double error, String unit) {

    /** The error, or 0 when JMH reported none. */
    public double errorOrZero() {
        return Double.isFinite(error) ? error : 0;
    }

    /** The score in microseconds per operation (time units), NaN when the unit is not a time. */
    public double micros() {
        return Units.toMicros(score, unit);
    }

    /** The error in microseconds per operation. */
    public double errorMicros() {
        return Units.toMicros(errorOrZero(), unit);
    }

    /** The score in operations per second (throughput units), NaN when the unit is not a rate. */
    public double perSecond() {
        return Units.toPerSecond(score, unit);
    }
}
