package org.asyncio4j;

/** Told when a watched child exits, with CPython's return code (exit status, or -signal; 255 on ECHILD). */
@FunctionalInterface
public interface ChildHandler {
    void childExited(long pid, int returnCode);
}
