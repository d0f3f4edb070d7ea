package org.asyncio4j.benchmarks.report;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Ordinary least squares of log(y) on log(x) (commons-math3's {@link SimpleRegression}): y ≈ e^intercept ·
 * x^slope, with a two-sided 95% confidence interval on the slope from Student's t with n − 2 degrees of freedom. The slope is the
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

    /** Fits the points with x > 0 and y > 0; returns null with fewer than two such points or one distinct x. */
    public static LogLogFit fit(List<Point> data) {
        SimpleRegression regression = new SimpleRegression();
        Set<Double> xs = new HashSet<>();
        for (Point p : data) {
            if (p.x() > 0 && p.y() > 0 && Double.isFinite(p.x()) && Double.isFinite(p.y())) {
                regression.addData(Math.log(p.x()), Math.log(p.y()));
                xs.add(p.x());
            }
        }
        int n = (int) regression.getN();
        if (n < 2 || xs.size() < 2) {
            return null;
        }
        double slope = regression.getSlope();
        double intercept = regression.getIntercept();
        double r2 = regression.getTotalSumSquares() == 0 ? 1 : regression.getRSquare();
        if (n < 3) {
            return new LogLogFit(n, slope, intercept, Double.NaN, Double.NaN, Double.NaN, r2);
        }
        double stdErr = regression.getSlopeStdErr();
        double half = regression.getSlopeConfidenceInterval(1 - CONFIDENCE);
        return new LogLogFit(n, slope, intercept, stdErr, slope - half, slope + half, r2);
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
                ? String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", slope, ciLow, ciHigh)
                : String.format(Locale.ROOT, "%.2f (no CI: %d points)", slope, points);
    }
}
