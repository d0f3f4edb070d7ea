package org.asyncio4j.benchmarks.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the report generator.
 *
 * <pre>
 * java -cp benchmarks/target/classes org.asyncio4j.benchmarks.report.Reports \
 *      [--jmh reports/jmh-result.json] [--c reports/c-limit.json] [--cpython reports/cpython.json] \
 *      [--out reports] [--thresholds benchmarks/thresholds.properties] [--run-info FILE]
 * </pre>
 *
 * Writes {@code summary.md}, {@code sigchld.svg}, {@code exit-latency-WATCHER.svg} and {@code drain.svg}
 * into the output directory. Missing inputs are noted in the summary, never fatal. Targets and complexity
 * verdicts are reported, not gated (the gate is {@code org.asyncio4j.benchmarks.gate.Gate}, an A/B comparison
 * within one run). Exit status 2 means bad arguments or an I/O error.
 */
public final class Reports {

    private Reports() {
    }

    /** Command-line options with their defaults. */
    static final class Options {
        Path jmh = Path.of("reports/jmh-result.json");
        Path c = Path.of("reports/c-limit.json");
        Path cpython = Path.of("reports/cpython.json");
        Path out = Path.of("reports");
        Path thresholds = firstExisting("benchmarks/thresholds.properties", "thresholds.properties");
        Path runInfo;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + a);
                }
                Path v = Path.of(args[++i]);
                switch (a) {
                    case "--jmh" -> o.jmh = v;
                    case "--c" -> o.c = v;
                    case "--cpython" -> o.cpython = v;
                    case "--out" -> o.out = v;
                    case "--thresholds" -> o.thresholds = v;
                    case "--run-info" -> o.runInfo = v;
                    default -> throw new IllegalArgumentException("unknown option: " + a);
                }
            }
            return o;
        }

        private static Path firstExisting(String... candidates) {
            for (String c : candidates) {
                if (Files.exists(Path.of(c))) {
                    return Path.of(c);
                }
            }
            return Path.of(candidates[0]);
        }
    }

    /** Runs the generator; exits with {@link #run}'s status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the generator and returns the exit status: 0, or 2 (bad arguments, I/O). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("Reports: " + e.getMessage());
            err.println("usage: Reports [--jmh FILE] [--c FILE] [--cpython FILE] [--out DIR] [--thresholds FILE] "
                    + "[--run-info FILE]");
            return 2;
        }
        try {
            ReportInputs in = ReportInputs.load(o.jmh, o.c, o.cpython);
            in.notes().forEach(n -> err.println("Reports: " + n));
            Thresholds th = Thresholds.load(o.thresholds);
            if (th.isEmpty()) {
                err.println("Reports: no thresholds at " + o.thresholds + ": verdicts are informational");
            }
            ComplexityAnalysis fits = new ComplexityAnalysis(in, th);
            List<Verdict> targets = new TargetEvaluation(in, th).verdicts();
            List<Verdict> complexity = fits.verdicts(th);
            List<String> runInfo = o.runInfo == null ? List.of("run: not described (no --run-info)")
                    : Files.readAllLines(o.runInfo).stream().filter(l -> !l.isBlank()).toList();

            Files.createDirectories(o.out);
            Files.writeString(o.out.resolve("summary.md"),
                    new SummaryWriter(in, fits, targets, complexity, runInfo).render());
            Charts.sigchld(in, fits).write(o.out, "sigchld");
            for (Map.Entry<String, LineChart> e : Charts.exitLatency(in).entrySet()) {
                e.getValue().write(o.out, "exit-latency-" + e.getKey());
            }
            Charts.drain(in).write(o.out, "drain");
            out.println("Reports: wrote " + o.out.resolve("summary.md") + " and the sigchld, exit-latency-* and drain plots");
            long missed = targets.stream().filter(Verdict::failed).count()
                    + complexity.stream().filter(Verdict::failed).count();
            out.println("Reports: targets and complexity: " + missed + " missed (see summary.md)");
            return 0;
        } catch (IOException e) {
            err.println("Reports: " + e);
            return 2;
        }
    }
}
