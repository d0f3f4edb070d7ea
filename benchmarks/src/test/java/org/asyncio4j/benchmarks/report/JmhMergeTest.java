package org.asyncio4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhMergeTest {

    private static String fragment() throws IOException {
        return new String(JmhMergeTest.class.getResourceAsStream("jmh-fragment.json").readAllBytes(),
                StandardCharsets.UTF_8);
    }

    @Test
    void keepsEveryRowOfEveryGroupAndSkipsAMissingOne(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a.json"), fragment());
        Path empty = Files.writeString(dir.resolve("empty.json"), "[ ]\n");
        Path out = dir.resolve("merged.json");
        int rows = JmhMerge.merge(out, List.of(a, dir.resolve("missing.json"), empty, a));
        assertEquals(6, rows);
        JmhResults merged = JmhResults.read(out);
        assertEquals(6, merged.all().size());
        assertEquals(JmhResults.parse(fragment()).all().get(0).key(), merged.all().get(3).key());
    }

    @Test
    void refusesAFileThatIsNotAJmhResultArray(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"tool\": \"c\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmhMerge.merge(dir.resolve("out.json"), List.of(bad)));
        assertEquals(true, e.getMessage().contains("bad.json"), e.getMessage());
    }
}
