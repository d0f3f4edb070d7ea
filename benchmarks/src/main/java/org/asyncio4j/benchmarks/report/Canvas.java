package org.asyncio4j.benchmarks.report;

import java.awt.Color;

/** The few drawing operations a chart needs ({@link SvgCanvas} writes them as SVG text). */
public interface Canvas {

    /** Text anchoring relative to the given x. */
    enum Anchor {
        /** Text starts at x. */
        START,
        /** Text is centred on x. */
        MIDDLE,
        /** Text ends at x. */
        END
    }

    /** A straight line; {@code dashed} draws 6-on 4-off. */
    void line(double x1, double y1, double x2, double y2, Color color, double width, boolean dashed);

    /** A connected line through the points. */
    void polyline(double[] xs, double[] ys, Color color, double width, boolean dashed);

    /** A closed polygon filled with {@code fill} at this opacity (0..1), without outline. */
    void polygon(double[] xs, double[] ys, Color fill, double opacity);

    /** A filled circle. */
    void dot(double x, double y, double radius, Color color);

    /** A rectangle outline, or filled when {@code fill} is not null. */
    void rect(double x, double y, double w, double h, Color stroke, Color fill);

    /** Text with its baseline at y; rotated -90° (reading upwards) when {@code vertical}. */
    void text(double x, double y, String text, double size, Anchor anchor, Color color, boolean vertical);
}
