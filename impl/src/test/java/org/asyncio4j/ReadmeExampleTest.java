package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.api.Test;

/**
 * The README's "Using it" example, run as written: a Runner with the default policy starts a shell in a new
 * process group, reads its first line with a timeout, times out on the second and kills the group. The code
 * between the markers below must be the README's code block, character for character (indentation aside).
 */
class ReadmeExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/org/asyncio4j/ReadmeExampleTest.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void theExampleIsTheReadmesCodeBlock() throws IOException {
        String source = Files.readString(SOURCE);
        String example = source.substring(source.lastIndexOf("// README example begins\n") + "// README example begins\n".length(),
                source.lastIndexOf("            // README example ends"));
        String readme = Files.readString(README);
        int start = readme.indexOf("```java\n", readme.indexOf("## Using it")) + "```java\n".length();
        String block = readme.substring(start, readme.indexOf("```\n", start));
        assertEquals(unindent(block), unindent(example));
    }

    @Test
    void theExampleReadsALineTimesOutAndKillsTheGroup() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // README example begins
            try (Runner runner = new Runner()) {                  // a loop from the policy, made current
                Subprocess child = runner.run(loop -> loop.subprocessShell("echo ready; sleep 30",
                        SubprocessOptions.builder().stdout(Redirect.PIPE).processGroup(0).build()));
                byte[] line = runner.run(loop -> AsyncFutures.waitFor(child.stdout().readLine(), 5.0));
                System.out.print(new String(line));               // ready
                try {
                    runner.run(loop -> AsyncFutures.waitFor(child.stdout().readLine(), 0.5));
                } catch (CompletionException timedOut) {          // its cause: a TimeoutException
                    child.killGroup();                            // the shell and its sleep, not the shell alone
                }
                System.out.println("exit " + runner.run(loop -> child.waitFor()));   // exit -9
            }
            // README example ends
        } finally {
            System.setOut(stdout);
            EventLoops.getEventLoopPolicy().setChildWatcher(null);
            EventLoops.setEventLoopPolicy(null);
        }
        assertEquals("ready\nexit -9\n", printed.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), ProcessTable.children());
    }

    private static String unindent(String code) {
        List<String> lines = code.lines().collect(Collectors.toList());
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .collect(Collectors.joining("\n"));
    }
}
