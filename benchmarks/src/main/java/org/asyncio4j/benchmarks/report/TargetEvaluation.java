package org.asyncio4j.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The project's performance targets, each stated as met or missed from the ratios of one run:
 * asyncio4j against the C limit, against CPython 3.11, and against itself across n.
 */
public final class TargetEvaluation {

    private final ReportInputs in;
    private final Thresholds th;

    /** Evaluates {@code in} against {@code th}. */
    public TargetEvaluation(ReportInputs in, Thresholds th) {
        this.in = in;
        this.th = th;
    }

    /** Every target verdict, in the order the summary lists them. */
    public List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>();
        javaOverC(out);
        syscallsPerExit(out);
        pidfdFlat(out);
        versusCPython(out);
        exitLatency(out);
        spawn(out);
        loop(out);
        return out;
    }

    private void javaOverC(List<Verdict> out) {
        OptionalDouble max = th.get("target.javaOverC.max");
        for (String w : List.of(BenchmarkNames.SAFE, BenchmarkNames.FAST)) {
            String name = Fmt.cap(w) + " asyncio4j/C <= " + (max.isPresent() ? Fmt.num(max.getAsDouble(), 2) : "?")
                    + " at every n";
            List<JmhResult> rows = in.jmh().of(BenchmarkNames.SIGCHLD, w);
            if (in.c() == null || rows.isEmpty() || max.isEmpty()) {
                out.add(Verdict.skipped(name, missing(rows.isEmpty(), in.c() == null, max.isEmpty())));
                continue;
            }
            List<String> parts = new ArrayList<>();
            boolean missed = false;
            boolean unsure = false;
            int compared = 0;
            for (JmhResult r : rows) {
                Optional<LimitPoint> c = in.c().at(r.children());
                if (c.isEmpty()) {
                    continue;
                }
                double limit = BenchmarkNames.SAFE.equals(w) ? c.get().safe().p50() : c.get().fast().p50();
                double ratio = r.primary().micros() / limit;
                double error = Double.isFinite(r.primary().error()) ? r.primary().errorMicros() / limit : 0;
                // met only when the JMH interval's upper end is within the limit; missed when its lower end is over
                missed |= ratio - error > max.getAsDouble();
                unsure |= ratio - error <= max.getAsDouble() && ratio + error > max.getAsDouble();
                compared++;
                parts.add("n=" + r.children() + " " + Fmt.ratio(ratio) + " ± " + Fmt.num(error, 2));
            }
            String detail = String.join(", ", parts);
            out.add(compared == 0 ? Verdict.skipped(name, "no n measured by both JMH and the C tool")
                    : missed ? Verdict.of(name, false, detail)
                    : unsure ? Verdict.inconclusive(name, detail + " (an interval straddles the limit)")
                    : Verdict.of(name, true, detail));
        }
    }

    private void syscallsPerExit(List<Verdict> out) {
        OptionalDouble fastMax = th.get("target.fast.waitpidPerExit.max");
        double tol = th.get("target.safe.waitpidPerSigchld.tolerance", 0.01);
        String fastName = "Fast <= " + (fastMax.isPresent() ? Fmt.num(fastMax.getAsDouble(), 0) : "?")
                + " waitpid calls per exit at every n";
        String safeName = "Safe exactly n waitpid calls per SIGCHLD";
        List<String> fastParts = new ArrayList<>();
        List<String> safeParts = new ArrayList<>();
        boolean fastOk = true;
        boolean safeOk = true;
        for (JmhResult r : in.jmh().of(BenchmarkNames.SIGCHLD, BenchmarkNames.FAST)) {
            Metric m = r.secondary().get(BenchmarkNames.AUX_WAITPID_CALLS);
            if (m != null && fastMax.isPresent()) {
                fastOk &= m.score() <= fastMax.getAsDouble() + 1e-9;
                fastParts.add("n=" + r.children() + " " + Fmt.num(m.score(), 2));
            }
        }
        for (JmhResult r : in.jmh().of(BenchmarkNames.SIGCHLD, BenchmarkNames.SAFE)) {
            Metric m = r.secondary().get(BenchmarkNames.AUX_WAITPID_CALLS);
            if (m != null) {
                int n = r.children();
                safeOk &= Math.abs(m.score() - n) <= Math.max(tol * n, 1e-9);
                safeParts.add("n=" + n + " " + Fmt.num(m.score(), 2));
            }
        }
        out.add(fastParts.isEmpty() ? Verdict.skipped(fastName, "no Fast " + BenchmarkNames.AUX_WAITPID_CALLS
                + " counter (or no threshold)") : Verdict.of(fastName, fastOk, String.join(", ", fastParts)));
        out.add(safeParts.isEmpty() ? Verdict.skipped(safeName, "no Safe " + BenchmarkNames.AUX_WAITPID_CALLS
                + " counter") : Verdict.of(safeName, safeOk, String.join(", ", safeParts)));
    }

    private void pidfdFlat(List<Verdict> out) {
        OptionalDouble max = th.get("target.pidfd.largestOverOne.max");
        List<JmhResult> rows = in.jmh().of(BenchmarkNames.SIGCHLD, BenchmarkNames.PIDFD);
        String name = "Pidfd cost at the largest n within " + (max.isPresent() ? Fmt.ratio(max.getAsDouble()) : "?")
                + " of n=1";
        Optional<JmhResult> one = rows.stream().filter(r -> r.children() == 1).findFirst();
        if (rows.size() < 2 || one.isEmpty() || max.isEmpty()) {
            out.add(Verdict.skipped(name, "needs Pidfd results at n=1 and a larger n, and a threshold"));
            return;
        }
        JmhResult largest = rows.get(rows.size() - 1);
        double ratio = largest.primary().micros() / one.get().primary().micros();
        out.add(Verdict.of(name, ratio <= max.getAsDouble(), "n=" + largest.children() + " "
                + Fmt.sig(largest.primary().micros()) + " us vs n=1 " + Fmt.sig(one.get().primary().micros())
                + " us: " + Fmt.ratio(ratio)));
    }

    private void versusCPython(List<Verdict> out) {
        OptionalDouble smallMin = th.get("target.cpython.speedup.smallN.min");
        OptionalDouble anyMin = th.get("target.cpython.speedup.min");
        double smallN = th.get("target.cpython.smallN.max", 100);
        for (String w : List.of(BenchmarkNames.SAFE, BenchmarkNames.FAST)) {
            String name = Fmt.cap(w) + " vs CPython " + (in.cpython() == null ? "" : in.cpython().version())
                    + ": >= " + (smallMin.isPresent() ? Fmt.ratio(smallMin.getAsDouble()) : "?") + " faster at n <= "
                    + Fmt.num(smallN, 0) + ", never slower";
            List<JmhResult> rows = in.jmh().of(BenchmarkNames.SIGCHLD, w);
            if (in.cpython() == null || rows.isEmpty() || smallMin.isEmpty() || anyMin.isEmpty()) {
                out.add(Verdict.skipped(name, missing(rows.isEmpty(), in.cpython() == null,
                        smallMin.isEmpty() || anyMin.isEmpty())));
                continue;
            }
            boolean ok = true;
            List<String> parts = new ArrayList<>();
            for (JmhResult r : rows) {
                Optional<LimitPoint> p = in.cpython().at(r.children());
                if (p.isEmpty()) {
                    continue;
                }
                double theirs = BenchmarkNames.SAFE.equals(w) ? p.get().safe().p50() : p.get().fast().p50();
                double speedup = theirs / r.primary().micros();
                double need = r.children() <= smallN ? smallMin.getAsDouble() : anyMin.getAsDouble();
                ok &= speedup >= need;
                parts.add("n=" + r.children() + " " + Fmt.ratio(speedup));
            }
            out.add(parts.isEmpty() ? Verdict.skipped(name, "no n measured by both")
                    : Verdict.of(name, ok, "CPython time / asyncio4j time: " + String.join(", ", parts)));
        }
    }

    private void exitLatency(List<Verdict> out) {
        OptionalDouble max = th.get("target.exitLatency.overCPython.max");
        String name = "kill-to-callback p50 below CPython's";
        if (in.cpython() == null || in.cpython().exitLatency().isEmpty() || max.isEmpty()) {
            out.add(Verdict.skipped(name, in.cpython() == null ? "no CPython figures" : "no CPython latency or threshold"));
            return;
        }
        boolean ok = true;
        List<String> parts = new ArrayList<>();
        for (CPythonResults.ExitLatency theirs : in.cpython().exitLatency()) {
            Optional<JmhResult> ours = in.jmh().find(BenchmarkNames.EXIT_LATENCY, theirs.watcher(), theirs.n());
            if (ours.isEmpty()) {
                continue;
            }
            double p50 = ours.get().percentileMicros(50);
            double ratio = p50 / theirs.p50();
            ok &= ratio < max.getAsDouble();
            parts.add(theirs.watcher() + " n=" + theirs.n() + " " + Fmt.sig(p50) + " vs " + Fmt.sig(theirs.p50())
                    + " us (" + Fmt.ratio(ratio) + ")");
        }
        out.add(parts.isEmpty() ? Verdict.skipped(name, "no ExitLatencyBenchmark result at a (watcher, n) CPython measured")
                : Verdict.of(name, ok, String.join("; ", parts)));
    }

    private void spawn(List<Verdict> out) {
        Optional<JmhResult> exec = in.jmh().first(BenchmarkNames.SPAWN_SUBPROCESS_EXEC);
        Optional<JmhResult> pb = in.jmh().first(BenchmarkNames.SPAWN_PROCESS_BUILDER);
        OptionalDouble overC = th.get("target.spawn.overC.min");
        OptionalDouble overPb = th.get("target.spawn.overProcessBuilder.min");
        String nameC = "subprocessExec >= " + (overC.isPresent() ? Fmt.ratio(overC.getAsDouble()) : "?")
                + " of C posix_spawn";
        if (exec.isEmpty() || in.c() == null || !Double.isFinite(in.c().spawnPerSecond()) || overC.isEmpty()) {
            out.add(Verdict.skipped(nameC, missing(exec.isEmpty(), in.c() == null, overC.isEmpty())));
        } else {
            double ratio = exec.get().primary().perSecond() / in.c().spawnPerSecond();
            out.add(Verdict.of(nameC, ratio >= overC.getAsDouble(), Fmt.rate(exec.get().primary().perSecond())
                    + " vs " + Fmt.rate(in.c().spawnPerSecond()) + ": " + Fmt.ratio(ratio)));
        }
        String namePb = "subprocessExec >= " + (overPb.isPresent() ? Fmt.ratio(overPb.getAsDouble()) : "?")
                + " ProcessBuilder";
        if (exec.isEmpty() || pb.isEmpty() || overPb.isEmpty()) {
            out.add(Verdict.skipped(namePb, "needs SpawnBenchmark.subprocessExec and .processBuilder and a threshold"));
        } else {
            double ratio = exec.get().primary().perSecond() / pb.get().primary().perSecond();
            out.add(Verdict.of(namePb, ratio >= overPb.getAsDouble(), Fmt.rate(exec.get().primary().perSecond())
                    + " vs " + Fmt.rate(pb.get().primary().perSecond()) + ": " + Fmt.ratio(ratio)));
        }
    }

    private void loop(List<Verdict> out) {
        CPythonResults.LoopFigures asyncio = in.cpython() == null ? null : in.cpython().asyncio();
        OptionalDouble dispatchMin = th.get("target.loop.callSoonDispatch.overCPython.min");
        OptionalDouble rtMin = th.get("target.loop.threadsafeRoundTrip.overCPython.min");
        String nameD = "callSoon dispatch >= " + (dispatchMin.isPresent() ? Fmt.ratio(dispatchMin.getAsDouble()) : "?")
                + " CPython asyncio";
        Optional<JmhResult> dispatch = in.jmh().first(BenchmarkNames.LOOP_CALL_SOON_DISPATCH);
        if (asyncio == null || dispatch.isEmpty() || dispatchMin.isEmpty()) {
            out.add(Verdict.skipped(nameD, missing(dispatch.isEmpty(), asyncio == null, dispatchMin.isEmpty())));
        } else {
            double ratio = dispatch.get().primary().perSecond() / asyncio.callSoonDispatchPerSec();
            out.add(Verdict.of(nameD, ratio >= dispatchMin.getAsDouble(), Fmt.rate(dispatch.get().primary().perSecond())
                    + " vs " + Fmt.rate(asyncio.callSoonDispatchPerSec()) + ": " + Fmt.ratio(ratio)));
        }
        String nameR = "callSoonThreadsafe round trip p50 >= " + (rtMin.isPresent() ? Fmt.ratio(rtMin.getAsDouble()) : "?")
                + " faster than CPython asyncio";
        Optional<JmhResult> rt = in.jmh().first(BenchmarkNames.LOOP_CALL_SOON_THREADSAFE_ROUND_TRIP);
        if (asyncio == null || rt.isEmpty() || rtMin.isEmpty()) {
            out.add(Verdict.skipped(nameR, missing(rt.isEmpty(), asyncio == null, rtMin.isEmpty())));
        } else {
            double ours = rt.get().percentileMicros(50);
            double ratio = asyncio.threadsafeRoundTripP50() / ours;
            out.add(Verdict.of(nameR, ratio >= rtMin.getAsDouble(), Fmt.sig(ours) + " us vs "
                    + Fmt.sig(asyncio.threadsafeRoundTripP50()) + " us: " + Fmt.ratio(ratio)));
        }
    }

    private static String missing(boolean noJmh, boolean noReference, boolean noThreshold) {
        List<String> why = new ArrayList<>();
        if (noJmh) {
            why.add("no JMH result");
        }
        if (noReference) {
            why.add("no reference figures");
        }
        if (noThreshold) {
            why.add("no threshold");
        }
        return String.join(", ", why);
    }
}
