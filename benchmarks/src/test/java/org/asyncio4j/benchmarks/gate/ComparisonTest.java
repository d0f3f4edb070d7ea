package org.asyncio4j.benchmarks.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.benchmarks.gate.Comparison.Verdict;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final double THRESHOLD = 0.10;

    @Test
    void unchangedCodeWithTightForksPasses() {
        Comparison c = compare("avgt", List.of(100.0, 102.0, 98.0), List.of(101.0, 99.0, 100.5));
        assertEquals(Verdict.PASS, c.verdict(), c.reason());
        assertTrue(c.low() < 1 && c.high() > 1, c.reason());
    }

    @Test
    void aQuarterSlowerWithTightForksIsARegressionNamingTheFigure() {
        Comparison c = compare("avgt", List.of(100.0, 102.0, 98.0), List.of(125.0, 127.0, 124.0));
        assertEquals(Verdict.REGRESSION, c.verdict(), c.reason());
        assertEquals(1.25, c.ratio(), 0.01);
        assertTrue(c.low() > 1 + THRESHOLD, c.reason());
        assertEquals("SigchldBenchmark.sigchld:children=100,watcher=safe", c.key());
    }

    @Test
    void noisyForksAreInconclusiveNeverARegression() {
        // the candidate's mean is 20% higher, but the forks spread from 70 to 150: noise, not evidence
        Comparison c = compare("avgt", List.of(100.0, 70.0, 130.0), List.of(150.0, 90.0, 120.0));
        assertEquals(Verdict.INCONCLUSIVE, c.verdict(), c.reason());
        assertTrue(c.reason().contains("interval"), c.reason());
    }

    @Test
    void inconclusiveBelowTheThresholdSaysHowManyForksWouldSettleIt() {
        Comparison c = compare("avgt", List.of(100.0, 90.0, 110.0), List.of(100.0, 92.0, 108.0));
        assertEquals(Verdict.INCONCLUSIVE, c.verdict(), c.reason());
        assertTrue(c.reason().contains("more forks (--forks 5)"), c.reason());
    }

    @Test
    void fewerThanThreeForksPerSideIsInconclusive() {
        Comparison c = compare("avgt", List.of(100.0, 100.0), List.of(200.0, 200.0));
        assertEquals(Verdict.INCONCLUSIVE, c.verdict());
        assertTrue(c.reason().contains("at least 3"), c.reason());
    }

    @Test
    void aLowerThroughputIsASlowdown() {
        Comparison c = compare("thrpt", List.of(1000.0, 1010.0, 990.0), List.of(700.0, 705.0, 695.0));
        assertEquals(Verdict.REGRESSION, c.verdict(), c.reason());
        assertEquals(1000.0 / 700.0, c.ratio(), 0.01);
    }

    @Test
    void theIntervalIsHodgesLehmannsFromTheExactMannWhitneyDistribution() {
        // 4 against 4: P(U <= 0) = 1/70, so the 95% interval is the whole range of the 16 differences (97.1%)
        List<Double> a = List.of(100.0, 104.0, 97.0, 101.0);
        List<Double> b = List.of(110.0, 108.0, 115.0, 112.0);
        Comparison c = compare("avgt", a, b);
        assertEquals(108.0 / 104.0, c.low(), 1e-12);
        assertEquals(115.0 / 97.0, c.high(), 1e-12);
        assertTrue(c.reason().contains("97.1% interval"), c.reason());
    }

    @Test
    void oneForkCaughtInABurstOfOtherWorkDoesNotDecideTheVerdict() {
        // five forks a side; the base's third ran while the machine was swamped
        Comparison c = compare("avgt", List.of(100.0, 101.0, 400.0, 99.0, 100.5), List.of(125.0, 126.0, 124.0, 125.5, 127.0));
        assertEquals(Verdict.REGRESSION, c.verdict(), c.reason());
        Comparison same = compare("avgt", List.of(100.0, 101.0, 400.0, 99.0, 100.5), List.of(100.2, 99.5, 101.0, 100.8, 99.9));
        assertEquals(Verdict.PASS, same.verdict(), same.reason());
    }

    @Test
    void exactMannWhitneyCountsMatchTheTables() {
        // m = n = 5: 252 arrangements; U = 0, 1, 2, 3 in 1, 1, 2, 3 of them
        double[] cdf = MannWhitney.cdf(5, 5);
        assertEquals(26, cdf.length);
        assertEquals(1 / 252.0, cdf[0], 1e-15);
        assertEquals(7 / 252.0, cdf[3], 1e-15);
        assertEquals(1.0, cdf[25], 1e-15);
        assertEquals(3, MannWhitney.ranksInside(5, 5, 0.95));
        assertEquals(1 - 8 / 252.0, MannWhitney.coverage(5, 5, 3), 1e-15);
        assertEquals(1, MannWhitney.ranksInside(3, 3, 0.95), "3 against 3 allow 90% at most: the whole range");
        assertEquals(0.9, MannWhitney.coverage(3, 3, 1), 1e-15);
        // m = 4, n = 6: the two-sided 5% critical value of U is 2 (P(U <= 2) = 4/210)
        assertEquals(3, MannWhitney.ranksInside(4, 6, 0.95));
        assertThrows(IllegalArgumentException.class, () -> MannWhitney.cdf(0, 3));
    }

    @Test
    void badSettingsAreRefusedWithTheirValue() {
        ForkScores.Figure f = figure("avgt", List.of(1.0, 1.0, 1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Comparison.of(f, f, -1, 0.95));
        assertTrue(e.getMessage().contains("threshold") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Comparison.of(f, f, 0.1, 1.5));
        assertTrue(e.getMessage().contains("confidence") && e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void overallVerdictIsTheWorstFigure() {
        Comparison pass = compare("avgt", List.of(100.0, 101.0, 99.0), List.of(100.0, 101.0, 99.0));
        Comparison slow = compare("avgt", List.of(100.0, 101.0, 99.0), List.of(150.0, 151.0, 149.0));
        Comparison unsure = compare("avgt", List.of(100.0, 70.0, 130.0), List.of(150.0, 90.0, 120.0));
        assertEquals(Verdict.PASS, Verdict.overall(List.of(pass, pass)));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.overall(List.of(pass, unsure)));
        assertEquals(Verdict.REGRESSION, Verdict.overall(List.of(pass, unsure, slow)));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.overall(List.of()), "nothing compared proves nothing");
        assertEquals(0, Verdict.PASS.exitStatus());
        assertEquals(1, Verdict.REGRESSION.exitStatus());
        assertEquals(3, Verdict.INCONCLUSIVE.exitStatus());
    }

    private static Comparison compare(String mode, List<Double> base, List<Double> cand) {
        return Comparison.of(figure(mode, base), figure(mode, cand), THRESHOLD, 0.95);
    }

    static ForkScores.Figure figure(String mode, List<Double> scores) {
        return new ForkScores.Figure("SigchldBenchmark.sigchld:children=100,watcher=safe", mode,
                "thrpt".equals(mode) ? "ops/s" : "us/op", new ArrayList<>(scores), new ArrayList<>());
    }
}
