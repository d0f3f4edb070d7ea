package org.asyncio4j.pipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.pipes.PipeFixtures.LoopAndPipe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pipe fixture closes only what it still holds. A test that closed an end itself (StreamTest's EOF), or
 * a transport that took one over and closed it, frees the number; the JVM reuses it for the next file it
 * opens (a jar, a directory stream), and a fixture that closed "whatever is open under that number" closed
 * that file under its owner, who later closed the number again: NoLeaks' listing of /proc failed with EBADF.
 */
class LoopAndPipeTest {
    private final Posix posix = Posix.get();

    @Test
    @DisplayName("a pipe end given away whose number now names another file is not closed by the fixture")
    void leavesAReusedNumberAlone() throws Exception {
        LoopAndPipe fixture = new LoopAndPipe();
        int given = fixture.pipe[1];
        posix.close(given); // as StreamTest's feedEof, or a transport closing the end it took over
        int other = openAt(given);
        try {
            fixture.afterEach(null);
            assertEquals("/dev/null", PipeFixtures.target(other), "another file's descriptor " + other + " survives");
            assertFalse(posix.isOpen(fixture.pipe[0]), "the end the test still held is closed");
        } finally {
            if (PipeFixtures.target(other).equals("/dev/null")) { // not closed twice if the fixture closed it
                posix.close(other);
            }
        }
    }

    @Test
    @DisplayName("the ends the test still holds are closed by the fixture")
    void closesTheEndsStillHeld() {
        LoopAndPipe fixture = new LoopAndPipe();
        String pipe = PipeFixtures.target(fixture.pipe[0]);
        assertTrue(pipe.startsWith("pipe:"), pipe);
        fixture.afterEach(null);
        // not "is it closed": another thread may reuse a number at once
        assertFalse(pipe.equals(PipeFixtures.target(fixture.pipe[0])), "read end closed");
        assertFalse(pipe.equals(PipeFixtures.target(fixture.pipe[1])), "write end closed");
    }

    /** Opens /dev/null until the kernel hands out {@code fd} (the lowest free number comes first). */
    private int openAt(int fd) {
        List<Integer> below = new ArrayList<>();
        try {
            while (true) {
                int got = posix.open("/dev/null", false);
                if (got == fd) {
                    return got;
                }
                below.add(got);
                if (got > fd) {
                    throw new AssertionError("fd " + fd + " was taken by another thread meanwhile");
                }
            }
        } finally {
            below.forEach(posix::close);
        }
    }
}
