package org.asyncio4j.benchmarks.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The judge end to end on raw JMH JSON files as the gate's forks write them (one fork per file). */
class GateTest {

    @Test
    void aSlowerFigureFailsTheGateAndEveryOutputSaysSo(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("--out", dir.resolve("out").toString(), "--title", "test run",
                "--base"));
        for (int f = 0; f < 3; f++) {
            args.add(fork(dir, "base-" + f, 100 + f, 10 + f * 0.1).toString());
        }
        args.add("--candidate");
        for (int f = 0; f < 3; f++) {
            args.add(fork(dir, "cand-" + f, 100.5 - f, 13 + f * 0.1).toString());
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int status = Gate.run(args.toArray(String[]::new), new PrintStream(sink), new PrintStream(sink));
        assertEquals(1, status, sink.toString());
        assertTrue(sink.toString().contains("regression    SigchldBenchmark.sigchld:children=1000,watcher=safe"),
                sink.toString());
        Path out = dir.resolve("out");

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(out.resolve("gate-junit.xml").toFile());
        assertEquals("2", junit.getDocumentElement().getAttribute("tests"));
        assertEquals("1", junit.getDocumentElement().getAttribute("failures"));

        JsonObject verdict = ForkScoresTest.json(out.resolve("gate.json")).getAsJsonObject();
        assertEquals("regression", verdict.get("verdict").getAsString());
        assertEquals(2, verdict.getAsJsonArray("figures").size());

        JsonArray action = ForkScoresTest.json(out.resolve("benchmark-action.json")).getAsJsonArray();
        assertEquals(2, action.size());
        JsonObject first = action.get(0).getAsJsonObject();
        assertTrue(first.has("name") && first.has("unit") && first.has("value"), first.toString());

        JsonArray merged = ForkScoresTest.json(out.resolve("candidate-jmh.json")).getAsJsonArray();
        JsonObject row = merged.get(0).getAsJsonObject();
        assertEquals(3, row.get("forks").getAsInt(), "the three forks merged into one JMH row");
        assertEquals(3, row.getAsJsonObject("primaryMetric").getAsJsonArray("rawData").size());
        ForkScores again = ForkScores.read(List.of(out.resolve("candidate-jmh.json")));
        assertEquals(3, again.figures().get("SigchldBenchmark.sigchld:children=1000,watcher=safe").scores().size(),
                "a merged file is a valid base: its forks are read back one by one");
        assertTrue(Files.readString(out.resolve("gate.md")).contains("test run"));
        assertTrue(Files.readString(out.resolve("gate.json"))
                .contains("\"name\": \"SigchldBenchmark.sigchld:children=1000,watcher=safe\""), "names are written as is");
    }

    @Test
    void missingArgumentsAreAUsageError(@TempDir Path dir) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertEquals(2, Gate.run(new String[] {"--out", dir.toString()}, new PrintStream(sink), new PrintStream(sink)));
        assertTrue(sink.toString().contains("usage: Gate"), sink.toString());
        assertEquals(2, Gate.run(new String[] {"--out", dir.toString(), "--base", dir.resolve("none.json").toString(),
            "--candidate", dir.resolve("none.json").toString()}, new PrintStream(sink), new PrintStream(sink)));
    }

    /** One fork's JMH file: Safe's sweep at n=100 (score a) and n=1000 (score b). */
    private static Path fork(Path dir, String name, double a, double b) throws Exception {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, "[" + ForkScoresTest.row(100, a) + "," + ForkScoresTest.row(1000, b * 40) + "]");
        return file;
    }
}
