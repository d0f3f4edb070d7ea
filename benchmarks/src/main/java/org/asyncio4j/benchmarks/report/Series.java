package org.asyncio4j.benchmarks.report;

import java.awt.Color;
import java.util.List;

/**
 * One line of a chart.
 *
 * @param name   legend text
 * @param points the data, in drawing order
 * @param color  line and marker colour
 * @param dashed whether the line is dashed (reference series: C, CPython)
 * @param line   whether to join the points (false: markers only)
 * @param errors one error bar per point (the same order), or an empty list for none
 * @param bands  one horizontal extent (low..high in x) per point, drawn as a shaded band through them, or an
 *               empty list for none: for curves whose uncertainty lies along x (a latency at each percentile)
 */
public record Series(String name, List<LogLogFit.Point> points, Color color, boolean dashed, boolean line,
                     List<ErrorBar> errors, List<ErrorBar> bands) {

    /** The extent of one point's uncertainty, in data units (vertical for errors, horizontal for bands). */
    public record ErrorBar(double low, double high) {
    }

    /** Checks that there is one error bar per point, or none. */
    public Series {
        points = List.copyOf(points);
        errors = List.copyOf(errors);
        bands = List.copyOf(bands);
        if (!errors.isEmpty() && errors.size() != points.size()) {
            throw new IllegalArgumentException("errors must have one bar per point (" + points.size() + "), got "
                    + errors.size());
        }
        if (!bands.isEmpty() && bands.size() != points.size()) {
            throw new IllegalArgumentException("bands must have one extent per point (" + points.size() + "), got "
                    + bands.size());
        }
    }

    /** A series with vertical error bars (or none) and no band. */
    public Series(String name, List<LogLogFit.Point> points, Color color, boolean dashed, boolean line,
                  List<ErrorBar> errors) {
        this(name, points, color, dashed, line, errors, List.of());
    }

    /** A series without error bars. */
    public Series(String name, List<LogLogFit.Point> points, Color color, boolean dashed, boolean line) {
        this(name, points, color, dashed, line, List.of());
    }
}
