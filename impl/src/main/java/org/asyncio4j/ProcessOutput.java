package org.asyncio4j;

import org.jspecify.annotations.Nullable;

/**
 * What {@link Subprocess#communicate(byte[])} collected: the return code and the bytes read from the
 * child's stdout and stderr (empty when not piped).
 *
 * @param returnCode the exit status, or -N if signal N killed the child
 * @param stdout what the child wrote to its stdout pipe; empty when stdout was not piped
 * @param stderr what the child wrote to its stderr pipe; empty when stderr was not piped
 */
public record ProcessOutput(int returnCode, byte[] stdout, byte[] stderr) {
    /**
     * Builds the output; a null stream becomes empty.
     *
     * @param returnCode the exit status, or -N if signal N killed the child
     * @param stdout the bytes read from stdout, or null for none
     * @param stderr the bytes read from stderr, or null for none
     */
    public ProcessOutput(int returnCode, byte @Nullable [] stdout, byte @Nullable [] stderr) {
        this.returnCode = returnCode;
        this.stdout = stdout == null ? new byte[0] : stdout;
        this.stderr = stderr == null ? new byte[0] : stderr;
    }
}
