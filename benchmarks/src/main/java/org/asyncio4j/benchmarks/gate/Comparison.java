package org.asyncio4j.benchmarks.gate;

import java.util.List;
import java.util.Locale;
import java.util.ArrayList;
import java.util.Arrays;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * One figure judged: the ratio candidate/base of its cost (time per operation; for a throughput the
 * inverse, so that above 1 always means slower), with a confidence interval from the repeated forks, and
 * the verdict against the threshold.
 *
 * <p>A fork's score is its best iteration ({@link ForkScores#forkScores}). The ratio is the Hodges-Lehmann
 * estimate on the logarithms of the fork scores (the median of every candidate-minus-base difference), and
 * its interval the distribution-free one that goes with it, from the exact Mann-Whitney distribution
 * ({@link MannWhitney}): ranks, not means, so one fork caught in a burst of other work on the machine moves
 * the interval by one difference in each row instead of dragging a mean and inflating a variance; from
 * {@value #TRIM_FROM} forks up each side's worst fork is set aside ({@link #withoutWorst}). A
 * regression needs the whole interval above {@code 1 + threshold}; a pass needs the whole interval at or
 * below it; anything else is inconclusive, so noise that widens the interval never reads as a regression.
 *
 * @param key        the figure
 * @param unit       the unit of the scores
 * @param baseForks  forks measured on the base (before the worst is set aside)
 * @param candForks  forks measured on the candidate (before the worst is set aside)
 * @param baseMean   the base's geometric mean fork score
 * @param candMean   the candidate's geometric mean fork score
 * @param ratio      candidate cost over base cost (the Hodges-Lehmann point estimate)
 * @param low        the interval's lower end
 * @param high       the interval's upper end
 * @param verdict    pass, regression or inconclusive
 * @param reason     one sentence: why this verdict (and, when inconclusive, what would settle it)
 */
public record Comparison(String key, String unit, int baseForks, int candForks, double baseMean, double candMean,
                         double ratio, double low, double high, Verdict verdict, String reason) {

    /** The fewest forks per side the gate judges. */
    public static final int MIN_FORKS = 3;
    /** From this many forks per side, each side's worst fork is set aside ({@link #withoutWorst}). */
    public static final int TRIM_FROM = 5;

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
     * @param confidence the interval's confidence level (0.95); the interval covers at least this much when the
     *                   forks allow it (3 against 3 allow 90% at most, 4 against 4 allow 97%)
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
        double sign = cand.higherIsBetter() ? -1 : 1;  // cost = 1/throughput
        double[] b = logs(withoutWorst(base.scores(), cand.higherIsBetter()));
        double[] c = logs(withoutWorst(cand.scores(), cand.higherIsBetter()));
        int nb = base.scores().size();
        int nc = cand.scores().size();
        double baseMean = Math.exp(StatUtils.mean(b));
        double candMean = Math.exp(StatUtils.mean(c));
        double limit = Math.log1p(threshold);
        String pct = percent(threshold);
        double[] diffs = new double[b.length * c.length];
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < c.length; j++) {
                diffs[i * c.length + j] = sign * (c[j] - b[i]);
            }
        }
        Arrays.sort(diffs);
        double diff = new Median().evaluate(diffs);   // the Hodges-Lehmann shift
        double ratio = Math.exp(diff);
        if (nb < MIN_FORKS || nc < MIN_FORKS) {
            return new Comparison(cand.key(), cand.unit(), nb, nc, baseMean, candMean, ratio, Double.NaN, Double.NaN,
                    Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
                    "%d base and %d candidate forks: at least %d per side are needed (run with --forks %d or more)",
                    nb, nc, MIN_FORKS, MIN_FORKS));
        }
        int k = MannWhitney.ranksInside(b.length, c.length, confidence);
        double coverage = MannWhitney.coverage(b.length, c.length, k);
        double lowLog = diffs[k - 1];
        double highLog = diffs[diffs.length - k];
        double low = Math.exp(lowLog);
        double high = Math.exp(highLog);
        String interval = String.format(Locale.ROOT, "%.1f%% interval [%.3f, %.3f]", coverage * 100, low, high);
        Verdict verdict;
        String reason;
        if (lowLog > limit) {
            verdict = Verdict.REGRESSION;
            reason = String.format(Locale.ROOT, "%s slower (%s): the whole interval lies beyond +%s",
                    percentChange(ratio), interval, pct);
        } else if (highLog <= limit) {
            verdict = Verdict.PASS;
            reason = String.format(Locale.ROOT, "%s (%s): within +%s", percentChange(ratio), interval, pct);
        } else {
            verdict = Verdict.INCONCLUSIVE;
            if (diff < limit) {
                reason = String.format(Locale.ROOT, "%s (%s) straddles +%s: the forks disagree too much to tell; "
                        + "more forks (--forks %d) or a quieter machine would settle it", percentChange(ratio),
                        interval, pct, Math.max(nb, nc) + 2);
            } else {
                reason = String.format(Locale.ROOT, "%s slower (%s) but the interval reaches below +%s: "
                        + "possibly a real slowdown; rerun with more forks (--forks %d) to confirm",
                        percentChange(ratio), interval, pct, Math.max(nb, nc) + 2);
            }
        }
        return new Comparison(cand.key(), cand.unit(), nb, nc, baseMean, candMean, ratio, low, high, verdict, reason);
    }

    /**
     * From {@value #TRIM_FROM} forks up, a side's worst fork is set aside: other work on a shared machine only
     * ever slows a fork, and a whole fork caught in a burst of it would otherwise decide the interval. Both
     * sides are treated alike, so unchanged code stays unchanged.
     */
    static List<Double> withoutWorst(List<Double> scores, boolean higherIsBetter) {
        if (scores.size() < TRIM_FROM) {
            return scores;
        }
        List<Double> sorted = new ArrayList<>(scores);
        sorted.sort(null);
        return higherIsBetter ? sorted.subList(1, sorted.size()) : sorted.subList(0, sorted.size() - 1);
    }

    private static double[] logs(List<Double> scores) {
        double[] logs = new double[scores.size()];
        for (int i = 0; i < logs.length; i++) {
            double v = scores.get(i);
            if (!(v > 0)) {
                throw new IllegalArgumentException("a fork score must be positive, got " + v);
            }
            logs[i] = Math.log(v);
        }
        return logs;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    private static String percentChange(double ratio) {
        return String.format(Locale.ROOT, "%+.1f%%", (ratio - 1) * 100);
    }
}
