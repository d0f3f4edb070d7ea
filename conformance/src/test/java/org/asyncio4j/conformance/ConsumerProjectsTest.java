package org.asyncio4j.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code README.md} showing exactly what the consumer projects of {@code src/it} build (the invoker
 * plugin builds and runs them in {@code verify}): their dependencies, the surefire configuration and the test
 * classes of the JUnit route. Compared with runs of white space collapsed, since the README indents differently.
 */
class ConsumerProjectsTest {
    private static final Path IT = Path.of("src", "it");

    @Test
    @DisplayName("the README shows the JUnit route's pom snippets and test classes as src/it/junit-route has them")
    void readmeShowsTheJUnitRoute() throws IOException {
        String pom = read(IT.resolve("junit-route/pom.xml"));
        assertShown(between(pom, "<dependencies>", "</dependencies>"), "junit-route's dependencies");
        assertShown(between(pom, "<plugin>\n        <groupId>org.apache.maven.plugins</groupId>\n        <artifactId>maven-surefire-plugin</artifactId>",
                "</plugin>"), "junit-route's surefire plugin");
        for (String test : List.of("ReferencePolicyConformanceTest", "ReferenceLoopConformanceTest", "ReferenceWatcherConformanceTest")) {
            String source = read(IT.resolve("junit-route/src/test/java/com/example/" + test + ".java"));
            assertShown(source.substring(source.indexOf("class " + test)).strip(), test);
        }
    }

    @Test
    @DisplayName("the README shows the dependencies of src/it/certify-slf4j")
    void readmeShowsTheSlf4jProject() throws IOException {
        assertShown(between(read(IT.resolve("certify-slf4j/pom.xml")), "<dependencies>", "</dependencies>"), "certify-slf4j's dependencies");
    }

    private static void assertShown(String snippet, String what) throws IOException {
        String readme = collapse(read(Path.of("README.md")));
        String expected = collapse(snippet.replace("@project.version@", Certify.kitVersion()));
        assertTrue(readme.contains(expected), "README.md does not show " + what + " as the project has it:\n" + snippet);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start);
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "no " + end + " after " + start);
        return text.substring(from, to + end.length());
    }

    private static String collapse(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String read(Path path) throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8);
    }
}
