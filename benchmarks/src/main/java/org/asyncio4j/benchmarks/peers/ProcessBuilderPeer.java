package org.asyncio4j.benchmarks.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JDK's side: {@link ProcessBuilder#start()}, blocking reads of {@link Process#getInputStream()} and
 * {@link Process#waitFor()}, whose exit notification comes from the JDK's process reaper thread (one per
 * live child).
 */
final class ProcessBuilderPeer implements Peer {
    private final Set<Process> idle = new LinkedHashSet<>();

    @Override
    public void runAll(List<String> argv, int n) {
        List<Process> started = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                started.add(start(new ProcessBuilder(argv)));
            }
            for (Process p : started) {
                waitFor(p);
            }
        } finally {
            started.forEach(ProcessBuilderPeer::killAndReap);
        }
    }

    @Override
    public long readAll(List<String> argv) {
        Process p = start(new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD));
        try (InputStream in = p.getInputStream()) {
            byte[] all = in.readAllBytes(); // kept whole, as communicate() and NuProcessPeer keep it
            waitFor(p);
            return all.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            killAndReap(p);
        }
    }

    @Override
    public int readLines(List<String> argv) {
        Process p = start(new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.ISO_8859_1))) {
            int lines = 0;
            while (in.readLine() != null) {
                lines++;
            }
            waitFor(p);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            killAndReap(p);
        }
    }

    @Override
    public IdleChild spawnIdle() {
        Process p = start(new ProcessBuilder("/bin/cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD));
        idle.add(p);
        return new IdleChild() {
            @Override
            public void kill() {
                p.destroyForcibly();
            }

            @Override
            public int awaitExit() {
                int code = waitFor(p);
                idle.remove(p);
                closeStreams(p);
                return code;
            }
        };
    }

    @Override
    public void close() {
        idle.forEach(Process::destroyForcibly);
        idle.forEach(ProcessBuilderPeer::killAndReap);
        idle.clear();
    }

    private static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int waitFor(Process p) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills {@code p} if it still runs, waits until the JDK has reaped it and closes its streams. */
    private static void killAndReap(Process p) {
        if (p.isAlive()) {
            p.destroyForcibly();
        }
        waitFor(p);
        closeStreams(p);
    }

    private static void closeStreams(Process p) {
        try {
            p.getOutputStream().close();
            p.getInputStream().close();
            p.getErrorStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
