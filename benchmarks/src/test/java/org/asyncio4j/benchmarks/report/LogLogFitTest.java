package org.asyncio4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogLogFitTest {

    private static final int[] NS = {1, 10, 100, 1000, 4000, 10000};

    private static List<LogLogFit.Point> powerLaw(double a, double slope, double noise, long seed) {
        Random r = new Random(seed);
        List<LogLogFit.Point> pts = new ArrayList<>();
        for (int n : NS) {
            pts.add(new LogLogFit.Point(n, a * Math.pow(n, slope) * Math.exp(noise * r.nextGaussian())));
        }
        return pts;
    }

    @Test
    void exactPowerLawsGiveTheirSlopeAndIntercept() {
        for (double slope : new double[] {0, 0.5, 1, 2}) {
            LogLogFit fit = LogLogFit.fit(powerLaw(3.5, slope, 0, 1));
            assertEquals(slope, fit.slope(), 1e-12);
            assertEquals(Math.log(3.5), fit.intercept(), 1e-12);
            assertEquals(1.0, fit.rSquared(), 1e-12);
            assertEquals(0, fit.ciHigh() - fit.ciLow(), 1e-6);   // SimpleRegression: sqrt of a rounding-level SSE
            assertEquals(3.5 * Math.pow(50, slope), fit.predict(50), 1e-9 * fit.predict(50));
        }
    }

    @Test
    void noisyPointsGiveAnIntervalThatContainsTheTruth() {
        int covered = 0;
        int trials = 400;
        for (int seed = 0; seed < trials; seed++) {
            LogLogFit fit = LogLogFit.fit(powerLaw(0.45, 1.0, 0.2, seed));
            assertTrue(fit.hasInterval());
            assertTrue(fit.ciLow() < fit.slope() && fit.slope() < fit.ciHigh());
            if (fit.ciLow() <= 1.0 && 1.0 <= fit.ciHigh()) {
                covered++;
            }
        }
        // a 95% interval: coverage near 95%, well above chance (binomial sd ~1.1% at 400 trials)
        assertTrue(covered >= 0.91 * trials && covered <= 0.99 * trials, "coverage " + covered + "/" + trials);
    }

    @Test
    void flatSeriesHasSlopeNearZeroInsideItsInterval() {
        LogLogFit fit = LogLogFit.fit(powerLaw(0.55, 0.0, 0.05, 7));
        assertTrue(Math.abs(fit.slope()) < 0.05, fit.describe());
        assertTrue(fit.ciLow() <= 0 && 0 <= fit.ciHigh(), fit.describe());
    }

    @Test
    void knownDataGivesTheTextbookInterval() {
        // log-log points chosen so that log y = 1 + 0.9 log x + e with e = (+0.1, -0.1, 0, +0.1, -0.1)
        double[] lx = {0, 1, 2, 3, 4};
        double[] e = {0.1, -0.1, 0, 0.1, -0.1};
        List<LogLogFit.Point> pts = new ArrayList<>();
        for (int i = 0; i < lx.length; i++) {
            pts.add(new LogLogFit.Point(Math.exp(lx[i]), Math.exp(1 + 0.9 * lx[i] + e[i])));
        }
        LogLogFit fit = LogLogFit.fit(pts);
        // by hand: Sxx = 10, Sxy = 9 + sum(dx*e) = 9 - 0.2 -> slope 0.88, intercept 2.8 - 0.88*2 = 1.04;
        // residuals e + 0.02 dx = (0.06, -0.12, 0, 0.12, -0.06) -> SSE 0.036; s.e. sqrt(0.036/3/10); t(0.975, 3) = 3.1824
        assertEquals(0.88, fit.slope(), 1e-12);
        assertEquals(1.04, fit.intercept(), 1e-12);
        assertEquals(Math.sqrt(0.036 / 3 / 10), fit.slopeStdErr(), 1e-12);
        assertEquals(0.88 + 3.182446305 * fit.slopeStdErr(), fit.ciHigh(), 1e-8);
        assertEquals(0.88 - 3.182446305 * fit.slopeStdErr(), fit.ciLow(), 1e-8);
    }

    @Test
    void tooFewUsablePointsGiveNoFitOrNoInterval() {
        assertNull(LogLogFit.fit(List.of(new LogLogFit.Point(10, 1))));
        assertNull(LogLogFit.fit(List.of(new LogLogFit.Point(10, 1), new LogLogFit.Point(100, 0))));
        LogLogFit two = LogLogFit.fit(List.of(new LogLogFit.Point(10, 1), new LogLogFit.Point(100, 10)));
        assertEquals(1.0, two.slope(), 1e-12);
        assertTrue(!two.hasInterval());
    }
}
