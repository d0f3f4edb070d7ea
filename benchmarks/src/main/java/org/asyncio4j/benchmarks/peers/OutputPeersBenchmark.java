package org.asyncio4j.benchmarks.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spawn + read a child's whole stdout + exit: 1 MiB from {@code head -c 1048576 /dev/zero}, and 64 KiB as
 * 1,000 lines from {@code cat} of a file (asyncio4j: a StreamReader over the pipe, {@code readLine}). The
 * 1 MiB is kept whole by every peer ({@code communicate()}, {@code readAllBytes()}, a ByteArrayOutputStream
 * in NuProcess's handler). Each operation checks what it read, so a peer that loses data fails instead of
 * looking fast.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class OutputPeersBenchmark {
    static final int MIB = 1 << 20;
    static final int LINES = 1000;
    static final List<String> ONE_MIB = List.of("/usr/bin/head", "-c", Integer.toString(MIB), "/dev/zero");

    private Path linesFile;
    private List<String> catLines;

    /** Writes the 64 KiB file of 1,000 lines (536 of 66 bytes, 464 of 65, each with its newline). */
    @Setup(Level.Trial)
    public void writeLines() {
        linesFile = writeLinesFile();
        catLines = List.of("/bin/cat", linesFile.toString());
    }

    /** Deletes the file. */
    @TearDown(Level.Trial)
    public void deleteLines() throws IOException {
        Files.deleteIfExists(linesFile);
    }

    static Path writeLinesFile() {
        StringBuilder text = new StringBuilder(64 * 1024);
        for (int i = 0; i < LINES; i++) {
            int length = i < 536 ? 65 : 64; // without the newline
            text.append("x".repeat(length)).append('\n');
        }
        try {
            Path file = Files.createTempFile("asyncio4j-peers-lines", ".txt");
            Files.writeString(file, text, StandardCharsets.ISO_8859_1);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 1 MiB of stdout read to the end. */
    @Benchmark
    public long read1MiB(PeerState s) {
        return check("bytes", s.it.readAll(ONE_MIB), MIB);
    }

    /** 64 KiB of stdout read as 1,000 lines. */
    @Benchmark
    public long readLines1000(PeerState s) {
        return check("lines", s.it.readLines(catLines), LINES);
    }

    private static long check(String what, long got, long expected) {
        if (got != expected) {
            throw new IllegalStateException("read " + got + " " + what + ", expected " + expected);
        }
        return got;
    }
}
