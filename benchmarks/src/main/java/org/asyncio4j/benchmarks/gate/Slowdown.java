package org.asyncio4j.benchmarks.gate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * The self-test's check of its own injected slowdown: how much slower one figure really is in the slowed forks
 * than in the plain ones, each side's median fork score, against the slowdown asked for. The self-test reads
 * the plain cost of a pass from the unchanged run to size a first setting, checks short calibration forks
 * with it to correct the setting (on a loaded machine a pass that takes longer is preempted more often and
 * resumes on cold caches, so the CPU it gains can be twice what the seam added), and prints the check for
 * the slowed run, so that its report shows what was injected, not what was meant.
 *
 * <pre>
 * java -cp benchmarks.jar org.asyncio4j.benchmarks.gate.Slowdown --figure KEY [--nanos N] [--target 0.25]
 *      [--tolerance 0.03] [--metric NAME] --base FILE... --candidate FILE...
 * </pre>
 *
 * Prints one sentence, then {@code base=B}, {@code slowed=S}, {@code delivered=D} and {@code within=true|false}
 * lines for the script. Exit status 0, or 2 for bad arguments or a figure missing from either side.
 *
 * @param key       the figure
 * @param unit      its unit
 * @param base      the plain forks' median score
 * @param slowed    the slowed forks' median score
 * @param baseForks how many plain forks
 * @param slowForks how many slowed forks
 */
public record Slowdown(String key, String unit, double base, double slowed, int baseForks, int slowForks) {

    /** Measures one figure: the median fork score of each side. */
    public static Slowdown of(ForkScores.Figure base, ForkScores.Figure slowed) {
        return new Slowdown(slowed.key(), slowed.unit(), median(base.scores()), median(slowed.scores()),
                base.scores().size(), slowed.scores().size());
    }

    /** The slowdown delivered: slowed over base, less one (0.25 is 25% slower). */
    public double delivered() {
        return slowed / base - 1;
    }

    /** Whether the delivered slowdown lies within {@code tolerance} (absolute, 0.03 is 3 points) of the target. */
    public boolean within(double target, double tolerance) {
        return Math.abs(delivered() - target) <= tolerance;
    }

    /** Runs the check and prints its result; returns 0, or 2 for bad arguments or missing data. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> baseFiles = new ArrayList<>();
        List<Path> slowFiles = new ArrayList<>();
        List<Path> files = null;
        String figure = null;
        String metric = null;
        long nanos = 0;
        double target = 0.25;
        double tolerance = 0.03;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--base" -> files = baseFiles;
                    case "--candidate" -> files = slowFiles;
                    case "--figure" -> figure = value(args, ++i, a);
                    case "--metric" -> metric = value(args, ++i, a);
                    case "--nanos" -> nanos = Long.parseLong(value(args, ++i, a));
                    case "--target" -> target = Double.parseDouble(value(args, ++i, a));
                    case "--tolerance" -> tolerance = Double.parseDouble(value(args, ++i, a));
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
            if (figure == null || baseFiles.isEmpty() || slowFiles.isEmpty()) {
                throw new IllegalArgumentException("--figure, --base and --candidate are required");
            }
            if (nanos < 0) {
                throw new IllegalArgumentException("--nanos must not be negative, got " + nanos);
            }
        } catch (IllegalArgumentException e) {
            err.println("Slowdown: " + e.getMessage());
            err.println("usage: Slowdown --figure KEY [--nanos N] [--target 0.25] [--tolerance 0.03] [--metric NAME] "
                    + "--base FILE... --candidate FILE...");
            return Gate.USAGE;
        }
        try {
            ForkScores.Figure b = ForkScores.read(baseFiles, metric).figures().get(figure);
            ForkScores.Figure s = ForkScores.read(slowFiles, metric).figures().get(figure);
            if (b == null || s == null) {
                err.println("Slowdown: no figure '" + figure + "' on the " + (b == null ? "plain" : "slowed") + " side");
                return Gate.USAGE;
            }
            Slowdown d = of(b, s);
            String unit = metric != null && metric.endsWith("Micros") ? "us" : d.unit();   // a counter's unit is "#"
            boolean within = d.within(target, tolerance);
            out.printf(Locale.ROOT, "%s: plain median %.1f %s (%d forks), slowed median %.1f %s (%d forks): %+.1f%% "
                            + "delivered%s (asked %+.1f%%: %s)%n", d.key(), d.base(), unit, d.baseForks(), d.slowed(),
                    unit, d.slowForks(), d.delivered() * 100, nanos > 0 ? " with " + nanos + " ns per waitpid" : "",
                    target * 100, within ? "within " + Math.round(tolerance * 100) + " points" : "off by more than "
                            + Math.round(tolerance * 100) + " points");
            out.printf(Locale.ROOT, "base=%.3f%nslowed=%.3f%ndelivered=%.4f%nwithin=%s%n", d.base(), d.slowed(),
                    d.delivered(), within);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("Slowdown: " + e);
            return Gate.USAGE;
        }
    }

    /** Runs the check and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    private static double median(List<Double> scores) {
        return new Median().evaluate(scores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
