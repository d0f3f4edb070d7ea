package org.asyncio4j.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A line chart with linear or logarithmic axes (a logarithmic axis says so in its title), optional error bars
 * or shaded bands, a legend and caption notes under it, drawn onto a {@link Canvas} and written as SVG (a browser, GitHub and any editor show it).
 */
public final class LineChart {

    /** A palette that stays distinguishable in print. */
    public static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0x17becf), new Color(0xbcbd22));

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final double LEFT = 80;
    private static final double RIGHT = 300;
    private static final double TOP = 50;
    private static final double BOTTOM = 60;
    private static final double BAND_OPACITY = 0.18;
    private static final int NOTE_CHARS = 44;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** An empty chart. */
    public LineChart(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    /** Adds a series (points that cannot be drawn on a log axis are dropped). */
    public LineChart add(Series s) {
        List<LogLogFit.Point> usable = new ArrayList<>();
        List<Series.ErrorBar> bars = new ArrayList<>();
        List<Series.ErrorBar> bands = new ArrayList<>();
        for (int i = 0; i < s.points().size(); i++) {
            LogLogFit.Point p = s.points().get(i);
            if (Double.isFinite(p.x()) && Double.isFinite(p.y()) && (!logX || p.x() > 0) && (!logY || p.y() > 0)) {
                usable.add(p);
                if (!s.errors().isEmpty()) {
                    Series.ErrorBar e = s.errors().get(i);
                    double low = Double.isFinite(e.low()) && (!logY || e.low() > 0) ? e.low() : p.y();
                    double high = Double.isFinite(e.high()) ? e.high() : p.y();
                    bars.add(new Series.ErrorBar(Math.min(low, p.y()), Math.max(high, p.y())));
                }
                if (!s.bands().isEmpty()) {
                    Series.ErrorBar b = s.bands().get(i);
                    double low = Double.isFinite(b.low()) && (!logX || b.low() > 0) ? b.low() : p.x();
                    double high = Double.isFinite(b.high()) ? b.high() : p.x();
                    bands.add(new Series.ErrorBar(Math.min(low, p.x()), Math.max(high, p.x())));
                }
            }
        }
        if (!usable.isEmpty()) {
            series.add(new Series(s.name(), usable, s.color(), s.dashed(), s.line(), bars, bands));
        }
        return this;
    }

    /** Adds a line of caption under the legend (what a band or bar means, say). */
    public LineChart note(String text) {
        notes.add(text);
        return this;
    }

    /** Whether no series has any point. */
    public boolean isEmpty() {
        return series.isEmpty();
    }

    /** Writes {@code base}.svg. */
    public void write(Path directory, String base) throws IOException {
        SvgCanvas svg = new SvgCanvas(WIDTH, HEIGHT);
        draw(svg);
        Files.writeString(directory.resolve(base + ".svg"), svg.toSvg());
    }

    /** Draws the whole chart. */
    public void draw(Canvas c) {
        Axis x = axis(true);
        Axis y = axis(false);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        c.text(WIDTH / 2.0, 28, title, 17, Canvas.Anchor.MIDDLE, Color.BLACK, false);
        c.rect(LEFT, TOP, plotW, plotH, Color.DARK_GRAY, null);
        for (double t : x.ticks()) {
            double px = LEFT + x.fraction(t) * plotW;
            c.line(px, TOP, px, TOP + plotH, new Color(0xe0e0e0), 1, false);
            c.text(px, TOP + plotH + 18, label(t), 12, Canvas.Anchor.MIDDLE, Color.BLACK, false);
        }
        for (double t : y.ticks()) {
            double py = TOP + plotH - y.fraction(t) * plotH;
            c.line(LEFT, py, LEFT + plotW, py, new Color(0xe0e0e0), 1, false);
            c.text(LEFT - 6, py + 4, label(t), 12, Canvas.Anchor.END, Color.BLACK, false);
        }
        c.text(LEFT + plotW / 2, HEIGHT - 18, axisLabel(xLabel, logX), 13, Canvas.Anchor.MIDDLE, Color.BLACK, false);
        c.text(22, TOP + plotH / 2, axisLabel(yLabel, logY), 13, Canvas.Anchor.MIDDLE, Color.BLACK, true);
        if (series.isEmpty()) {
            c.text(LEFT + plotW / 2, TOP + plotH / 2, "no data", 16, Canvas.Anchor.MIDDLE, Color.GRAY, false);
        }
        for (Series s : series) {   // bands first, so that every line stays visible on top of them
            if (!s.bands().isEmpty()) {
                int n = s.points().size();
                double[] bx = new double[2 * n];
                double[] by = new double[2 * n];
                for (int i = 0; i < n; i++) {
                    double py = TOP + plotH - y.fraction(s.points().get(i).y()) * plotH;
                    bx[i] = LEFT + x.fraction(s.bands().get(i).low()) * plotW;
                    by[i] = py;
                    bx[2 * n - 1 - i] = LEFT + x.fraction(s.bands().get(i).high()) * plotW;
                    by[2 * n - 1 - i] = py;
                }
                c.polygon(bx, by, s.color(), BAND_OPACITY);
            }
        }
        double legendY = TOP + 8;
        for (Series s : series) {
            double[] xs = new double[s.points().size()];
            double[] ys = new double[s.points().size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = LEFT + x.fraction(s.points().get(i).x()) * plotW;
                ys[i] = TOP + plotH - y.fraction(s.points().get(i).y()) * plotH;
                c.dot(xs[i], ys[i], 3.2, s.color());
                if (!s.errors().isEmpty()) {
                    double top = TOP + plotH - y.fraction(s.errors().get(i).high()) * plotH;
                    double bottom = TOP + plotH - y.fraction(s.errors().get(i).low()) * plotH;
                    c.line(xs[i], top, xs[i], bottom, s.color(), 1.2, false);
                    c.line(xs[i] - 4, top, xs[i] + 4, top, s.color(), 1.2, false);
                    c.line(xs[i] - 4, bottom, xs[i] + 4, bottom, s.color(), 1.2, false);
                }
            }
            if (s.line()) {
                c.polyline(xs, ys, s.color(), 2, s.dashed());
            }
            double lx = WIDTH - RIGHT + 16;
            if (!s.bands().isEmpty()) {
                c.polygon(new double[] {lx, lx + 26, lx + 26, lx}, new double[] {legendY - 5, legendY - 5,
                        legendY + 5, legendY + 5}, s.color(), BAND_OPACITY);
            }
            if (s.line()) {
                c.line(lx, legendY, lx + 26, legendY, s.color(), 2, s.dashed());
            }
            c.dot(lx + 13, legendY, 3.2, s.color());
            c.text(lx + 34, legendY + 4, s.name(), 11.5, Canvas.Anchor.START, Color.BLACK, false);
            legendY += 20;
        }
        for (String note : notes) {
            legendY += 6;
            for (String line : wrap(note, NOTE_CHARS)) {
                c.text(WIDTH - RIGHT + 16, legendY + 4, line, 10.5, Canvas.Anchor.START, Color.DARK_GRAY, false);
                legendY += 15;
            }
        }
    }

    /** Splits text at spaces into lines of at most {@code width} characters (a longer word stays whole). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private Axis axis(boolean horizontal) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (LogLogFit.Point p : s.points()) {
                double v = horizontal ? p.x() : p.y();
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            for (Series.ErrorBar e : horizontal ? s.bands() : s.errors()) {
                min = Math.min(min, e.low());
                max = Math.max(max, e.high());
            }
        }
        boolean log = horizontal ? logX : logY;
        if (min == Double.POSITIVE_INFINITY) {
            min = 1;
            max = 10;
        }
        return log ? Axis.log(min, max) : Axis.linear(min, max);
    }

    /** An axis title that says when the scale is logarithmic: "n children (log)". */
    static String axisLabel(String label, boolean log) {
        return log && !label.endsWith("(log)") ? label + " (log)" : label;
    }

    static String label(double v) {
        double a = Math.abs(v);
        if (a >= 1e6 && a == Math.rint(a)) {
            return Fmt.num(v / 1e6, v % 1e6 == 0 ? 0 : 1) + "M";
        }
        if (a >= 1e3 && a == Math.rint(a)) {
            return Fmt.num(v / 1e3, v % 1e3 == 0 ? 0 : 1) + "k";
        }
        if (a == Math.rint(a)) {
            return Fmt.num(v, 0);
        }
        return a >= 0.1 ? Fmt.num(v, 1) : Fmt.num(v, 3);
    }

    /** Maps data values to [0, 1] and chooses tick values. */
    record Axis(double min, double max, boolean log, List<Double> ticks) {

        static Axis log(double lo, double hi) {
            double min = Math.pow(10, Math.floor(Math.log10(lo)));
            double max = Math.pow(10, Math.ceil(Math.log10(hi)));
            if (max <= min) {
                max = min * 10;
            }
            List<Double> ticks = new ArrayList<>();
            boolean fine = Math.log10(max / min) <= 2;
            for (double d = min; d <= max * 1.0001; d *= 10) {
                ticks.add(d);
                if (fine && d * 10 <= max * 1.0001) {
                    ticks.add(2 * d);
                    ticks.add(5 * d);
                }
            }
            return new Axis(min, max, true, ticks);
        }

        static Axis linear(double lo, double hi) {
            if (hi <= lo) {
                hi = lo + 1;
            }
            double raw = (hi - lo) / 6;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
            double min = Math.floor(lo / step) * step;
            double max = Math.ceil(hi / step) * step;
            List<Double> ticks = new ArrayList<>();
            for (double t = min; t <= max + step / 1e6; t += step) {
                ticks.add(Math.round(t / step) * step);
            }
            return new Axis(min, max, false, ticks);
        }

        double fraction(double v) {
            return log ? Math.log(v / min) / Math.log(max / min) : (v - min) / (max - min);
        }
    }
}
