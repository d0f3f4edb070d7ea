package org.asyncio4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit-latency bands: the range of each percentile across JMH's measurement iterations, read from the
 * per-iteration histograms of a raw JMH JSON file (exit-latency-iterations.json: n=1 has one fork of three
 * iterations, n=100 a single iteration).
 */
class ExitLatencyBandTest {

    private static JmhResults fixture() throws IOException {
        return JmhResults.parse(new String(ExitLatencyBandTest.class.getResourceAsStream("exit-latency-iterations.json")
                .readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void eachIterationsHistogramIsReadAndItsPercentilesGiveTheBand() throws IOException {
        JmhResult three = fixture().find(BenchmarkNames.EXIT_LATENCY, "safe", 1).orElseThrow();
        assertEquals(3, three.iterations().size());
        // iterations: {10,10,10,20}, {12,12,30,30}, {11,11,11,11}; JMH's estimator: position p(n+1)/100
        assertBand(10, 12, three.percentileRangeMicros(0));     // the minima: 10, 12, 11
        assertBand(10, 21, three.percentileRangeMicros(50));    // position 2.5: 10, 12 + 0.5 * 18 = 21, 11
        assertBand(11, 30, three.percentileRangeMicros(90));    // position 4.5, past the last: the maxima
        assertBand(11, 30, three.percentileRangeMicros(100));   // the maxima: 20, 30, 11

        JmhResult one = fixture().find(BenchmarkNames.EXIT_LATENCY, "safe", 100).orElseThrow();
        assertEquals(1, one.iterations().size());
        assertNull(one.percentileRangeMicros(50), "one iteration: no range, rather than a band of zero width");
    }

    @Test
    void aHistogramsPercentileInterpolatesBetweenSamplesAsJmhDoes() {
        Histogram h = new Histogram(List.of(new double[] {30, 1}, new double[] {10, 2}, new double[] {20, 1}));
        assertEquals(4, h.size());
        assertEquals(10, h.percentile(0), 0);
        assertEquals(10, h.percentile(20), 0);        // position 1
        assertEquals(15, h.percentile(50), 1e-12);    // position 2.5, between 10 and 20
        assertEquals(28, h.percentile(76), 1e-12);    // position 3.8: 20 + 0.8 * (30 - 20)
        assertEquals(30, h.percentile(100), 0);
        assertTrue(Double.isNaN(new Histogram(List.of()).percentile(50)));
    }

    @Test
    void theChartDrawsABandPerIteratedCurveAndSaysWhatItIs(@TempDir Path dir) throws IOException {
        ReportInputs in = new ReportInputs(fixture(), null, null, List.of());
        Map<String, LineChart> charts = Charts.exitLatency(in);
        charts.get("safe").write(dir, "safe");
        String svg = Files.readString(dir.resolve("safe.svg"));
        assertEquals(2, count(svg, "<polygon"), "one band for n=1 and its legend swatch, none for n=100");
        assertTrue(svg.contains("n=100 p50 50.0 us (1 iteration: no band)"), svg);
        String caption = String.join(" ", svg.lines().filter(l -> l.contains("font-size=\"10.5\""))
                .map(l -> l.substring(l.indexOf('>') + 1, l.lastIndexOf("</text>"))).toList());
        assertEquals("Band: at each percentile, the lowest to highest value of that percentile among the curve's 3 "
                + "JMH measurement iterations (the curve pools all their samples). It shows the spread within one "
                + "run, not between runs.", caption, "the caption under the legend says what a band is");
        charts.get("fast").write(dir, "fast");
        assertFalse(Files.readString(dir.resolve("fast.svg")).contains("<polygon"), "no data, no band");
    }

    @Test
    void aBandWidensTheAxisToShowItAndEveryCurveHasOneBandOrNone(@TempDir Path dir) throws IOException {
        List<LogLogFit.Point> pts = List.of(new LogLogFit.Point(10, 0), new LogLogFit.Point(100, 100));
        List<Series.ErrorBar> bands = List.of(new Series.ErrorBar(5, 12), new Series.ErrorBar(90, 2000));
        new LineChart("t", "us", "percentile", true, false)
                .add(new Series("a", pts, LineChart.PALETTE.get(0), false, true, List.of(), bands)).write(dir, "a");
        String svg = Files.readString(dir.resolve("a.svg"));
        assertTrue(svg.contains(">1k<"), "the x axis reaches the band's 2000: " + svg);
        assertTrue(svg.contains("fill-opacity"), "the band is shaded, the curve drawn over it");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Series("a", pts, LineChart.PALETTE.get(0), false, true, List.of(), bands.subList(0, 1)));
    }

    /** On the committed reference run, pooling each cell's iterations gives back JMH's own percentiles. */
    @Test
    void pooledIterationsReproduceJmhsPercentilesOfTheReferenceRun() throws IOException {
        Path reference = Path.of("..", "reports", "jmh-result.json");
        assumeTrue(Files.isRegularFile(reference), "no committed reference run");
        for (JmhResult r : JmhResults.read(reference).of(BenchmarkNames.EXIT_LATENCY)) {
            List<double[]> pooled = new java.util.ArrayList<>();
            r.iterations().forEach(h -> pooled.addAll(h.bins()));
            Histogram all = new Histogram(pooled);
            for (double p : new double[] {0, 50, 90, 99, 99.9, 100}) {
                double jmh = r.percentileMicros(p);
                assertEquals(jmh, Units.toMicros(all.percentile(p), r.primary().unit()), Math.abs(jmh) * 1e-9,
                        r.key() + " p" + p);
            }
        }
    }

    private static void assertBand(double low, double high, Series.ErrorBar band) {
        assertEquals(low, band.low(), 1e-12, "low");
        assertEquals(high, band.high(), 1e-12, "high");
    }

    private static long count(String text, String needle) {
        return (text.length() - text.replace(needle, "").length()) / needle.length();
    }
}
