package org.asyncio4j.internal.signal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the kernel's view of this process's signal dispositions from {@code /proc/self/status}
 * (Linux only).
 *
 * <p>This is the only reliable way to see the disposition the kernel actually holds:
 * {@code sun.misc.Signal.handle} reports what the JVM <em>believes</em> is installed, which is not
 * always what is installed (see {@link SignalDispatcher} on {@code java.lang.ProcessImpl} and on
 * signals ignored under {@code nohup}). The dispatcher uses it to verify an installation; tests and
 * diagnostics use it to check that a handler is in place or gone.
 */
final class ProcSelfStatus {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcSelfStatus() {
    }

    /**
     * The hexadecimal signal mask on line {@code field} of {@code /proc/self/status}, for example
     * {@code "SigCgt"} (caught), {@code "SigIgn"} (ignored), {@code "ShdPnd"} (pending for the process).
     * Bit {@code signum - 1} stands for signal {@code signum}.
     *
     * @return the mask, or empty where the file or the line is missing (not Linux, no procfs)
     */
    static OptionalLong mask(String field) {
        String prefix = field + ":";
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(prefix)) {
                    return OptionalLong.of(Long.parseUnsignedLong(line.substring(prefix.length()).trim(), 16));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /**
     * Whether {@code signum}'s bit is set in mask {@code field}.
     *
     * @return empty where {@code /proc/self/status} cannot be read
     */
    static Optional<Boolean> has(String field, int signum) {
        SignalDispatcher.checkSignalNumber(signum);
        OptionalLong mask = mask(field);
        return mask.isPresent() ? Optional.of((mask.getAsLong() >>> (signum - 1) & 1L) != 0) : Optional.empty();
    }

    /**
     * Whether the kernel holds a handler for {@code signum} ({@code SigCgt}).
     *
     * @return empty where {@code /proc/self/status} cannot be read
     */
    static Optional<Boolean> caught(int signum) {
        return has("SigCgt", signum);
    }
}
