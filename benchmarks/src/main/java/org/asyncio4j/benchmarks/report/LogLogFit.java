package org.asyncio4j.benchmarks.report;

import java.util.List;

/**
 * Ordinary least squares of log(y) on log(x): y ≈ e^intercept · x^slope, with a two-sided 95%
 * confidence interval on the slope from Student's t with n − 2 degrees of freedom. The slope is the
 * empirical complexity exponent: 1 for O(n), 0 for O(1).
 *
 * @param points      number of points used (those with x > 0 and y > 0)
 * @param slope       fitted exponent
 * @param intercept   fitted log-scale intercept
 * @param slopeStdErr standard error of the slope (NaN with fewer than 3 points)
 * @param ciLow       lower end of the 95% interval (NaN with fewer than 3 points)
 * @param ciHigh      upper end of the 95% interval
 * @param rSquared    coefficient of determination in log-log space
 */
public record LogLogFit(int points, double slope, double intercept, double slopeStdErr, double ciLow,
                        double ciHigh, double rSquared) {

    /** Confidence of the interval. */
    public static final double CONFIDENCE = 0.95;

    /** One (x, y) observation. */
    public record Point(double x, double y) {
    }

    /** Fits the points with x > 0 and y > 0; returns null with fewer than two such points. */
    public static LogLogFit fit(List<Point> data) {
        double[] lx = new double[data.size()];
        double[] ly = new double[data.size()];
        int n = 0;
        for (Point p : data) {
            if (p.x() > 0 && p.y() > 0 && Double.isFinite(p.x()) && Double.isFinite(p.y())) {
                lx[n] = Math.log(p.x());
                ly[n] = Math.log(p.y());
                n++;
            }
        }
        if (n < 2) {
            return null;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += lx[i];
            my += ly[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (lx[i] - mx) * (lx[i] - mx);
            sxy += (lx[i] - mx) * (ly[i] - my);
            syy += (ly[i] - my) * (ly[i] - my);
        }
        if (sxx == 0) {
            return null;
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = ly[i] - (intercept + slope * lx[i]);
            sse += r * r;
        }
        double r2 = syy == 0 ? 1 : 1 - sse / syy;
        if (n < 3) {
            return new LogLogFit(n, slope, intercept, Double.NaN, Double.NaN, Double.NaN, r2);
        }
        double stdErr = Math.sqrt(sse / (n - 2) / sxx);
        double t = StudentT.critical(CONFIDENCE, n - 2);
        return new LogLogFit(n, slope, intercept, stdErr, slope - t * stdErr, slope + t * stdErr, r2);
    }

    /** The fitted y at x. */
    public double predict(double x) {
        return Math.exp(intercept + slope * Math.log(x));
    }

    /** Whether the 95% interval was computed. */
    public boolean hasInterval() {
        return Double.isFinite(ciLow) && Double.isFinite(ciHigh);
    }

    /** "0.98 [0.91, 1.05]". */
    public String describe() {
        return hasInterval()
                ? String.format(java.util.Locale.ROOT, "%.2f [%.2f, %.2f]", slope, ciLow, ciHigh)
                : String.format(java.util.Locale.ROOT, "%.2f (no CI: %d points)", slope, points);
    }
}
