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
 */
public record Series(String name, List<LogLogFit.Point> points, Color color, boolean dashed, boolean line) {
}
