package org.asyncio4j;

/**
 * What {@link Subprocess#communicate(byte[])} collected: the return code and the bytes read from the
 * child's stdout and stderr (empty when not piped).
 */
public record ProcessOutput(int returnCode, byte[] stdout, byte[] stderr) {
    public ProcessOutput {
        stdout = stdout == null ? new byte[0] : stdout;
        stderr = stderr == null ? new byte[0] : stderr;
    }
}
