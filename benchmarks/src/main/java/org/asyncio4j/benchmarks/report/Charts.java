package org.asyncio4j.benchmarks.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds the report's charts: cost per SIGCHLD vs n, exit-latency distributions (one chart per watcher),
 * drain time vs n. Every measured series carries error bars: JMH's 99.9% error, or p10-p90 for C and CPython;
 * an exit-latency curve carries a band, the range of each percentile across JMH's measurement iterations.
 */
public final class Charts {

    private static final double[] PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100};

    private Charts() {
    }

    /** Cost per SIGCHLD vs n, log-log: one line per watcher, the C limits and CPython dashed; slopes in the legend. */
    public static LineChart sigchld(ReportInputs in, ComplexityAnalysis fits) {
        LineChart chart = new LineChart("Cost of one SIGCHLD vs registered children", "n registered children",
                "microseconds per SIGCHLD (JMH ± 99.9% error)", true, true);
        int colour = 0;
        for (String w : BenchmarkNames.SIGCHLD_WATCHERS) {
            List<JmhResult> rows = in.jmh().of(BenchmarkNames.SIGCHLD, w);
            WatcherFit f = fits.javaFits().get(w);
            chart.add(new Series("asyncio4j " + w + slope(f, fits.minN(), rows.stream().mapToInt(JmhResult::children)
                    .max().orElse(0)), points(rows, 1), LineChart.PALETTE.get(colour++), false, true, errors(rows, 1)));
        }
        Map<String, WatcherFit> refs = fits.referenceFits();
        if (in.c() != null) {
            chart.add(reference("C Safe scan", in.c().points(), LimitPoint::safe, refs, fits.minN(), LineChart.PALETTE.get(4)));
            chart.add(reference("C Fast reap", in.c().points(), LimitPoint::fast, refs, fits.minN(), LineChart.PALETTE.get(5)));
            chart.add(reference("C idle waitpid(-1)", in.c().points(), LimitPoint::idleWaitpid, refs, fits.minN(),
                    LineChart.PALETTE.get(7)));
        }
        if (in.cpython() != null) {
            chart.add(reference("CPython Safe", in.cpython().points(), LimitPoint::safe, refs, fits.minN(),
                    LineChart.PALETTE.get(8)));
            chart.add(reference("CPython Fast", in.cpython().points(), LimitPoint::fast, refs, fits.minN(),
                    LineChart.PALETTE.get(9)));
        }
        return chart;
    }

    /** C and CPython: the median, with a bar from p10 to p90. */
    private static Series reference(String label, List<LimitPoint> points, Function<LimitPoint, Quantiles> value,
                                    Map<String, WatcherFit> refs, int minN, Color color) {
        List<LogLogFit.Point> pts = new ArrayList<>();
        List<Series.ErrorBar> bars = new ArrayList<>();
        for (LimitPoint p : points) {
            Quantiles q = value.apply(p);
            pts.add(new LogLogFit.Point(p.n(), q.p50()));
            bars.add(new Series.ErrorBar(q.p10(), q.p90()));
        }
        int maxN = points.stream().mapToInt(LimitPoint::n).max().orElse(0);
        return new Series(label + slope(refs.get(label), minN, maxN) + ", p10-p90", pts, color, true, true, bars);
    }

    /** JMH rows as (n, score / divisor). */
    private static List<LogLogFit.Point> points(List<JmhResult> rows, double divisor) {
        List<LogLogFit.Point> pts = new ArrayList<>();
        for (JmhResult r : rows) {
            pts.add(new LogLogFit.Point(r.children(), r.primary().micros() / divisor));
        }
        return pts;
    }

    /** JMH rows' 99.9% error bars, score ± error, over divisor (none when JMH gave no error). */
    private static List<Series.ErrorBar> errors(List<JmhResult> rows, double divisor) {
        List<Series.ErrorBar> bars = new ArrayList<>();
        for (JmhResult r : rows) {
            double score = r.primary().micros() / divisor;
            double error = r.primary().errorMicros() / divisor;
            bars.add(Double.isFinite(error) ? new Series.ErrorBar(score - error, score + error)
                    : new Series.ErrorBar(score, score));
        }
        return bars;
    }

    /** " (slope 0.98 over n=10..4000)": the fitted exponent and the range it was fitted over. */
    private static String slope(WatcherFit f, int minN, int maxN) {
        return f == null || f.time() == null ? "" : " (slope " + Fmt.num(f.time().slope(), 2) + " over n="
                + minN + ".." + maxN + ")";
    }

    /**
     * Exit latency as distributions, one chart per watcher (small multiples, so that no two series in a chart
     * share a colour): latency (log) on x, percentile on y, one curve per n; CPython's p50 and p99 for the same
     * watcher as dashed markers. A curve is all the samples of one cell pooled; its shaded band spans, at each
     * percentile, the lowest to the highest value of that percentile among the cell's measurement iterations
     * (from JMH's per-iteration histograms). A cell with a single iteration gets no band, and its legend says so.
     */
    public static Map<String, LineChart> exitLatency(ReportInputs in) {
        Map<String, LineChart> charts = new LinkedHashMap<>();
        for (String w : BenchmarkNames.EXIT_LATENCY_WATCHERS) {
            LineChart chart = new LineChart("kill -> callback latency, " + w + " (distribution per n)",
                    "microseconds", "percentile", true, false);
            int colour = 0;
            Set<Integer> iterationCounts = new TreeSet<>();
            boolean unbanded = false;
            for (JmhResult r : in.jmh().of(BenchmarkNames.EXIT_LATENCY, w)) {
                List<LogLogFit.Point> pts = new ArrayList<>();
                List<Series.ErrorBar> bands = new ArrayList<>();
                for (double p : PERCENTILES) {
                    double v = r.percentileMicros(p);
                    if (Double.isFinite(v)) {
                        pts.add(new LogLogFit.Point(v, p));
                        bands.add(r.percentileRangeMicros(p));
                    }
                }
                boolean banded = !bands.isEmpty() && bands.stream().allMatch(Objects::nonNull);
                String label = "n=" + r.children() + " p50 " + Fmt.sig(r.percentileMicros(50)) + " us";
                if (banded) {
                    iterationCounts.add(r.iterations().size());
                } else {
                    unbanded = true;
                    label += r.iterations().size() == 1 ? " (1 iteration: no band)" : " (no per-iteration data: no band)";
                }
                chart.add(new Series(label, pts, LineChart.PALETTE.get(colour++ % LineChart.PALETTE.size()), false,
                        true, List.of(), banded ? bands : List.of()));
            }
            if (!iterationCounts.isEmpty()) {
                chart.note(bandNote(iterationCounts));
            } else if (unbanded) {
                chart.note("No bands: no curve has more than one measurement iteration, so there is no spread "
                        + "between iterations to show.");
            }
            boolean cpython = false;
            if (in.cpython() != null) {
                for (CPythonResults.ExitLatency l : in.cpython().exitLatency()) {
                    if (l.watcher().equals(w)) {
                        chart.add(new Series("CPython n=" + l.n() + " p50/p99 (no band)",
                                List.of(new LogLogFit.Point(l.p50(), 50), new LogLogFit.Point(l.p99(), 99)),
                                LineChart.PALETTE.get(colour++ % LineChart.PALETTE.size()), true, true));
                        cpython = true;
                    }
                }
            }
            if (cpython) {
                chart.note("CPython: one set of samples per n, so there is no spread to show.");
            }
            charts.put(w, chart);
        }
        return charts;
    }

    /** The caption that says what an exit-latency band is, with the number of iterations behind it. */
    static String bandNote(Set<Integer> iterationCounts) {
        String count = iterationCounts.size() == 1 ? iterationCounts.iterator().next() + " "
                : Fmt.num(iterationCounts.stream().mapToInt(Integer::intValue).min().orElse(0), 0) + "-"
                + Fmt.num(iterationCounts.stream().mapToInt(Integer::intValue).max().orElse(0), 0) + " ";
        return "Band: at each percentile, the lowest to highest value of that percentile among the curve's "
                + count + "JMH measurement iterations (the curve pools all their samples). It shows the spread "
                + "within one run, not between runs.";
    }

    /** Drain time (n children exit together, until every callback ran) vs n, log-log, per watcher. */
    public static LineChart drain(ReportInputs in) {
        LineChart chart = new LineChart("Drain: n children exit together, until every callback ran", "n children",
                "milliseconds", true, true);
        int colour = 0;
        for (String w : BenchmarkNames.EXIT_LATENCY_WATCHERS) {
            List<JmhResult> rows = in.jmh().of(BenchmarkNames.DRAIN, w);
            List<LogLogFit.Point> pts = points(rows, 1000);
            LogLogFit fit = LogLogFit.fit(pts);
            String range = rows.isEmpty() ? "" : " over n=" + rows.get(0).children() + ".." + rows.get(rows.size() - 1).children();
            chart.add(new Series(w + (fit == null ? "" : " (slope " + Fmt.num(fit.slope(), 2) + range + ")"), pts,
                    LineChart.PALETTE.get(colour++), false, true, errors(rows, 1000)));
        }
        return chart;
    }
}
