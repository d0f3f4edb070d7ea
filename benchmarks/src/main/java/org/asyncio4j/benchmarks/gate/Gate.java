package org.asyncio4j.benchmarks.gate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The A/B performance gate's judge: reads the raw JMH JSON of the base's and the candidate's forks, compares
 * every figure measured on both sides ({@link Comparison}) and writes the outputs ({@link GateReport}).
 *
 * <pre>
 * java -cp benchmarks.jar org.asyncio4j.benchmarks.gate.Gate --out DIR [--threshold 0.10] [--confidence 0.95]
 *      [--title TEXT] [--metric NAME] --base FILE... --candidate FILE...
 * </pre>
 *
 * With {@code --metric NAME}, a benchmark that reports the secondary metric NAME is judged by it (the
 * benchmarks' {@code cpuMicros}: CPU time per operation, which other work on the machine disturbs far less
 * than wall time); every other benchmark by its primary metric.
 *
 * Exit status: 0 pass, 1 regression, 3 inconclusive, 2 bad arguments or unreadable input.
 */
public final class Gate {
    /** The exit status for bad arguments or unreadable input. */
    public static final int USAGE = 2;

    private Gate() {
    }

    /** Runs the gate and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the gate; returns 0 (pass), 1 (regression), 3 (inconclusive) or 2 (bad arguments, I/O). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> base = new ArrayList<>();
        List<Path> candidate = new ArrayList<>();
        Path dir = null;
        double threshold = 0.10;
        double confidence = 0.95;
        String title = "";
        String metric = null;
        List<Path> files = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--base" -> files = base;
                    case "--candidate" -> files = candidate;
                    case "--out" -> dir = Path.of(value(args, ++i, a));
                    case "--threshold" -> threshold = Double.parseDouble(value(args, ++i, a));
                    case "--confidence" -> confidence = Double.parseDouble(value(args, ++i, a));
                    case "--title" -> title = value(args, ++i, a);
                    case "--metric" -> metric = value(args, ++i, a);
                    default -> {
                        if (a.startsWith("--") || files == null) {
                            throw new IllegalArgumentException("unknown argument: " + a);
                        }
                        files.add(Path.of(a));
                    }
                }
                if (a.startsWith("--") && !a.equals("--base") && !a.equals("--candidate")) {
                    files = null;
                }
            }
            if (dir == null || base.isEmpty() || candidate.isEmpty()) {
                throw new IllegalArgumentException("--out, --base and --candidate are required");
            }
        } catch (IllegalArgumentException e) {
            err.println("Gate: " + e.getMessage());
            err.println("usage: Gate --out DIR [--threshold 0.10] [--confidence 0.95] [--title TEXT] [--metric NAME] "
                    + "--base FILE... --candidate FILE...");
            return USAGE;
        }
        try {
            ForkScores b = ForkScores.read(base, metric);
            ForkScores c = ForkScores.read(candidate, metric);
            List<Comparison> comparisons = new ArrayList<>();
            List<String> unmatched = new ArrayList<>();
            for (Map.Entry<String, ForkScores.Figure> e : c.figures().entrySet()) {
                ForkScores.Figure baseFigure = b.figures().get(e.getKey());
                if (baseFigure == null) {
                    unmatched.add(e.getKey());
                } else {
                    comparisons.add(Comparison.of(baseFigure, e.getValue(), threshold, confidence));
                }
            }
            b.figures().keySet().stream().filter(k -> !c.figures().containsKey(k)).forEach(unmatched::add);
            GateReport report = new GateReport(comparisons, unmatched, threshold, confidence, title);
            report.write(dir, b, c);
            for (Comparison cmp : comparisons) {
                out.printf(Locale.ROOT, "%-13s %-55s ratio %.3f [%.3f, %.3f]%n",
                        cmp.verdict().name().toLowerCase(Locale.ROOT), cmp.key(), cmp.ratio(), cmp.low(), cmp.high());
            }
            for (Comparison cmp : comparisons) {
                if (cmp.verdict() != Comparison.Verdict.PASS) {
                    out.println("  " + cmp.key() + ": " + cmp.reason());
                }
            }
            out.println("gate: " + report.overall().name().toLowerCase(Locale.ROOT) + " (" + comparisons.size()
                    + " figures; " + dir.resolve("gate.md") + ")");
            return report.overall().exitStatus();
        } catch (IOException | RuntimeException e) {
            err.println("Gate: " + e);
            return USAGE;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
