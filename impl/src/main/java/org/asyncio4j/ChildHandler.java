package org.asyncio4j;

/** Told when a watched child exits, with CPython's return code (exit status, or -signal; 255 on ECHILD). */
@FunctionalInterface
public interface ChildHandler {
    /**
     * Called once when the child has exited and been reaped.
     *
     * @param pid the child's process id
     * @param returnCode the exit status, -N if signal N killed it, or 255 when it could not be reaped (ECHILD)
     */
    void childExited(long pid, int returnCode);
}
