package org.asyncio4j.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins several JMH {@code -rf json} files (one per group of benchmarks, each run with its own parameters)
 * into one result file, keeping every row as JMH wrote it.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.asyncio4j.benchmarks.report.JmhMerge OUT IN...</pre>
 *
 * An input that is missing is skipped with a note (its group failed or was not run); an input that is not a
 * JMH result array is an error (exit status 2).
 */
public final class JmhMerge {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private JmhMerge() {
    }

    /** Merges; exits 0, or 2 on bad arguments, unreadable input or I/O error. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: JmhMerge OUT IN...");
            System.exit(2);
        }
        try {
            List<Path> inputs = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                inputs.add(Path.of(args[i]));
            }
            int rows = merge(Path.of(args[0]), inputs);
            System.out.println("JmhMerge: " + rows + " rows into " + args[0]);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("JmhMerge: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Writes the rows of every existing input to {@code out}; returns the number of rows. */
    public static int merge(Path out, List<Path> inputs) throws IOException {
        JsonArray rows = new JsonArray();
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                System.err.println("JmhMerge: " + in + " not found, skipped");
                continue;
            }
            JsonElement root;
            try (JsonReader reader = new JsonReader(Files.newBufferedReader(in, StandardCharsets.UTF_8))) {
                reader.setStrictness(Strictness.LENIENT);   // JMH writes a bare NaN
                root = JsonParser.parseReader(reader);
                JmhResults.parse(root.toString());   // every row must read as a JMH result
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(in + " is not a JMH JSON result file: " + e.getMessage(), e);
            }
            rows.addAll(root.getAsJsonArray());
        }
        Files.writeString(out, GSON.toJson(rows) + "\n", StandardCharsets.UTF_8);
        return rows.size();
    }
}
