package org.asyncio4j.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The regression gate: shape checks within the run (cost at a large n over cost at a small n, per
 * watcher; asyncio4j over C at each n), and scores against the committed baseline, where a score is
 * flagged only when it moved the bad way by more than a percentage AND by more than the combined JMH
 * error of both runs.
 */
public final class RegressionGate {

    private final ReportInputs in;
    private final Thresholds th;
    private final Baseline baseline;

    /** A gate over one run. */
    public RegressionGate(ReportInputs in, Thresholds th, Baseline baseline) {
        this.in = in;
        this.th = th;
        this.baseline = baseline;
    }

    /** Every gate check. */
    public List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>();
        shape(out);
        javaOverC(out);
        againstBaseline(out);
        return out;
    }

    private void shape(List<Verdict> out) {
        int small = (int) th.get("gate.shape.small", 100);
        int large = (int) th.get("gate.shape.large", 4000);
        for (String w : BenchmarkNames.SIGCHLD_WATCHERS) {
            String name = "shape " + w + ": cost(n=" + large + ")/cost(n=" + small + ")";
            Optional<JmhResult> s = in.jmh().find(BenchmarkNames.SIGCHLD, w, small);
            Optional<JmhResult> l = in.jmh().find(BenchmarkNames.SIGCHLD, w, large);
            OptionalDouble max = th.get("gate.shape." + w + ".max");
            if (s.isEmpty() || l.isEmpty() || max.isEmpty()) {
                out.add(Verdict.skipped(name, s.isEmpty() || l.isEmpty() ? "not measured at both n" : "no threshold"));
                continue;
            }
            double ratio = l.get().primary().micros() / s.get().primary().micros();
            String reference = "";
            if (in.c() != null && (BenchmarkNames.SAFE.equals(w) || BenchmarkNames.FAST.equals(w))) {
                Optional<LimitPoint> cs = in.c().at(small);
                Optional<LimitPoint> cl = in.c().at(large);
                if (cs.isPresent() && cl.isPresent()) {
                    double c = BenchmarkNames.SAFE.equals(w) ? cl.get().safe().p50() / cs.get().safe().p50()
                            : cl.get().fast().p50() / cs.get().fast().p50();
                    reference = " (C: " + Fmt.ratio(c) + ")";
                }
            }
            out.add(Verdict.of(name, ratio <= max.getAsDouble(), Fmt.ratio(ratio) + " <= "
                    + Fmt.ratio(max.getAsDouble()) + "?" + reference));
        }
    }

    private void javaOverC(List<Verdict> out) {
        OptionalDouble max = th.get("gate.javaOverC.max");
        if (in.c() == null || max.isEmpty()) {
            out.add(Verdict.skipped("asyncio4j/C at each n", in.c() == null ? "no C limits" : "no threshold"));
            return;
        }
        for (String w : List.of(BenchmarkNames.SAFE, BenchmarkNames.FAST)) {
            for (JmhResult r : in.jmh().of(BenchmarkNames.SIGCHLD, w)) {
                Optional<LimitPoint> c = in.c().at(r.children());
                if (c.isEmpty()) {
                    continue;
                }
                double limit = BenchmarkNames.SAFE.equals(w) ? c.get().safe().p50() : c.get().fast().p50();
                double ratio = r.primary().micros() / limit;
                out.add(Verdict.of(w + " asyncio4j/C at n=" + r.children(), ratio <= max.getAsDouble(),
                        Fmt.sig(r.primary().micros()) + " us / " + Fmt.sig(limit) + " us = " + Fmt.ratio(ratio)
                                + " (max " + Fmt.ratio(max.getAsDouble()) + ")"));
            }
        }
    }

    private void againstBaseline(List<Verdict> out) {
        if (baseline.scores().isEmpty()) {
            out.add(Verdict.skipped("baseline", "baseline has no scores (write one with --write-baseline)"));
            return;
        }
        double percent = th.get("gate.baseline.percent", 15);
        int compared = 0;
        for (JmhResult r : in.jmh().all()) {
            Metric before = baseline.scores().get(r.key());
            if (before == null) {
                continue;
            }
            compared++;
            Change change = compare(before, r.primary(), percent);
            if (change.flagged()) {
                out.add(Verdict.of("baseline " + r.key(), false, change.describe()));
            } else if (change.improved()) {
                out.add(Verdict.info("baseline " + r.key(), change.describe() + " (improvement; consider a new baseline)"));
            }
        }
        for (Map.Entry<String, Metric> e : baseline.scores().entrySet()) {
            if (in.jmh().all().stream().noneMatch(r -> r.key().equals(e.getKey()))) {
                out.add(Verdict.info("baseline " + e.getKey(), "not in this run"));
            }
        }
        out.add(Verdict.info("baseline", compared + " scores compared, flagged when worse by more than "
                + Fmt.num(percent, 0) + "% and by more than the combined JMH error"));
    }

    /**
     * How a score moved against its baseline.
     *
     * @param percentChange signed change in percent of the baseline (positive = larger value)
     * @param difference    absolute difference in the score unit
     * @param combinedError sqrt(err_now² + err_baseline²)
     * @param worse         whether the move is in the bad direction for this unit
     * @param flagged       worse by more than the percentage AND the combined error
     * @param improved      better by more than the percentage AND the combined error
     */
    public record Change(double before, double now, String unit, double percentChange, double difference,
                         double combinedError, boolean worse, boolean flagged, boolean improved) {

        /** "42.0 -> 55.1 us/op (+31.2%, error ±3.4)". */
        public String describe() {
            return Fmt.sig(before) + " -> " + Fmt.sig(now) + " " + unit + " (" + (percentChange >= 0 ? "+" : "")
                    + Fmt.num(percentChange, 1) + "%, combined error ±" + Fmt.sig(combinedError) + ")";
        }
    }

    /** Compares a score with its baseline: both the percentage and the combined error must be exceeded. */
    public static Change compare(Metric before, Metric now, double percentThreshold) {
        double diff = now.score() - before.score();
        double pct = before.score() == 0 ? Double.POSITIVE_INFINITY : 100 * diff / Math.abs(before.score());
        double err = Math.hypot(before.errorOrZero(), now.errorOrZero());
        boolean significant = Math.abs(pct) > percentThreshold && Math.abs(diff) > err;
        boolean worse = Units.higherIsBetter(now.unit()) ? diff < 0 : diff > 0;
        return new Change(before.score(), now.score(), now.unit(), pct, diff, err, worse,
                significant && worse, significant && !worse);
    }
}
