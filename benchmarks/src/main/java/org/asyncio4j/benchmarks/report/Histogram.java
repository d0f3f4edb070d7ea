package org.asyncio4j.benchmarks.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The samples of one JMH measurement iteration as (value, count) bins, as JMH writes them in
 * {@code rawDataHistogram}.
 */
public final class Histogram {

    private final double[] values;
    private final long[] counts;
    private final long total;

    /** Bins of {value, count}, in any order; bins with a count below one are ignored. */
    public Histogram(List<double[]> bins) {
        List<double[]> sorted = new ArrayList<>();
        for (double[] b : bins) {
            if (b.length == 2 && Double.isFinite(b[0]) && b[1] >= 1) {
                sorted.add(new double[] {b[0], Math.floor(b[1])});
            }
        }
        sorted.sort(Comparator.comparingDouble(b -> b[0]));
        values = new double[sorted.size()];
        counts = new long[sorted.size()];
        long n = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = sorted.get(i)[0];
            counts[i] = (long) sorted.get(i)[1];
            n += counts[i];
        }
        total = n;
    }

    /** The bins as {value, count}, sorted by value. */
    public List<double[]> bins() {
        List<double[]> list = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            list.add(new double[] {values[i], counts[i]});
        }
        return list;
    }

    /** The number of samples. */
    public long size() {
        return total;
    }

    /**
     * A percentile (0..100) the way JMH computes a sample-time row's (commons-math's default estimator: position
     * p(n+1)/100 in the sorted samples, interpolated linearly, clamped to the smallest and largest sample); NaN
     * when empty.
     */
    public double percentile(double p) {
        if (total == 0) {
            return Double.NaN;
        }
        double pos = p / 100 * (total + 1);
        if (pos < 1) {
            return value(1);
        }
        if (pos >= total) {
            return value(total);
        }
        long below = (long) Math.floor(pos);
        double lower = value(below);
        return lower + (pos - below) * (value(below + 1) - lower);
    }

    /** The k-th smallest sample, 1-based. */
    private double value(long k) {
        long seen = 0;
        for (int i = 0; i < values.length; i++) {
            seen += counts[i];
            if (seen >= k) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
