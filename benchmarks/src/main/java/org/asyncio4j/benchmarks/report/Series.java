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
 */
public record Series(String name, List<LogLogFit.Point> points, Color color, boolean dashed, boolean line,
                     List<ErrorBar> errors) {

    /** The vertical extent of one point's uncertainty, in data units. */
    public record ErrorBar(double low, double high) {
    }

    /** Checks that there is one error bar per point, or none. */
    public Series {
        points = List.copyOf(points);
        errors = List.copyOf(errors);
        if (!errors.isEmpty() && errors.size() != points.size()) {
            throw new IllegalArgumentException("errors must have one bar per point (" + points.size() + "), got "
                    + errors.size());
        }
    }

    /** A series without error bars. */
    public Series(String name, List<LogLogFit.Point> points, Color color, boolean dashed, boolean line) {
        this(name, points, color, dashed, line, List.of());
    }
}
