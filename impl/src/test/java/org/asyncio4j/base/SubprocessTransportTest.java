package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.StreamWriter;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.SubprocessProtocol;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.proactor.ProactorEventLoop;
import org.asyncio4j.support.SubprocessFixture;
import org.asyncio4j.unix.SafeChildWatcher;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Subprocess transports and the stream-based {@link Subprocess} on both loops, with real children, pipes and
 * signals, watched by the policy's {@link SafeChildWatcher}: the SUB rules of the catalogue ({@code conformance/RULES.md}),
 * large outputs, stdin flow control, process groups, pidfd signalling, environment and redirects.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("loops")
class SubprocessTransportTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @RegisterExtension
    final SubprocessFixture<EventLoop> children;
    private final EventLoop loop;

    SubprocessTransportTest(Supplier<EventLoop> loopFactory) {
        this.children = new SubprocessFixture<>(loopFactory.get());
        this.loop = children.loop();
    }

    static Stream<Named<Supplier<EventLoop>>> loops() {
        return Stream.of(
                Named.of("selector", SelectorEventLoop::new),
                Named.of("proactor", ProactorEventLoop::new));
    }

    @AfterEach
    void restoreTheSpawnerDefault() {
        SubprocessSpawner.usePidfd = true;
    }

    // ----- callback order (SUB) ---------------------------------------------------------------------

    @Test
    @DisplayName("SUB-01 SUB-02 connectionMade first and before the future completes; data; connectionLost once, last")
    void callbackOrder() {
        List<String> madeWhenDone = new ArrayList<>();
        TransportAndProtocol<SubprocessTransport, Recorder> tp = run(() -> {
            AsyncFuture<TransportAndProtocol<SubprocessTransport, Recorder>> f = loop.subprocessExec(
                    () -> new Recorder(loop), List.of("/bin/sh", "-c", "echo out; echo err >&2"), pipes(false));
            f.addDoneCallback(done -> madeWhenDone.addAll(done.result().protocol().events));
            return f;
        });
        Recorder r = tp.protocol();
        run(() -> r.lost);
        assertEquals("made", madeWhenDone.get(0), "connectionMade ran before the future's callbacks");
        assertEquals("made", r.events.get(0));
        assertEquals("lost", r.events.get(r.events.size() - 1));
        assertEquals(1, r.events.stream().filter("lost"::equals).count());
        assertTrue(r.events.containsAll(List.of("data:1", "data:2", "pipe-lost:1", "pipe-lost:2", "exited")), r.events.toString());
        assertEquals("out\n", r.out.toString(StandardCharsets.UTF_8));
        assertEquals("err\n", r.err.toString(StandardCharsets.UTF_8));
        assertEquals(0, tp.transport().getReturnCode());
        assertNull(tp.transport().getPipeTransport(0));
        assertNotNull(tp.transport().getPipeTransport(1));
    }

    @Test
    @DisplayName("SUB-03 the child exits before its stdout closes (a grandchild holds it): connectionLost after both")
    void exitBeforeThePipesClose() {
        // The shell exits at once; a background grandchild, reading the stdin pipe through fd 3, keeps stdout open.
        TransportAndProtocol<SubprocessTransport, Recorder> tp = run(() -> loop.subprocessExec(() -> new Recorder(loop),
                List.of("/bin/sh", "-c", "exec 3<&0; (read x <&3; echo late) & exit 0"), pipes(true)));
        Recorder r = tp.protocol();
        run(() -> r.exited);
        assertFalse(r.events.contains("pipe-lost:1"), r.events.toString());
        ((WriteTransport) tp.transport().getPipeTransport(0)).write("go\n".getBytes(StandardCharsets.US_ASCII));
        tp.transport().getPipeTransport(0).close();
        run(() -> r.lost);
        assertTrue(r.events.indexOf("exited") < r.events.indexOf("pipe-lost:1"), r.events.toString());
        assertEquals("lost", r.events.get(r.events.size() - 1));
        assertEquals("late\n", r.out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("SUB-03 the pipes close before the child exits: connectionLost after the exit")
    void exitAfterThePipesClose() {
        TransportAndProtocol<SubprocessTransport, Recorder> tp = run(() -> loop.subprocessExec(() -> new Recorder(loop),
                List.of("/bin/sh", "-c", "exec 1>&- 2>&-; read x; exit 0"), pipes(true)));
        Recorder r = tp.protocol();
        run(() -> r.outputsLost);
        assertNull(tp.transport().getReturnCode());
        assertFalse(r.events.contains("lost"));
        tp.transport().getPipeTransport(0).close(); // the child's read sees end of file and it exits
        run(() -> r.lost);
        assertTrue(r.events.indexOf("pipe-lost:2") < r.events.indexOf("exited"), r.events.toString());
        assertEquals("lost", r.events.get(r.events.size() - 1));
        assertEquals(0, tp.transport().getReturnCode());
    }

    @Test
    @DisplayName("SUB-04 close() closes the pipes and kills a running child; connectionLost follows its exit")
    void closeKillsARunningChild() {
        TransportAndProtocol<SubprocessTransport, Recorder> tp = run(() -> loop.subprocessExec(() -> new Recorder(loop),
                List.of("sleep", "30"), pipes(true)));
        tp.transport().close();
        assertTrue(tp.transport().isClosing());
        run(() -> tp.protocol().lost);
        assertEquals(-9, tp.transport().getReturnCode());
        assertEquals("lost", tp.protocol().events.get(tp.protocol().events.size() - 1));
    }

    // ----- streams ----------------------------------------------------------------------------------------

    @Test
    @DisplayName("SUB-05 8 MiB in, the same 8 MiB out on stdout and stderr at once, through communicate")
    void eightMibOnBothPipesAtOnce() {
        byte[] input = new byte[8 * MIB + 7];
        new Random(13).nextBytes(input);
        Subprocess p = run(() -> loop.subprocessShell("tee /dev/stderr", pipes(true)));
        ProcessOutput out = run(() -> p.communicate(input));
        assertEquals(0, out.returnCode());
        assertArrayEquals(input, out.stdout());
        assertArrayEquals(input, out.stderr());
    }

    @Test
    @DisplayName("SUB-06 stdin with flow control: drain waits while the pipe is full, then completes; nothing is lost")
    void stdinDrainWaitsWhileThePipeIsFull() {
        Subprocess p = run(() -> loop.subprocessExec(List.of("cat"),
                SubprocessOptions.builder().stdin(Redirect.PIPE).stdout(Redirect.PIPE).build()));
        byte[] data = new byte[4 * MIB];
        new Random(7).nextBytes(data);
        StreamWriter stdin = p.stdin();
        AsyncFuture<Void> drained = run(() -> {
            stdin.write(data);
            AsyncFuture<AsyncFuture<Void>> wrapped = loop.createFuture();
            wrapped.setResult(stdin.drain());
            return wrapped;
        });
        // cat cannot take 4 MiB while nobody reads its stdout: the transport holds more than its high-water mark
        assertFalse(drained.done());
        assertTrue(stdin.transport().getWriteBufferSize() > stdin.transport().getWriteBufferLimits().high(),
                "buffered: " + stdin.transport().getWriteBufferSize());
        List<String> order = new ArrayList<>();
        byte[] out = run(() -> {
            drained.addDoneCallback(d -> {
                order.add("drained");
                stdin.close();
            });
            AsyncFuture<byte[]> all = p.stdout().read(-1);
            all.addDoneCallback(d -> order.add("eof"));
            return all;
        });
        assertEquals(List.of("drained", "eof"), order);
        assertArrayEquals(data, out);
        assertEquals(0, run(p::waitFor));
    }

    @Test
    @DisplayName("SUB-07 waitFor closes and reads nothing: the return code, then stdout still readable to its end")
    void waitForClosesNothing() {
        Subprocess p = run(() -> loop.subprocessShell("echo kept; exit 3",
                SubprocessOptions.builder().stdout(Redirect.PIPE).build()));
        assertEquals(3, run(p::waitFor));
        assertEquals("kept\n", new String(run(() -> p.stdout().readLine()), StandardCharsets.UTF_8));
        assertEquals(3, p.returnCode());
        p.close();
    }

    // ----- process groups -------------------------------------------------------------------------------

    @Test
    @DisplayName("SUB-08 waitFor on a read of sh -c 'sleep 30' in a new group times out; killing the group leaves nothing")
    void aTimeoutKillsTheWholeGroup() throws IOException {
        Subprocess p = run(() -> loop.subprocessExec(List.of("/bin/sh", "-c", "sleep 30"),
                SubprocessOptions.builder().stdout(Redirect.PIPE).processGroup(0).build()));
        assertFalse(groupMembers(p.pid()).isEmpty(), "the child leads its own group");
        AsyncFuture<byte[]> line = run(() -> {
            AsyncFuture<AsyncFuture<byte[]>> started = loop.createFuture();
            started.setResult(p.stdout().readLine());
            return started;
        });
        AsyncFuture<byte[]> timed = run(() -> {
            AsyncFuture<AsyncFuture<byte[]>> outcome = loop.createFuture();
            AsyncFuture<byte[]> t = AsyncFutures.waitFor(line, 0.2);
            t.addDoneCallback(done -> outcome.setResult(done));
            return outcome;
        });
        assertInstanceOf(TimeoutException.class, timed.exception());
        assertTrue(line.cancelled());
        assertNull(p.returnCode(), "the child still ran when the wait timed out");
        p.killGroup();
        assertEquals(-9, run(p::waitFor));
        assertEquals(0, run(() -> p.stdout().read(-1)).length, "no member is left to hold stdout open");
        assertEquals(List.of(), groupMembersOnceGone(p.pid()));
    }

    @Test
    @DisplayName("SUB-08 startNewSession leads a group too; a child in our group refuses signalGroup, naming the way out")
    void signalGroupNeedsAGroupLeader() {
        Subprocess session = run(() -> loop.subprocessExec(List.of("sleep", "30"),
                SubprocessOptions.builder().startNewSession(true).build()));
        session.signalGroup(15);
        assertEquals(-15, run(session::waitFor));
        Subprocess plain = run(() -> loop.subprocessExec(List.of("sleep", "30"), null));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> plain.signalGroup(9));
        assertTrue(refused.getMessage().contains("processGroup(0)"), refused.getMessage());
        plain.kill();
        assertEquals(-9, run(plain::waitFor));
        assertThrows(IllegalArgumentException.class,
                () -> SubprocessOptions.builder().startNewSession(true).processGroup(0).build());
    }

    // ----- pidfd -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("SUB-13 each child has a pidfd while it runs, signals go through it, and it is closed at the exit")
    void signalsGoThroughAPidfd() throws IOException {
        assumePidfds();
        Subprocess p = run(() -> loop.subprocessExec(List.of("sleep", "30"), null));
        assertEquals(1, pidfdsOf(p.pid()), "one pidfd for the child");
        p.terminate();
        assertEquals(-15, run(p::waitFor));
        assertEquals(0, pidfdsOf(p.pid()), "closed once reaped");
        p.kill(); // after the reap: a no-op, never a signal to whoever has the pid now
    }

    @Test
    @DisplayName("SUB-13 a loop closed before a child's exit reaches it closes the child's pidfd")
    void closingTheLoopClosesThePidfd() throws IOException {
        assumePidfds();
        Subprocess p = run(() -> loop.subprocessExec(List.of("sleep", "30"), null));
        assertEquals(1, pidfdsOf(p.pid()));
        p.kill();
        loop.close(); // the loop is not running: the exit cannot reach it any more
        assertEquals(0, pidfdsOf(p.pid()));
        Posix.get().waitpid(p.pid(), 0); // nobody else will reap it now
    }

    /**
     * Where the kernel refuses pidfds (before 5.3, some sandboxes) signals go through kill(); this kernel
     * allows them, so the test switch {@code usePidfd} stands in for the refusal.
     */
    @Test
    @DisplayName("SUB-13 without a pidfd (refused by the kernel, forced here by the test switch) signals fall back to kill")
    void signalsFallBackToKill() throws IOException {
        SubprocessSpawner.usePidfd = false;
        Subprocess p = run(() -> loop.subprocessExec(List.of("sleep", "30"), null));
        assertEquals(0, pidfdsOf(p.pid()));
        p.kill();
        assertEquals(-9, run(p::waitFor));
        p.terminate(); // reaped: ignored
    }

    // ----- environment and redirects ---------------------------------------------------------------------

    @Test
    @DisplayName("SUB-10 environment() starts from the JVM's: a change and a removal reach the child; bad entries are named")
    void environmentChangesAndRemovals() {
        SubprocessOptions.Builder b = SubprocessOptions.builder().stdout(Redirect.PIPE);
        b.environment().put("ASYNCIO4J_ADDED", "yes");
        b.environment().remove("HOME");
        assertEquals(System.getenv("PATH"), b.environment().get("PATH"));
        Subprocess p = run(() -> loop.subprocessShell("echo \"$ASYNCIO4J_ADDED ${HOME-unset}\"", b.build()));
        assertEquals("yes unset\n", new String(run(() -> p.communicate(null)).stdout(), StandardCharsets.UTF_8));

        SubprocessOptions.Builder bad = SubprocessOptions.builder();
        bad.environment().put("BAD=KEY", "v");
        assertTrue(assertThrows(IllegalArgumentException.class, bad::build).getMessage().contains("BAD=KEY"));
        SubprocessOptions.Builder nul = SubprocessOptions.builder();
        nul.environment().put("NUL_VALUE", "a\0b");
        assertTrue(assertThrows(IllegalArgumentException.class, nul::build).getMessage().contains("NUL_VALUE"));
    }

    @Test
    @DisplayName("SUB-10 with an environment the program is looked up on the child's PATH, else FileNotFoundException names it")
    void programOnTheChildsPath() throws IOException {
        Path tool = tmp.resolve("asyncio4j-tool");
        Files.writeString(tool, "#!/bin/sh\necho found on the PATH of the child\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        SubprocessOptions.Builder b = SubprocessOptions.builder().stdout(Redirect.PIPE);
        b.environment().put("PATH", tmp + ":/usr/bin:/bin");
        Subprocess p = run(() -> loop.subprocessExec(List.of("asyncio4j-tool"), b.build()));
        ProcessOutput toolOut = run(() -> p.communicate(null));
        assertEquals("found on the PATH of the child\n", new String(toolOut.stdout(), StandardCharsets.UTF_8), "rc " + toolOut.returnCode());

        SubprocessOptions.Builder narrow = SubprocessOptions.builder();
        narrow.environment().put("PATH", tmp.toString());
        Throwable missing = run(() -> {
            AsyncFuture<Throwable> failure = loop.createFuture();
            loop.subprocessExec(List.of("ls"), narrow.build()).addDoneCallback(f -> failure.setResult(f.exception()));
            return failure;
        });
        assertInstanceOf(FileNotFoundException.class, missing);
        assertTrue(missing.getMessage().contains("\"ls\"") && missing.getMessage().contains(tmp.toString()), missing.getMessage());
    }

    @Test
    @DisplayName("SUB-11 redirects: to a file (truncate, append), from a file, to an existing fd")
    void redirects() throws IOException {
        Path out = tmp.resolve("out.txt");
        Files.writeString(out, "old content that must go\n");
        runToExit(List.of("echo", "one"), SubprocessOptions.builder().stdout(Redirect.toFile(out)).build());
        assertEquals("one\n", Files.readString(out));
        runToExit(List.of("/bin/sh", "-c", "echo two >&2"), SubprocessOptions.builder().stderr(Redirect.appendTo(out)).build());
        assertEquals("one\ntwo\n", Files.readString(out));

        Subprocess cat = run(() -> loop.subprocessExec(List.of("cat"),
                SubprocessOptions.builder().stdin(Redirect.fromFile(out)).stdout(Redirect.PIPE).build()));
        assertEquals("one\ntwo\n", new String(run(() -> cat.communicate(null)).stdout(), StandardCharsets.UTF_8));

        Posix posix = Posix.get();
        int[] pipe = posix.pipe();
        boolean writeEndClosed = false; // not "is it open": once closed, its number may be another thread's file
        try {
            runToExit(List.of("echo", "via fd"), SubprocessOptions.builder().stdout(Redirect.fd(pipe[1])).build());
            assertTrue(posix.isOpen(pipe[1]), "the caller's fd stays the caller's");
            posix.close(pipe[1]);
            writeEndClosed = true;
            byte[] buf = new byte[64];
            int n = posix.read(pipe[0], buf, 0, buf.length);
            assertEquals("via fd\n", new String(buf, 0, n, StandardCharsets.UTF_8));
        } finally {
            if (!writeEndClosed) {
                posix.close(pipe[1]);
            }
            posix.close(pipe[0]);
        }
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.builder().stdin(Redirect.toFile(out)));
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.builder().stdout(Redirect.fromFile(out)));
        assertThrows(IllegalArgumentException.class, () -> Redirect.fd(-1));
    }

    // ----- helpers ------------------------------------------------------------------------------------------

    private void runToExit(List<String> argv, SubprocessOptions options) {
        Subprocess p = run(() -> loop.subprocessExec(argv, options));
        assertEquals(0, run(p::waitFor));
    }

    private static SubprocessOptions pipes(boolean withStdin) {
        SubprocessOptions.Builder b = SubprocessOptions.builder().stdout(Redirect.PIPE).stderr(Redirect.PIPE);
        return (withStdin ? b.stdin(Redirect.PIPE) : b).build();
    }

    /** Calls {@code body} inside the running loop (the watcher is active only there) and runs until its future is done. */
    private <T> T run(Supplier<AsyncFuture<T>> body) {
        AsyncFuture<T> outer = loop.createFuture();
        loop.callSoon(() -> {
            try {
                body.get().addDoneCallback(f -> {
                    if (f.cancelled()) {
                        outer.cancel();
                    } else if (f.exception() != null) {
                        outer.setException(f.exception());
                    } else {
                        outer.setResult(f.result());
                    }
                });
            } catch (RuntimeException e) {
                outer.setException(e);
            }
        });
        return loop.runUntilComplete(outer);
    }

    /**
     * {@link #groupMembers}, asked again while members remain, for at most 5 s: a process killed by SIGKILL has
     * closed its descriptors a moment before it leaves the process table.
     */
    private static List<Long> groupMembersOnceGone(long pgid) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Long> members = groupMembers(pgid);
        while (!members.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            members = groupMembers(pgid);
        }
        return members;
    }

    /** The pids whose process group is {@code pgid}, from /proc. */
    private static List<Long> groupMembers(long pgid) throws IOException {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[2]) == pgid && !fields[0].equals("Z")) {
                        members.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // exited while listed
                }
            }
        }
        return members;
    }

    /** How many of this JVM's descriptors are pidfds of {@code pid}. */
    private static int pidfdsOf(long pid) throws IOException {
        int count = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (!Files.readSymbolicLink(fd).toString().equals("anon_inode:[pidfd]")) {
                        continue;
                    }
                    String info = Files.readString(Path.of("/proc/self/fdinfo/" + fd.getFileName()));
                    if (info.contains("\nPid:\t" + pid + "\n")) {
                        count++;
                    }
                } catch (IOException closed) {
                    // closed while listed
                }
            }
        }
        return count;
    }

    private static void assumePidfds() {
        Posix posix = Posix.get();
        try {
            posix.close(posix.pidfdOpen(posix.getpid()));
        } catch (PosixException e) {
            Assumptions.assumeTrue(false, "this kernel refuses pidfds: " + e.getMessage());
        }
    }

    /** Records a subprocess protocol's callbacks in order; consecutive data of one fd folded into one event. */
    static final class Recorder implements SubprocessProtocol {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final AsyncFuture<Void> lost;
        final AsyncFuture<Void> exited;
        final AsyncFuture<Void> outputsLost;
        private int outputsOpen = 2;

        Recorder(EventLoop loop) {
            lost = loop.createFuture();
            exited = loop.createFuture();
            outputsLost = loop.createFuture();
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            events.add("made");
        }

        @Override
        public void pipeDataReceived(int fd, byte[] data) {
            String event = "data:" + fd;
            if (events.isEmpty() || !events.get(events.size() - 1).equals(event)) {
                events.add(event);
            }
            (fd == 1 ? out : err).write(data, 0, data.length);
        }

        @Override
        public void pipeConnectionLost(int fd, Throwable exc) {
            events.add("pipe-lost:" + fd + (exc == null ? "" : ":" + exc.getClass().getSimpleName()));
            if (fd != 0 && --outputsOpen == 0) {
                outputsLost.setResult(null);
            }
        }

        @Override
        public void processExited() {
            events.add("exited");
            exited.setResult(null);
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add(exc == null ? "lost" : "lost:" + exc);
            lost.setResult(null);
        }
    }
}
