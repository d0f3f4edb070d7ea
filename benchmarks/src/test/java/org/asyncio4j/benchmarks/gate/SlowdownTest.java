package org.asyncio4j.benchmarks.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-test's measure of the slowdown it injected. */
class SlowdownTest {
    private static final String FIGURE = "SigchldBenchmark.sigchld:children=1000,watcher=safe";

    @Test
    void theDeliveredSlowdownIsTheRatioOfTheMedianForks() {
        Slowdown d = Slowdown.of(figure(300, 310, 900), figure(360, 372, 380));   // one plain fork in a burst
        assertEquals(310, d.base());
        assertEquals(372, d.slowed());
        assertEquals(0.2, d.delivered(), 1e-12);
        assertFalse(d.within(0.25, 0.03));
        assertTrue(d.within(0.25, 0.06));
    }

    @Test
    void theCommandPrintsTheSentenceAndTheValuesForTheScript(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("--figure", FIGURE, "--nanos", "80", "--base"));
        for (int f = 0; f < 3; f++) {
            args.add(fork(dir, "base-" + f, 401 + f).toString());   // best iterations 400, 401, 402
        }
        args.add("--candidate");
        for (int f = 0; f < 3; f++) {
            args.add(fork(dir, "cand-" + f, 551 - f).toString());   // 550, 549, 548: +36.9%
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Slowdown.run(args.toArray(String[]::new), new PrintStream(out), new PrintStream(out)));
        String text = out.toString();
        assertTrue(text.contains("plain median 401.0 us/op (3 forks), slowed median 549.0 us/op (3 forks): +36.9% "
                + "delivered with 80 ns per waitpid (asked +25.0%: off by more than 3 points)"), text);
        assertTrue(text.contains("base=401.000\nslowed=549.000\ndelivered=0.3691\nwithin=false\n"), text);
    }

    @Test
    void aMissingFigureOrArgumentIsAUsageError(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String base = fork(dir, "b", 401).toString();
        assertEquals(2, Slowdown.run(new String[] {"--figure", FIGURE, "--nanos", "-1", "--base", base, "--candidate",
            base}, new PrintStream(out), new PrintStream(out)));
        assertTrue(out.toString().contains("--nanos must not be negative, got -1"), out.toString());
        assertEquals(2, Slowdown.run(new String[] {"--figure", FIGURE, "--base", base}, new PrintStream(out),
                new PrintStream(out)));
        assertTrue(out.toString().contains("--figure, --base and --candidate are required"), out.toString());
        assertEquals(2, Slowdown.run(new String[] {"--figure", "Nope.nope", "--nanos", "5", "--base", base,
            "--candidate", base}, new PrintStream(out), new PrintStream(out)));
        assertTrue(out.toString().contains("no figure 'Nope.nope' on the plain side"), out.toString());
    }

    private static ForkScores.Figure figure(double... scores) {
        List<Double> list = new ArrayList<>();
        for (double s : scores) {
            list.add(s);
        }
        return new ForkScores.Figure(FIGURE, "avgt", "us/op", list, List.of());
    }

    /** One fork's JMH file with Safe's sweep at n=1000, its best iteration {@code score - 1}. */
    private static Path fork(Path dir, String name, double score) throws Exception {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, "[" + ForkScoresTest.row(1000, score) + "]");
        return file;
    }
}
