package org.asyncio4j.benchmarks.gate;

/**
 * The exact null distribution of the Mann-Whitney U statistic for small samples, and the confidence interval
 * it gives the Hodges-Lehmann shift: with the m·n pairwise differences sorted, the interval from the k-th
 * smallest to the k-th largest covers the true shift with probability {@code 1 - 2 P(U <= k - 1)}
 * (Hollander and Wolfe, Nonparametric Statistical Methods, 3.2). commons-math3's MannWhitneyUTest gives
 * p-values only, from a normal approximation; the few forks of a gate need the exact counts.
 */
final class MannWhitney {

    private MannWhitney() {
    }

    /**
     * The largest k whose interval covers at least {@code confidence}, or 1 (the full range of differences)
     * when even that covers less.
     */
    static int ranksInside(int m, int n, double confidence) {
        double[] cdf = cdf(m, n);
        double tail = (1 - confidence) / 2;
        int k = 1;
        while (k < cdf.length && k <= m * n / 2 && cdf[k] <= tail) {   // cdf[k] = P(U <= k)
            k++;
        }
        return k;
    }

    /** The coverage of the interval from the k-th smallest to the k-th largest difference. */
    static double coverage(int m, int n, int k) {
        return 1 - 2 * cdf(m, n)[k - 1];
    }

    /** P(U <= u) for u = 0 .. m·n, U counting the (base, candidate) pairs in which the candidate is smaller. */
    static double[] cdf(int m, int n) {
        if (m < 1 || n < 1 || m > 200 || n > 200) {
            throw new IllegalArgumentException("m and n must be in [1, 200], got m=" + m + ", n=" + n);
        }
        // counts[i][u]: arrangements of i base and j candidate values with U = u, built up over j
        double[][] counts = new double[m + 1][];
        for (int i = 0; i <= m; i++) {
            counts[i] = new double[] {1};   // j = 0: U = 0 in exactly one way
        }
        for (int j = 1; j <= n; j++) {
            double[][] next = new double[m + 1][];
            next[0] = new double[] {1};
            for (int i = 1; i <= m; i++) {
                next[i] = new double[i * j + 1];
                // the largest of the i + j values is a candidate (adds i to U) or a base value (adds nothing)
                for (int u = 0; u < counts[i].length; u++) {
                    next[i][u + i] += counts[i][u];
                }
                for (int u = 0; u < next[i - 1].length; u++) {
                    next[i][u] += next[i - 1][u];
                }
            }
            counts = next;
        }
        double[] f = counts[m];
        double total = 0;
        for (double c : f) {
            total += c;
        }
        double[] cdf = new double[f.length];
        double running = 0;
        for (int u = 0; u < f.length; u++) {
            running += f[u];
            cdf[u] = running / total;
        }
        return cdf;
    }
}
