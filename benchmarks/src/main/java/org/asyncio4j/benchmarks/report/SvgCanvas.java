package org.asyncio4j.benchmarks.report;

import java.awt.Color;
import java.util.Locale;

/** A {@link Canvas} that writes SVG 1.1 by hand. */
public final class SvgCanvas implements Canvas {

    private final StringBuilder body = new StringBuilder();
    private final int width;
    private final int height;

    /** A blank white canvas of this size in pixels. */
    public SvgCanvas(int width, int height) {
        this.width = width;
        this.height = height;
        rect(0, 0, width, height, null, Color.WHITE);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color, double w, boolean dashed) {
        body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" %s/>%n",
                x1, y1, x2, y2, stroke(color, w, dashed)));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color color, double w, boolean dashed) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
        }
        body.append("<polyline fill=\"none\" points=\"").append(pts.toString().trim()).append("\" ")
                .append(stroke(color, w, dashed)).append("/>\n");
    }

    @Override
    public void polygon(double[] xs, double[] ys, Color fill, double opacity) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
        }
        body.append("<polygon points=\"").append(pts.toString().trim()).append("\" fill=\"").append(hex(fill))
                .append(String.format(Locale.ROOT, "\" fill-opacity=\"%.2f\" stroke=\"none\"/>%n", opacity));
    }

    @Override
    public void dot(double x, double y, double r, Color color) {
        body.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n",
                x, y, r, hex(color)));
    }

    @Override
    public void rect(double x, double y, double w, double h, Color stroke, Color fill) {
        body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>%n",
                x, y, w, h, fill == null ? "none" : hex(fill),
                stroke == null ? "" : " stroke=\"" + hex(stroke) + "\""));
    }

    @Override
    public void text(double x, double y, String text, double size, Anchor anchor, Color color, boolean vertical) {
        String a = switch (anchor) {
            case START -> "start";
            case MIDDLE -> "middle";
            case END -> "end";
        };
        String rotate = vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"", x, y) : "";
        body.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"%.1f\" "
                        + "text-anchor=\"%s\" fill=\"%s\"%s>%s</text>%n", x, y, size, a, hex(color), rotate, escape(text)));
    }

    /** The complete SVG document. */
    public String toSvg() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\">\n" + body + "</svg>\n";
    }

    private static String stroke(Color c, double w, boolean dashed) {
        return String.format(Locale.ROOT, "stroke=\"%s\" stroke-width=\"%.1f\"%s", hex(c), w,
                dashed ? " stroke-dasharray=\"6,4\"" : "");
    }

    private static String hex(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
