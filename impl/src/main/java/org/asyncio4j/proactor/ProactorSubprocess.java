package org.asyncio4j.proactor;

import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.Subprocess;

/**
 * A child started for a {@link ProactorEventLoop} by the Unix launcher: everything but {@link #communicate}
 * is the Unix subprocess's own. {@code communicate} pumps pipes through readiness callbacks
 * ({@code addReader}/{@code addWriter}), which a completion-based loop does not offer, so with a pipe open
 * it is refused up front, before it touches anything; without pipes it only waits for the exit and works.
 */
final class ProactorSubprocess implements Subprocess {
    private final Subprocess process;

    ProactorSubprocess(Subprocess process) {
        this.process = process;
    }

    @Override
    public AsyncFuture<ProcessOutput> communicate(byte[] input) {
        if (process.stdinFd() >= 0 || process.stdoutFd() >= 0 || process.stderrFd() >= 0) {
            throw new UnsupportedOperationException("communicate() with pipes needs addReader/addWriter, which "
                    + "ProactorEventLoop does not provide (it is completion-based); pid " + process.pid()
                    + " has pipes open: read and write them yourself, or use SelectorEventLoop");
        }
        return process.communicate(input);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Integer returnCode() {
        return process.returnCode();
    }

    @Override
    public AsyncFuture<Integer> onExit() {
        return process.onExit();
    }

    @Override
    public void sendSignal(int signum) {
        process.sendSignal(signum);
    }

    @Override
    public void terminate() {
        process.terminate();
    }

    @Override
    public void kill() {
        process.kill();
    }

    @Override
    public int stdinFd() {
        return process.stdinFd();
    }

    @Override
    public int stdoutFd() {
        return process.stdoutFd();
    }

    @Override
    public int stderrFd() {
        return process.stderrFd();
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
