package org.asyncio4j.internal.posix;

/**
 * asyncio4j's native signal library ({@code src/main/c/asyncio4j_signals.c}), loaded through
 * {@link Posix#loadSignalLibrary}: a C handler that sets a per-signal pending bit and writes one byte to a
 * wakeup descriptor, and nothing else. The signal package owns the policy (which signals, which thread
 * reads the descriptor); this is only the binding.
 */
public interface SignalLibrary {

    /**
     * Sets the descriptor the handler writes one byte to ({@code -1} for none) and returns the previous
     * one, after waiting for any handler still writing to it: the caller may close it then.
     */
    int setWakeupFd(int fd);

    /**
     * Installs the native handler for {@code signum} ({@code SA_RESTART | SA_SIGINFO}) and keeps the
     * previous disposition.
     *
     * @throws PosixException EINVAL for a bad number, EBUSY if already installed, else sigaction's errno
     */
    void install(int signum);

    /**
     * Puts back the disposition that {@link #install} replaced.
     *
     * @return false if outside code replaced the handler since: its handler is left in place
     * @throws PosixException EINVAL if not installed, else sigaction's errno
     */
    boolean uninstall(int signum);

    /** Takes and clears the pending set in one atomic step: bit {@code signum - 1} for each signal that arrived. */
    long takePending();

    /** How many times the native handler has run in this process (a diagnostic for tests). */
    long deliveries();

    /** Shared by both backends: the C functions' return codes as exceptions. */
    final class Codes {
        private Codes() {}

        /** {@code asyncio4j_sig_install}'s result: 0 or an errno. */
        static void install(int signum, int rc) {
            if (rc != 0) {
                throw new PosixException("asyncio4j_sig_install", rc, "signal " + signum);
            }
        }

        /** {@code asyncio4j_sig_uninstall}'s result: 0, -1 (no longer ours) or an errno. */
        static boolean uninstall(int signum, int rc) {
            if (rc == -1) {
                return false;
            }
            if (rc != 0) {
                throw new PosixException("asyncio4j_sig_uninstall", rc, "signal " + signum);
            }
            return true;
        }
    }
}
