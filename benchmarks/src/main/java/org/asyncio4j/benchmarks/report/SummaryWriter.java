package org.asyncio4j.benchmarks.report;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Writes {@code summary.md}: machine facts, the figures in tables, and every verdict stated plainly. */
public final class SummaryWriter {

    private final ReportInputs in;
    private final ComplexityAnalysis fits;
    private final List<Verdict> targets;
    private final List<Verdict> complexity;
    private final List<String> runInfo;
    private final StringBuilder md = new StringBuilder();

    /** A summary of one run; {@code runInfo} holds the run's profile, load averages and wall time. */
    public SummaryWriter(ReportInputs in, ComplexityAnalysis fits, List<Verdict> targets, List<Verdict> complexity,
                         List<String> runInfo) {
        this.in = in;
        this.fits = fits;
        this.targets = targets;
        this.complexity = complexity;
        this.runInfo = List.copyOf(runInfo);
    }

    /** The markdown text. */
    public String render() {
        md.setLength(0);
        md.append("# asyncio4j benchmark summary\n\n");
        machine();
        verdicts("Targets", targets);
        sigchld();
        ratios();
        complexitySection();
        exitLatency();
        drain();
        spawnAndLoop();
        md.append("## Plots\n\n- `sigchld.svg`: cost per SIGCHLD vs n (log-log, error bars), fitted slopes "
                + "and their range of n in the legend\n"
                + "- `exit-latency-WATCHER.svg`: kill -> callback latency distributions, one chart per watcher; "
                + "each curve's band spans its percentile's lowest to highest value across the measurement "
                + "iterations (no band where a cell has one iteration)\n"
                + "- `drain.svg`: drain time vs n (log-log, error bars)\n");
        return md.toString();
    }

    private void machine() {
        md.append("## Run\n\n");
        for (String line : runInfo) {
            md.append("- ").append(line).append('\n');
        }
        md.append("\nNot gated: a report run states targets and complexity verdicts; the regression gate is "
                + "`./run-bench.sh --gate`, which runs the base and the candidate side by side.\n\n");
        md.append("Against other libraries, separate runs: `peers.md` (subprocesses, `benchmarks/run-peers.sh`) and "
                + "`sockets.md` (TCP echo and round trip, `benchmarks/run-sockets.sh`).\n\n");
        md.append("## Machine\n\n");
        String kernel = in.c() != null && in.c().kernel() != null ? in.c().kernel()
                : System.getProperty("os.name") + " " + System.getProperty("os.version");
        int cores = in.c() != null && in.c().cores() > 0 ? in.c().cores() : Runtime.getRuntime().availableProcessors();
        md.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        md.append("- cores: ").append(cores).append('\n');
        md.append("- kernel: ").append(kernel).append('\n');
        md.append("- JDK (benchmarks): ").append(Optional.ofNullable(in.jmh().jdk()).orElse("n/a (no JMH results)"))
                .append('\n');
        md.append("- JDK (report): ").append(System.getProperty("java.version")).append('\n');
        md.append("- CPython: ").append(in.cpython() == null ? "n/a" : in.cpython().version()).append('\n');
        if (in.c() != null && !in.c().refused().isEmpty()) {
            md.append("- C tool refused: ").append(String.join("; ", in.c().refused())).append('\n');
        }
        for (String note : in.notes()) {
            md.append("- note: ").append(note).append('\n');
        }
        md.append("\nShared, noisy machine: trust the ratios within this run, not absolute times. asyncio4j figures "
                + "are JMH means (± 99.9% error, one fork: variation within one JVM only); C and CPython figures are medians. "
                + "A cell marked (unreliable) has an error above half its score.\n\n");
    }

    private void verdicts(String title, List<Verdict> list) {
        long failed = list.stream().filter(Verdict::failed).count();
        long passed = list.stream().filter(v -> v.status() == Verdict.Status.PASS).count();
        long unsure = list.stream().filter(v -> v.status() == Verdict.Status.INCONCLUSIVE).count();
        md.append("## ").append(title).append("\n\n").append(passed).append(" met, ").append(failed).append(" missed, ")
                .append(unsure).append(" inconclusive, ").append(list.size() - passed - failed - unsure)
                .append(" not judged.\n\n");
        for (Verdict v : list) {
            String mark = switch (v.status()) {
                case PASS -> "**met**";
                case FAIL -> "**MISSED**";
                case INCONCLUSIVE -> "inconclusive";
                case INFO -> "info";
                case SKIPPED -> "skipped";
            };
            md.append("- ").append(mark).append(" - ").append(v.name()).append(": ").append(v.detail()).append('\n');
        }
        md.append('\n');
    }

    private TreeSet<Integer> allN() {
        TreeSet<Integer> ns = new TreeSet<>();
        in.jmh().of(BenchmarkNames.SIGCHLD).forEach(r -> ns.add(r.children()));
        if (in.c() != null) {
            in.c().points().forEach(p -> ns.add(p.n()));
        }
        if (in.cpython() != null) {
            in.cpython().points().forEach(p -> ns.add(p.n()));
        }
        return ns;
    }

    private void sigchld() {
        md.append("## Cost per SIGCHLD (microseconds; waitpid calls per SIGCHLD in brackets)\n\n");
        List<String> head = new ArrayList<>(List.of("n"));
        BenchmarkNames.SIGCHLD_WATCHERS.forEach(w -> head.add("asyncio4j " + w));
        head.addAll(List.of("C Safe", "C Fast", "C idle waitpid(-1)", "CPython Safe", "CPython Fast"));
        table(head);
        for (int n : allN()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(n)));
            for (String w : BenchmarkNames.SIGCHLD_WATCHERS) {
                row.add(in.jmh().find(BenchmarkNames.SIGCHLD, w, n).map(SummaryWriter::costCell).orElse(""));
            }
            Optional<LimitPoint> c = in.c() == null ? Optional.empty() : in.c().at(n);
            row.add(c.map(p -> Fmt.sig(p.safe().p50()) + " [" + Fmt.sig(p.safeWaitpidCalls()) + "]").orElse(""));
            row.add(c.map(p -> Fmt.sig(p.fast().p50()) + " [" + Fmt.sig(p.fastWaitpidCalls()) + "]").orElse(""));
            row.add(c.map(p -> Fmt.sig(p.idleWaitpid().p50()) + " [1]").orElse(""));
            Optional<LimitPoint> py = in.cpython() == null ? Optional.empty() : in.cpython().at(n);
            row.add(py.map(p -> Fmt.sig(p.safe().p50()) + " [" + Fmt.sig(p.safeWaitpidCalls()) + "]").orElse(""));
            row.add(py.map(p -> Fmt.sig(p.fast().p50()) + " [" + Fmt.sig(p.fastWaitpidCalls()) + "]").orElse(""));
            table(row);
        }
        md.append('\n');
    }

    private static String costCell(JmhResult r) {
        Metric aux = r.secondary().get(BenchmarkNames.AUX_WAITPID_CALLS);
        // A single measurement iteration has no confidence interval (JMH writes "NaN"): no "± 0".
        return Fmt.sig(r.primary().micros())
                + (Double.isFinite(r.primary().error()) ? " ± " + Fmt.sig(r.primary().errorMicros()) : "")
                + (aux == null ? "" : " [" + Fmt.sig(aux.score()) + "]")
                + flag(r.primary());
    }

    /** " (unreliable)" after a cell whose error exceeds half its score, else nothing. */
    private static String flag(Metric m) {
        return unreliable(m) ? " (unreliable)" : "";
    }

    /** Whether a figure's error exceeds half its score: the table flags it rather than trust it. */
    static boolean unreliable(Metric m) {
        return Double.isFinite(m.error()) && m.error() > m.score() / 2;
    }

    private void ratios() {
        md.append("## Ratios\n\nasyncio4j / C limit (lower is better, target <= 1.25) and CPython / asyncio4j "
                + "(speed-up, higher is better).\n\n");
        table(List.of("n", "Safe asyncio4j/C", "Fast asyncio4j/C", "Safe CPython/asyncio4j", "Fast CPython/asyncio4j"));
        for (int n : allN()) {
            Optional<JmhResult> safe = in.jmh().find(BenchmarkNames.SIGCHLD, BenchmarkNames.SAFE, n);
            Optional<JmhResult> fast = in.jmh().find(BenchmarkNames.SIGCHLD, BenchmarkNames.FAST, n);
            Optional<LimitPoint> c = in.c() == null ? Optional.empty() : in.c().at(n);
            Optional<LimitPoint> py = in.cpython() == null ? Optional.empty() : in.cpython().at(n);
            table(List.of(Integer.toString(n),
                    ratio(safe.map(r -> r.primary().micros()), c.map(p -> p.safe().p50())),
                    ratio(fast.map(r -> r.primary().micros()), c.map(p -> p.fast().p50())),
                    ratio(py.map(p -> p.safe().p50()), safe.map(r -> r.primary().micros())),
                    ratio(py.map(p -> p.fast().p50()), fast.map(r -> r.primary().micros()))));
        }
        md.append('\n');
    }

    private static String ratio(Optional<Double> a, Optional<Double> b) {
        return a.isPresent() && b.isPresent() ? Fmt.ratio(a.get() / b.get()) : "";
    }

    private void complexitySection() {
        md.append("## Complexity verdict\n\nOLS fit of log(cost) on log(n) over n >= ").append(fits.minN())
                .append(" (at n=1 the fixed cost of a pass hides the growth); slope with its 95% confidence interval "
                + "(Student t, points - 2 degrees of freedom). Slope 1 = O(n), 0 = O(1).\n\n");
        table(List.of("series", "time slope [95% CI]", "R²", "syscalls slope [95% CI]"));
        List<WatcherFit> all = new ArrayList<>(fits.javaFits().values());
        all.addAll(fits.referenceFits().values());
        for (WatcherFit f : all) {
            table(List.of(fits.javaFits().containsValue(f) ? "asyncio4j " + f.label() : f.label(),
                    f.time() == null ? "n/a" : f.time().describe(),
                    f.time() == null ? "" : Fmt.num(f.time().rSquared(), 3),
                    f.syscalls() == null ? "n/a" : f.syscalls().describe()));
        }
        md.append('\n');
        verdicts("Complexity verdicts", complexity);
        md.append("Fast: one or two waitpid calls per exit whatever n is, yet its time is not flat: Linux's "
                + "waitpid(-1) walks the caller's whole list of children inside the kernel even when it reaps "
                + "nothing (the C idle waitpid(-1) column), so the time slope is what the kernel makes it.\n\n");
    }

    private void exitLatency() {
        md.append("## Exit latency: kill -> callback (microseconds)\n\n");
        table(List.of("watcher", "n", "asyncio4j p50", "asyncio4j p99", "CPython p50", "CPython p99"));
        for (String w : BenchmarkNames.EXIT_LATENCY_WATCHERS) {
            for (JmhResult r : in.jmh().of(BenchmarkNames.EXIT_LATENCY, w)) {
                Optional<CPythonResults.ExitLatency> py = in.cpython() == null ? Optional.empty()
                        : in.cpython().latency(w, r.children());
                table(List.of(w, Integer.toString(r.children()), Fmt.sig(r.percentileMicros(50)),
                        Fmt.sig(r.percentileMicros(99)), py.map(l -> Fmt.sig(l.p50())).orElse(""),
                        py.map(l -> Fmt.sig(l.p99())).orElse("")));
            }
        }
        if (in.jmh().of(BenchmarkNames.EXIT_LATENCY).isEmpty() && in.cpython() != null) {
            for (CPythonResults.ExitLatency l : in.cpython().exitLatency()) {
                table(List.of(l.watcher(), Integer.toString(l.n()), "", "", Fmt.sig(l.p50()), Fmt.sig(l.p99())));
            }
        }
        md.append('\n');
    }

    private void drain() {
        md.append("## Drain: n children exit together, until every callback ran\n\n");
        table(List.of("watcher", "n", "ms", "SIGCHLD passes"));
        for (String w : BenchmarkNames.EXIT_LATENCY_WATCHERS) {
            for (JmhResult r : in.jmh().of(BenchmarkNames.DRAIN, w)) {
                Metric passes = r.secondary().get(BenchmarkNames.AUX_SIGCHLD_PASSES);
                boolean signalDriven = !BenchmarkNames.THREADED.equals(w) && !BenchmarkNames.PIDFD.equals(w);
                table(List.of(w, Integer.toString(r.children()), Fmt.sig(r.primary().micros() / 1000) + flag(r.primary()),
                        !signalDriven ? "none (no SIGCHLD handler)" : passes == null ? "" : Fmt.sig(passes.score())));
            }
        }
        md.append('\n');
    }

    private void spawnAndLoop() {
        md.append("## Spawning (per second)\n\n");
        table(List.of("", "per second"));
        spawnRow("asyncio4j subprocessExec", BenchmarkNames.SPAWN_SUBPROCESS_EXEC);
        spawnRow("raw posix_spawn (Java binding)", BenchmarkNames.SPAWN_RAW_POSIX_SPAWN);
        spawnRow("ProcessBuilder.start + waitFor", BenchmarkNames.SPAWN_PROCESS_BUILDER);
        table(List.of("C posix_spawn + waitpid", in.c() == null ? "n/a" : Fmt.rate(in.c().spawnPerSecond())));
        table(List.of("CPython os.posix_spawn + waitpid", in.cpython() == null ? "n/a"
                : Fmt.rate(in.cpython().spawnPerSecond())));
        md.append("\n## Event loop\n\n");
        table(List.of("loop", "callSoon dispatch", "callSoon chain", "callLater insert + fire",
                "threadsafe round trip p50 / p99 (us)"));
        Optional<JmhResult> rt = in.jmh().first(BenchmarkNames.LOOP_CALL_SOON_THREADSAFE_ROUND_TRIP);
        table(List.of("asyncio4j", rate(BenchmarkNames.LOOP_CALL_SOON_DISPATCH), rate(BenchmarkNames.LOOP_CALL_SOON_CHAIN),
                rate(BenchmarkNames.LOOP_CALL_LATER_INSERT_FIRE),
                rt.map(r -> Fmt.sig(r.percentileMicros(50)) + " / " + Fmt.sig(r.percentileMicros(99))).orElse("n/a")));
        if (in.cpython() != null) {
            loopRow("CPython asyncio", in.cpython().asyncio());
            if (in.cpython().uvloop() != null) {
                loopRow("uvloop", in.cpython().uvloop());
            } else if (in.cpython().uvloopNote() != null) {
                table(List.of("uvloop", "skipped: " + in.cpython().uvloopNote(), "", "", ""));
            }
        }
        md.append('\n');
    }

    private void spawnRow(String label, String benchmark) {
        table(List.of(label, in.jmh().first(benchmark).map(r -> Fmt.rate(r.primary().perSecond()) + flag(r.primary()))
                .orElse("n/a")));
    }

    private String rate(String benchmark) {
        return in.jmh().first(benchmark).map(r -> Fmt.rate(r.primary().perSecond()) + flag(r.primary())).orElse("n/a");
    }

    private void loopRow(String label, CPythonResults.LoopFigures f) {
        if (f == null) {
            return;
        }
        table(List.of(label, Fmt.rate(f.callSoonDispatchPerSec()), Fmt.rate(f.callSoonChainPerSec()),
                Fmt.rate(f.callLaterInsertFirePerSec()),
                Fmt.sig(f.threadsafeRoundTripP50()) + " / " + Fmt.sig(f.threadsafeRoundTripP99())));
    }

    private void table(List<String> cells) {
        boolean header = md.length() == 0 || md.charAt(md.length() - 1) == '\n' && md.charAt(md.length() - 2) == '\n';
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        if (header) {
            md.append("|").append(" --- |".repeat(cells.size())).append('\n');
        }
    }
}
