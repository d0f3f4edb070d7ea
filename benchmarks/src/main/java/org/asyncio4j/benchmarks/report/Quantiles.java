package org.asyncio4j.benchmarks.report;

/** The p10 / p50 / p90 of a distribution in microseconds (NaN when absent). */
public record Quantiles(double p10, double p50, double p90) {

    static Quantiles of(Object stats) {
        return new Quantiles(Json.number(stats, "p10"), Json.number(stats, "p50"), Json.number(stats, "p90"));
    }
}
