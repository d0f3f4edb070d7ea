package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.support.SubprocessFixture;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subprocessExec}/{@code subprocessShell} on a {@link SelectorEventLoop}, with real children watched by
 * the policy's {@link SafeChildWatcher}: what the child inherits, its redirections, {@code communicate} under
 * load, failures, environment and working directory, signals and the exit (POL-31, POL-32, the Subprocess API).
 */
class UnixSubprocessTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final SubprocessFixture<SelectorEventLoop> children = new SubprocessFixture<>(new SelectorEventLoop());
    private final SelectorEventLoop loop = children.loop();
    private final DefaultEventLoopPolicy policy = children.policy();

    /** Calls {@code body} inside the running loop (the watcher is active only there) and runs until its future is done. */
    private <T> AsyncFuture<T> runUntilDone(Supplier<AsyncFuture<T>> body) {
        AtomicReference<AsyncFuture<T>> result = new AtomicReference<>();
        AsyncFuture<Void> done = loop.createFuture();
        loop.callSoon(() -> {
            try {
                AsyncFuture<T> f = body.get();
                result.set(f);
                f.addDoneCallback(x -> done.setResult(null));
            } catch (RuntimeException e) {
                done.setException(e);
            }
        });
        loop.runUntilComplete(done);
        return result.get();
    }

    private Subprocess exec(SubprocessOptions options, String... argv) {
        return runUntilDone(() -> loop.subprocessExec(List.of(argv), options)).result();
    }

    private int awaitExit(Subprocess p) {
        return runUntilDone(p::onExit).result();
    }

    private ProcessOutput communicate(Subprocess p, byte[] input) {
        return runUntilDone(() -> p.communicate(input)).result();
    }

    private static void awaitExec(long pid, String binary) {
        TestChildren.await("pid " + pid + " to exec " + binary, () -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString().equals(binary);
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static List<Integer> fdsOf(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.map(f -> Integer.parseInt(f.getFileName().toString())).sorted().toList();
        }
    }

    @Test
    @DisplayName("API a child inherits only fds 0, 1, 2 and passFds, with an empty signal mask and default dispositions")
    void childInheritsOnlyWhatItIsGiven() throws IOException {
        int[] pipe = TestChildren.POSIX.pipe();
        try {
            Subprocess p = exec(SubprocessOptions.builder().stdin(Redirect.DEVNULL).passFds(pipe[1]).build(),
                    "/bin/sleep", "1000");
            awaitExec(p.pid(), "/usr/bin/sleep");
            // Right after exec, sleep's own start-up briefly opens files (the locale archive as fd 3). An
            // inherited descriptor stays for the child's whole life; wait for start-up to end, then compare.
            List<Integer> expected = List.of(0, 1, 2, pipe[1]);
            TestChildren.await("pid " + p.pid() + " to finish starting up", () -> {
                try {
                    return fdsOf(p.pid()).equals(expected);
                } catch (IOException gone) {
                    return false;
                }
            });
            assertEquals(expected, fdsOf(p.pid()));
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + pipe[1])),
                    Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/fd/" + pipe[1])));
            String status = Files.readString(Path.of("/proc/" + p.pid() + "/status"));
            assertTrue(status.contains("SigBlk:\t0000000000000000\n"), status);
            assertTrue(status.contains("SigIgn:\t0000000000000000\n"), status);
            p.kill();
            assertEquals(-9, awaitExit(p));
            p.close();
        } finally {
            TestChildren.POSIX.close(pipe[0]);
            TestChildren.POSIX.close(pipe[1]);
        }
    }

    @Test
    @DisplayName("API stdout PIPE and stderr STDOUT: both streams arrive, merged, through one pipe")
    void stderrToStdout() {
        Subprocess p = exec(SubprocessOptions.builder().stdout(Redirect.PIPE).stderr(Redirect.STDOUT).build(),
                "/bin/sh", "-c", "echo out; echo err >&2");
        assertNull(p.stderr());
        ProcessOutput out = communicate(p, null);
        assertEquals("out\nerr\n", new String(out.stdout(), StandardCharsets.UTF_8));
        assertEquals(0, out.stderr().length);
        assertEquals(0, out.returnCode());
    }

    @Test
    @DisplayName("API DEVNULL and INHERIT: the child's fds point at /dev/null and at our own streams")
    void devnullAndInherit() throws IOException {
        Subprocess p = exec(SubprocessOptions.builder().stdin(Redirect.DEVNULL).stdout(Redirect.DEVNULL).build(),
                "/bin/sleep", "1000");
        assertNull(p.stdin());
        assertNull(p.stdout());
        awaitExec(p.pid(), "/usr/bin/sleep");
        assertEquals("/dev/null", Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/fd/0")).toString());
        assertEquals("/dev/null", Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/fd/1")).toString());
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/2")),
                Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/fd/2")));
        p.terminate();
        assertEquals(-15, awaitExit(p));
    }

    @Test
    @DisplayName("API communicate: 24 MiB in, the same 24 MiB out on stdout AND stderr at once, no deadlock, no byte lost")
    void communicateLargeBothWays() throws Exception {
        byte[] input = new byte[24 * 1024 * 1024];
        new Random(42).nextBytes(input);
        Subprocess p = exec(SubprocessOptions.builder().stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.PIPE).build(),
                "/bin/sh", "-c", "tee /dev/stderr");
        ProcessOutput out = communicate(p, input);
        assertEquals(0, out.returnCode());
        assertEquals(input.length, out.stdout().length);
        assertEquals(input.length, out.stderr().length);
        assertEquals(sha256(input), sha256(out.stdout()));
        assertEquals(sha256(input), sha256(out.stderr()));
    }

    @Test
    @DisplayName("API communicate: 32 MiB produced on stdout and stderr at once, with no input")
    void communicateLargeOutputOnly() throws Exception {
        Subprocess p = exec(SubprocessOptions.builder().stdout(Redirect.PIPE).stderr(Redirect.PIPE).build(),
                "/bin/sh", "-c", "head -c 33554432 /dev/urandom | tee /dev/stderr");
        ProcessOutput out = communicate(p, null);
        assertEquals(0, out.returnCode());
        assertEquals(33_554_432, out.stdout().length);
        assertArrayEquals(out.stdout(), out.stderr());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    @DisplayName("API a missing executable fails the future with FileNotFoundException naming it, and spawns nothing")
    void missingExecutable() {
        String missing = "/nonexistent/asyncio4j-no-such-program";
        AsyncFuture<Subprocess> f = runUntilDone(() -> loop.subprocessExec(List.of(missing, "x"), null));
        Throwable e = f.exception();
        assertInstanceOf(FileNotFoundException.class, e);
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertEquals(List.of(), ProcessTable.children());
    }

    @Test
    @DisplayName("API env replaces the environment and cwd sets the working directory")
    void envAndCwd() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("work dir"));
        Subprocess p = exec(SubprocessOptions.builder().stdout(Redirect.PIPE)
                        .env(Map.of("ASYNCIO4J_TEST", "value with spaces")).cwd(dir).build(),
                "/bin/sh", "-c", "echo \"$ASYNCIO4J_TEST\"; pwd; echo \"${HOME:-no home}\"");
        ProcessOutput out = communicate(p, null);
        assertEquals("value with spaces\n" + dir.toRealPath() + "\nno home\n", new String(out.stdout(), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("API returnCode is null while running, then the code; onExit completes with it; signals after the exit are ignored")
    void returnCodeAndOnExit() {
        Subprocess p = exec(SubprocessOptions.builder().stdin(Redirect.PIPE).build(), "/bin/sh", "-c", "read x; exit 42");
        assertNull(p.returnCode());
        assertTrue(!p.onExit().done());
        ProcessOutput out = communicate(p, "go\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(42, out.returnCode());
        assertEquals(42, p.returnCode());
        assertEquals(42, p.onExit().result());
        p.kill(); // reaped: the pid may belong to someone else now, so nothing is sent
        p.sendSignal(Signals.SIGTERM);
    }

    @Test
    @DisplayName("API sendSignal, terminate and kill give -N return codes")
    void signals() {
        Subprocess usr1 = exec(null, "/bin/sleep", "1000");
        Subprocess term = exec(null, "/bin/sleep", "1000");
        Subprocess kill = exec(null, "/bin/sleep", "1000");
        usr1.sendSignal(Signals.SIGUSR1);
        term.terminate();
        kill.kill();
        assertEquals(-10, awaitExit(usr1));
        assertEquals(-15, awaitExit(term));
        assertEquals(-9, awaitExit(kill));
    }

    @Test
    @DisplayName("API subprocessShell runs /bin/sh -c")
    void shell() {
        Subprocess p = runUntilDone(() -> loop.subprocessShell("echo shell $((6 * 7)); exit 4",
                SubprocessOptions.builder().stdout(Redirect.PIPE).build())).result();
        ProcessOutput out = communicate(p, null);
        assertEquals("shell 42\n", new String(out.stdout(), StandardCharsets.UTF_8));
        assertEquals(4, out.returnCode());
    }

    @Test
    @DisplayName("POL-32 other watchers: the same exit through Pidfd and Threaded")
    void otherWatchers() {
        for (ChildWatcher other : List.of(new ThreadedChildWatcher(), new PidfdChildWatcher())) {
            policy.setChildWatcher(other);
            other.attachLoop(loop);
            Subprocess p = exec(null, "/bin/sh", "-c", "exit 17");
            assertEquals(17, awaitExit(p), other.toString());
            other.close();
        }
        policy.setChildWatcher(children.watcher());
    }
}
