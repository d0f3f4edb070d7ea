package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's example, run as written: a Runner with the default policy spawns a child and reads its output. */
class ReadmeExampleTest {
    @Test
    void runnerSpawnsAndCommunicates() {
        try {
            ProcessOutput out;
            try (Runner runner = new Runner()) {                  // a policy loop, made current
                Subprocess child = runner.run(loop -> loop.subprocessExec(List.of("uname", "-a"),
                        SubprocessOptions.builder().stdout(SubprocessOptions.Redirect.PIPE).build()));
                out = runner.run(loop -> child.communicate(null));
            }
            assertTrue(new String(out.stdout()).startsWith("Linux"), new String(out.stdout()));
        } finally {
            EventLoops.getEventLoopPolicy().setChildWatcher(null);
            EventLoops.setEventLoopPolicy(null);
        }
    }
}
