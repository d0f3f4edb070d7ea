package org.asyncio4j.benchmarks.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Builds the report's three charts: cost per SIGCHLD vs n, exit-latency distributions, drain time vs n. */
public final class Charts {

    private static final double[] PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100};

    private Charts() {
    }

    /** Cost per SIGCHLD vs n, log-log: one line per watcher, the C limits and CPython dashed; slopes in the legend. */
    public static LineChart sigchld(ReportInputs in, ComplexityAnalysis fits) {
        LineChart chart = new LineChart("Cost of one SIGCHLD vs registered children", "n registered children",
                "microseconds per SIGCHLD", true, true);
        int colour = 0;
        for (String w : BenchmarkNames.SIGCHLD_WATCHERS) {
            List<LogLogFit.Point> pts = new ArrayList<>();
            for (JmhResult r : in.jmh().of(BenchmarkNames.SIGCHLD, w)) {
                pts.add(new LogLogFit.Point(r.children(), r.primary().micros()));
            }
            WatcherFit f = fits.javaFits().get(w);
            chart.add(new Series("asyncio4j " + w + slope(f), pts, LineChart.PALETTE.get(colour++), false, true));
        }
        Map<String, WatcherFit> refs = fits.referenceFits();
        if (in.c() != null) {
            chart.add(reference("C Safe scan", in.c().points(), p -> p.safe().p50(), refs, LineChart.PALETTE.get(4)));
            chart.add(reference("C Fast reap", in.c().points(), p -> p.fast().p50(), refs, LineChart.PALETTE.get(5)));
            chart.add(reference("C idle waitpid(-1)", in.c().points(), p -> p.idleWaitpid().p50(), refs,
                    LineChart.PALETTE.get(7)));
        }
        if (in.cpython() != null) {
            chart.add(reference("CPython Safe", in.cpython().points(), p -> p.safe().p50(), refs, LineChart.PALETTE.get(8)));
            chart.add(reference("CPython Fast", in.cpython().points(), p -> p.fast().p50(), refs, LineChart.PALETTE.get(9)));
        }
        return chart;
    }

    private static Series reference(String label, List<LimitPoint> points, ToDoubleFunction<LimitPoint> value,
                                    Map<String, WatcherFit> refs, Color color) {
        List<LogLogFit.Point> pts = new ArrayList<>();
        for (LimitPoint p : points) {
            pts.add(new LogLogFit.Point(p.n(), value.applyAsDouble(p)));
        }
        return new Series(label + slope(refs.get(label)), pts, color, true, true);
    }

    private static String slope(WatcherFit f) {
        return f == null || f.time() == null ? "" : " (slope " + Fmt.num(f.time().slope(), 2) + ")";
    }

    /** Exit latency as a distribution: latency (log) on x, percentile on y, per watcher and n; CPython p50/p99 as dots. */
    public static LineChart exitLatency(ReportInputs in) {
        LineChart chart = new LineChart("kill -> callback latency (distribution)", "microseconds (log)",
                "percentile", true, false);
        int colour = 0;
        for (String w : BenchmarkNames.EXIT_LATENCY_WATCHERS) {
            for (JmhResult r : in.jmh().of(BenchmarkNames.EXIT_LATENCY, w)) {
                List<LogLogFit.Point> pts = new ArrayList<>();
                for (double p : PERCENTILES) {
                    double v = r.percentileMicros(p);
                    if (Double.isFinite(v)) {
                        pts.add(new LogLogFit.Point(v, p));
                    }
                }
                chart.add(new Series(w + " n=" + r.children() + " p50 " + Fmt.sig(r.percentileMicros(50)) + " us", pts,
                        LineChart.PALETTE.get(colour++ % LineChart.PALETTE.size()), false, true));
            }
        }
        if (in.cpython() != null) {
            for (CPythonResults.ExitLatency l : in.cpython().exitLatency()) {
                chart.add(new Series("CPython " + l.watcher() + " n=" + l.n() + " p50/p99",
                        List.of(new LogLogFit.Point(l.p50(), 50), new LogLogFit.Point(l.p99(), 99)),
                        LineChart.PALETTE.get(colour++ % LineChart.PALETTE.size()), true, true));
            }
        }
        return chart;
    }

    /** Drain time (n children exit together, until every callback ran) vs n, log-log, per watcher. */
    public static LineChart drain(ReportInputs in) {
        LineChart chart = new LineChart("Drain: n children exit together, until every callback ran", "n children",
                "milliseconds", true, true);
        int colour = 0;
        for (String w : BenchmarkNames.EXIT_LATENCY_WATCHERS) {
            List<LogLogFit.Point> pts = new ArrayList<>();
            for (JmhResult r : in.jmh().of(BenchmarkNames.DRAIN, w)) {
                pts.add(new LogLogFit.Point(r.children(), r.primary().micros() / 1000));
            }
            LogLogFit fit = LogLogFit.fit(pts);
            chart.add(new Series(w + (fit == null ? "" : " (slope " + Fmt.num(fit.slope(), 2) + ")"), pts,
                    LineChart.PALETTE.get(colour++), false, true));
        }
        return chart;
    }
}
