package org.asyncio4j.unix;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.internal.posix.PosixException;

/**
 * Test helper: real descriptor exhaustion. Opens /dev/null until the kernel answers EMFILE, so the next
 * descriptor any code asks for fails as it would at the process's limit; {@link #free} makes room for a few,
 * {@link #close()} gives them all back. Load the classes the code under test needs before filling the table:
 * loading a class from a directory opens a file.
 */
public final class FullDescriptorTable implements AutoCloseable {
    private final List<Integer> held = new ArrayList<>();

    /** Opens /dev/null until EMFILE. */
    public FullDescriptorTable() {
        try {
            while (true) {
                held.add(TestChildren.POSIX.open("/dev/null", false));
            }
        } catch (PosixException full) {
            if (!full.getMessage().contains("EMFILE")) {
                close();
                throw new AssertionError("expected EMFILE, got " + full.getMessage());
            }
        }
    }

    /** Releases {@code n} descriptors, so that exactly {@code n} more can be opened. */
    public FullDescriptorTable free(int n) {
        for (int i = 0; i < n; i++) {
            TestChildren.POSIX.close(held.remove(held.size() - 1));
        }
        return this;
    }

    @Override
    public void close() {
        held.forEach(TestChildren.POSIX::close);
        held.clear();
    }
}
