package org.asyncio4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The committed reference scores ({@code benchmarks/baseline.json}): by {@link JmhResult#key()},
 * the score, its JMH error and unit. Written with {@code Reports --write-baseline} from a run judged good.
 */
public record Baseline(String description, Map<String, Metric> scores) {

    /** Reads a baseline file; an absent file is an empty baseline. */
    public static Baseline read(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return new Baseline("none", Map.of());
        }
        Object root = Json.parse(Files.readString(file));
        Map<String, Metric> scores = new LinkedHashMap<>();
        Json.object(root, "scores").forEach((k, v) -> scores.put(k, new Metric(Json.number(v, "score"),
                Json.number(v, "error"), Json.string(v, "unit"))));
        return new Baseline(Json.string(root, "description"), scores);
    }

    /** A baseline made of every primary score of a run. */
    public static Baseline of(JmhResults results, String description) {
        Map<String, Metric> scores = new LinkedHashMap<>();
        for (JmhResult r : results.all()) {
            scores.put(r.key(), r.primary());
        }
        return new Baseline(description, scores);
    }

    /** Writes this baseline as JSON. */
    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"description\": ").append(quote(description))
                .append(",\n  \"scores\": {");
        String sep = "\n";
        for (Map.Entry<String, Metric> e : scores.entrySet()) {
            Metric m = e.getValue();
            sb.append(sep).append("    ").append(quote(e.getKey())).append(": {\"score\": ")
                    .append(number(m.score())).append(", \"error\": ").append(number(m.error()))
                    .append(", \"unit\": ").append(quote(m.unit())).append('}');
            sep = ",\n";
        }
        sb.append("\n  }\n}\n");
        Files.writeString(file, sb.toString());
    }

    private static String number(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "\"NaN\"";
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
