package org.asyncio4j.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The complexity verdict: an OLS fit of log(cost) on log(n) per watcher, separately for time and for
 * system calls per SIGCHLD, each compared with the slope band of the thresholds.
 */
public final class ComplexityAnalysis {

    private static final String FAST_TIME_NOTE = "reported, not judged: Fast makes O(1) waitpid calls per exit, "
            + "but Linux's waitpid(-1) walks the caller's whole list of children in the kernel, so its time "
            + "grows with n with a small constant";

    private final Map<String, WatcherFit> javaFits = new LinkedHashMap<>();
    private final Map<String, WatcherFit> referenceFits = new LinkedHashMap<>();

    private final int minN;

    /**
     * Fits every watcher of SigchldBenchmark, and the C and CPython series as references, over the points with
     * n >= {@code slope.fit.minN} (default 10): at n=1 the fixed cost of a pass hides the growth, and would pull
     * an O(n) slope well below 1 even for the C limit.
     */
    public ComplexityAnalysis(ReportInputs in, Thresholds th) {
        minN = (int) th.get("slope.fit.minN", 10);
        for (String w : BenchmarkNames.SIGCHLD_WATCHERS) {
            List<JmhResult> rows = in.jmh().of(BenchmarkNames.SIGCHLD, w);
            if (rows.isEmpty()) {
                continue;
            }
            List<LogLogFit.Point> time = new ArrayList<>();
            List<LogLogFit.Point> calls = new ArrayList<>();
            for (JmhResult r : rows) {
                if (r.children() < minN) {
                    continue;
                }
                time.add(new LogLogFit.Point(r.children(), r.primary().micros()));
                Metric aux = r.secondary().get(BenchmarkNames.AUX_WAITPID_CALLS);
                if (aux != null) {
                    calls.add(new LogLogFit.Point(r.children(), aux.score()));
                }
            }
            javaFits.put(w, new WatcherFit(w, LogLogFit.fit(time), LogLogFit.fit(calls)));
        }
        if (in.c() != null) {
            addReference("C Safe scan", in.c().points(), p -> p.safe().p50(), p -> p.safeWaitpidCalls());
            addReference("C Fast reap", in.c().points(), p -> p.fast().p50(), p -> p.fastWaitpidCalls());
            addReference("C idle waitpid(-1)", in.c().points(), p -> p.idleWaitpid().p50(), p -> 1);
        }
        if (in.cpython() != null) {
            addReference("CPython Safe", in.cpython().points(), p -> p.safe().p50(), p -> p.safeWaitpidCalls());
            addReference("CPython Fast", in.cpython().points(), p -> p.fast().p50(), p -> p.fastWaitpidCalls());
        }
    }

    private void addReference(String label, List<LimitPoint> points, ToDoubleFunction<LimitPoint> time,
                              ToDoubleFunction<LimitPoint> calls) {
        List<LogLogFit.Point> t = new ArrayList<>();
        List<LogLogFit.Point> c = new ArrayList<>();
        for (LimitPoint p : points) {
            if (p.n() < minN) {
                continue;
            }
            t.add(new LogLogFit.Point(p.n(), time.applyAsDouble(p)));
            c.add(new LogLogFit.Point(p.n(), calls.applyAsDouble(p)));
        }
        referenceFits.put(label, new WatcherFit(label, LogLogFit.fit(t), LogLogFit.fit(c)));
    }

    /** The smallest n included in the fits. */
    public int minN() {
        return minN;
    }

    /** Fits of asyncio4j's watchers by watcher name. */
    public Map<String, WatcherFit> javaFits() {
        return javaFits;
    }

    /** Fits of the C and CPython series by label. */
    public Map<String, WatcherFit> referenceFits() {
        return referenceFits;
    }

    /**
     * A verdict for every watcher and measure that has a threshold band: met only when the slope's whole 95%
     * interval lies inside the band, missed when it lies wholly outside, inconclusive when it straddles an edge.
     */
    public List<Verdict> verdicts(Thresholds th) {
        List<Verdict> out = new ArrayList<>();
        if (javaFits.isEmpty()) {
            out.add(Verdict.skipped("complexity", "no SigchldBenchmark results"));
        }
        for (WatcherFit f : javaFits.values()) {
            out.add(verdict(f.label(), "time", f.time(), th));
            out.add(verdict(f.label(), "syscalls", f.syscalls(), th));
        }
        return out;
    }

    private static Verdict verdict(String watcher, String measure, LogLogFit fit, Thresholds th) {
        String name = "slope of " + measure + " per SIGCHLD vs n, " + watcher;
        if (fit == null) {
            return Verdict.skipped(name, "fewer than two points with a positive value"
                    + ("syscalls".equals(measure) ? " (no " + BenchmarkNames.AUX_WAITPID_CALLS + " counter?)" : ""));
        }
        OptionalDouble min = th.get("slope." + watcher + "." + measure + ".min");
        OptionalDouble max = th.get("slope." + watcher + "." + measure + ".max");
        String detail = "slope " + fit.describe() + ", R² " + Fmt.num(fit.rSquared(), 3);
        if (min.isEmpty() || max.isEmpty()) {
            String why = BenchmarkNames.FAST.equals(watcher) && "time".equals(measure) ? FAST_TIME_NOTE : "no threshold";
            return Verdict.info(name, detail + "; " + why);
        }
        double lo = min.getAsDouble();
        double hi = max.getAsDouble();
        String band = detail + " vs band [" + Fmt.num(lo, 2) + ", " + Fmt.num(hi, 2) + "]";
        if (!fit.hasInterval()) {
            return Verdict.inconclusive(name, band + "; no confidence interval (fewer than 3 points)");
        }
        if (fit.ciLow() >= lo && fit.ciHigh() <= hi) {
            return Verdict.of(name, true, band + "; the whole 95% interval inside the band");
        }
        if (fit.ciHigh() < lo || fit.ciLow() > hi) {
            return Verdict.of(name, false, band + "; the whole 95% interval outside the band");
        }
        return Verdict.inconclusive(name, band + "; the 95% interval straddles the band's edge");
    }
}
