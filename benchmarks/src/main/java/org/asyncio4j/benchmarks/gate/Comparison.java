package org.asyncio4j.benchmarks.gate;

import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * One figure judged: the ratio candidate/base of its cost (time per operation; for a throughput the
 * inverse, so that above 1 always means slower), with a confidence interval from the repeated forks, and
 * the verdict against the threshold.
 *
 * <p>A fork's score is its best iteration ({@link ForkScores#forkScores}). The interval is Welch's t
 * interval on the logarithms of the fork scores (forks are independent JVMs;
 * the logarithm makes the ratio a difference and its interval symmetric in relative terms), with the
 * Welch-Satterthwaite degrees of freedom and commons-math3's t distribution. A regression needs the whole
 * interval above {@code 1 + threshold}; a pass needs the whole interval at or below it; anything else is
 * inconclusive, so noise that widens the interval never reads as a regression.
 *
 * @param key        the figure
 * @param unit       the unit of the scores
 * @param baseForks  forks measured on the base
 * @param candForks  forks measured on the candidate
 * @param baseMean   the base's geometric mean score
 * @param candMean   the candidate's geometric mean score
 * @param ratio      candidate cost over base cost (the point estimate)
 * @param low        the interval's lower end
 * @param high       the interval's upper end
 * @param verdict    pass, regression or inconclusive
 * @param reason     one sentence: why this verdict (and, when inconclusive, what would settle it)
 */
public record Comparison(String key, String unit, int baseForks, int candForks, double baseMean, double candMean,
                         double ratio, double low, double high, Verdict verdict, String reason) {

    /** The fewest forks per side the gate judges. */
    public static final int MIN_FORKS = 3;

    /** The three verdicts, with the exit status each gives the whole gate. */
    public enum Verdict {
        PASS(0), REGRESSION(1), INCONCLUSIVE(3);

        private final int exitStatus;

        Verdict(int exitStatus) {
            this.exitStatus = exitStatus;
        }

        /** The exit status of a gate whose overall verdict is this. */
        public int exitStatus() {
            return exitStatus;
        }

        /** The overall verdict: any regression, else any inconclusive figure, else pass. */
        public static Verdict overall(List<Comparison> comparisons) {
            if (comparisons.stream().anyMatch(c -> c.verdict == REGRESSION)) {
                return REGRESSION;
            }
            if (comparisons.isEmpty() || comparisons.stream().anyMatch(c -> c.verdict == INCONCLUSIVE)) {
                return INCONCLUSIVE;
            }
            return PASS;
        }
    }

    /**
     * Compares one figure.
     *
     * @param threshold  the relative slowdown that counts as a regression (0.10 is 10%)
     * @param confidence the interval's confidence level (0.95)
     */
    public static Comparison of(ForkScores.Figure base, ForkScores.Figure cand, double threshold, double confidence) {
        if (!(threshold > 0 && threshold < 10)) {
            throw new IllegalArgumentException("threshold must be in (0, 10), got " + threshold);
        }
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0.5, 1), got " + confidence);
        }
        if (!base.unit().equals(cand.unit()) || !base.mode().equals(cand.mode())) {
            throw new IllegalArgumentException(cand.key() + ": the base is " + base.mode() + " in " + base.unit()
                    + ", the candidate " + cand.mode() + " in " + cand.unit());
        }
        SummaryStatistics b = logs(base.scores());
        SummaryStatistics c = logs(cand.scores());
        double sign = cand.higherIsBetter() ? -1 : 1;  // cost = 1/throughput
        double diff = sign * (c.getMean() - b.getMean());
        double ratio = Math.exp(diff);
        int nb = (int) b.getN();
        int nc = (int) c.getN();
        double baseMean = Math.exp(b.getMean());
        double candMean = Math.exp(c.getMean());
        double limit = Math.log1p(threshold);
        String pct = percent(threshold);
        if (nb < MIN_FORKS || nc < MIN_FORKS) {
            return new Comparison(cand.key(), cand.unit(), nb, nc, baseMean, candMean, ratio, Double.NaN, Double.NaN,
                    Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
                    "%d base and %d candidate forks: at least %d per side are needed (run with --forks %d or more)",
                    nb, nc, MIN_FORKS, MIN_FORKS));
        }
        double vb = b.getVariance() / nb;
        double vc = c.getVariance() / nc;
        double se = Math.sqrt(vb + vc);
        double half = 0;
        if (se > 0) {
            double df = (vb + vc) * (vb + vc)
                    / (vb * vb / (nb - 1) + vc * vc / (nc - 1));
            half = new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - confidence) / 2) * se;
        }
        double low = Math.exp(diff - half);
        double high = Math.exp(diff + half);
        String interval = String.format(Locale.ROOT, "%.0f%% interval [%.3f, %.3f]", confidence * 100, low, high);
        Verdict verdict;
        String reason;
        if (diff - half > limit) {
            verdict = Verdict.REGRESSION;
            reason = String.format(Locale.ROOT, "%s slower (%s): the whole interval lies beyond +%s",
                    percentChange(ratio), interval, pct);
        } else if (diff + half <= limit) {
            verdict = Verdict.PASS;
            reason = String.format(Locale.ROOT, "%s (%s): within +%s", percentChange(ratio), interval, pct);
        } else {
            verdict = Verdict.INCONCLUSIVE;
            if (diff < limit) {
                int forks = (int) Math.ceil(Math.max(nb, nc) * Math.pow(half / (limit - diff), 2));
                reason = String.format(Locale.ROOT, "%s (%s) straddles +%s: the forks disagree by ±%s; "
                        + "about %d forks per side would settle it", percentChange(ratio), interval, pct,
                        percent(Math.expm1(half)), Math.max(forks, nb + 1));
            } else {
                reason = String.format(Locale.ROOT, "%s slower (%s) but the interval reaches below +%s: "
                        + "possibly a real slowdown; rerun with more forks to confirm", percentChange(ratio),
                        interval, pct);
            }
        }
        return new Comparison(cand.key(), cand.unit(), nb, nc, baseMean, candMean, ratio, low, high, verdict, reason);
    }

    private static SummaryStatistics logs(List<Double> scores) {
        SummaryStatistics s = new SummaryStatistics();
        for (double v : scores) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("a fork score must be positive, got " + v);
            }
            s.addValue(Math.log(v));
        }
        return s;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    private static String percentChange(double ratio) {
        return String.format(Locale.ROOT, "%+.1f%%", (ratio - 1) * 100);
    }
}
