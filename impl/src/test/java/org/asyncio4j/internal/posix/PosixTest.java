package org.asyncio4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each backend of the seam ({@link JnrPosix}, and {@code FfmPosix} on Java 22+) against the real
 * kernel: real pipes, epoll and eventfd descriptors and real children. Every test reaps every child it
 * starts (a leftover is killed and reaped, then fails the test) and must leave the pipes and
 * anonymous-inode fds in {@code /proc/self/fd} as it found them.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
class PosixTest {
    private static final int SIGKILL = 9;

    private final Posix posix;
    private final List<Long> children = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();
    private List<String> fdsBefore;

    PosixTest(String backend) {
        this.posix = PosixBackends.named(backend);
    }

    /** jnr everywhere, ffm on Java 22+ (the test fails there if the build left the FFM classes out). */
    static List<String> backends() {
        return PosixBackends.available();
    }

    @BeforeParameterizedClassInvocation
    static void warmUp(String backend) {
        // Loads libc, the spawn attributes and the classes the tests use, so that their fds are
        // open before the first per-test snapshot.
        Posix p = PosixBackends.named(backend);
        long pid = p.spawn(SpawnRequest.builder(List.of("/bin/true")).build());
        p.waitpid(pid, 0);
        assertThrows(PosixException.class, () -> p.waitpid(pid, 0));
    }

    @BeforeEach
    void snapshotFds() throws IOException {
        fdsBefore = openFds(Path.of("/proc/self/fd"));
    }

    @AfterEach
    void reapAndCheckFds() throws IOException {
        List<Long> leftover = List.copyOf(children);
        for (long pid : leftover) {
            posix.kill(pid, SIGKILL);
            posix.waitpid(pid, 0);
        }
        for (int fd : fds) {
            posix.close(fd);
        }
        assertEquals(List.of(), leftover, "children not reaped by the test");
        assertEquals(fdsBefore, openFds(Path.of("/proc/self/fd")), "descriptors leaked");
    }

    @Test
    void theBackendIsTheOneAskedFor() {
        assertTrue(PosixBackends.available().contains(posix.name()), posix.name());
        assertEquals(posix, PosixBackends.named(posix.name()));
    }

    // ----- descriptors -------------------------------------------------------------------------

    @Test
    void openDevNullForReadingAndWriting() {
        int in = track(posix.open("/dev/null", false));
        int out = track(posix.open("/dev/null", true));
        assertEquals(0, posix.read(in, new byte[4], 0, 4));
        assertEquals(3, posix.write(out, new byte[] {1, 2, 3}, 0, 3));
        PosixException e = assertThrows(PosixException.class, () -> posix.write(in, new byte[1], 0, 1));
        assertEquals(PosixException.EBADF, e.errno(), "write to an O_RDONLY fd");
    }

    @Test
    void openOfAMissingPathIsEnoentNamingIt() {
        PosixException e = assertThrows(PosixException.class, () -> posix.open("/nonexistent/asyncio4j", false));
        assertEquals(PosixException.ENOENT, e.errno());
        assertEquals("open", e.call());
        assertTrue(e.getMessage().contains("/nonexistent/asyncio4j"), e.getMessage());
    }

    @Test
    void pipeRoundTripThenEndOfFile() {
        int[] p = track(posix.pipe());
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        assertEquals(5, posix.write(p[1], hello, 0, 5));
        byte[] buf = new byte[16];
        assertEquals(5, posix.read(p[0], buf, 3, 10));
        assertEquals("hello", new String(buf, 3, 5, StandardCharsets.US_ASCII));
        closeTracked(p[1]);
        assertEquals(0, posix.read(p[0], buf, 0, buf.length));
    }

    @Test
    void nonBlockingPipeReportsEagainAsMinusOne() {
        int[] p = track(posix.pipe());
        posix.setNonBlocking(p[0], true);
        posix.setNonBlocking(p[1], true);
        assertEquals(-1, posix.read(p[0], new byte[8], 0, 8));
        byte[] chunk = new byte[4096];
        long written = 0;
        int n;
        while ((n = posix.write(p[1], chunk, 0, chunk.length)) > 0) {
            written += n;
        }
        assertEquals(-1, n);
        assertTrue(written >= 4096, "a pipe holds at least a page");
    }

    @Test
    void isOpenAndCloseOfANonDescriptor() {
        int[] p = posix.pipe();
        assertTrue(posix.isOpen(p[0]));
        posix.close(p[0]);
        posix.close(p[1]);
        assertFalse(posix.isOpen(p[0]));
        // Not p[0] again: another thread may have reused that number by now, and closing it would
        // close that thread's file. No process has this many fds.
        PosixException e = assertThrows(PosixException.class, () -> posix.close(Integer.MAX_VALUE));
        assertEquals(PosixException.EBADF, e.errno());
        assertEquals("close", e.call());
        assertTrue(e.getMessage().contains("EBADF (Bad file descriptor)"), e.getMessage());
    }

    @Test
    void eachThreadSeesItsOwnErrno() throws Exception {
        // Two threads fail different calls at the same time: errno is per thread in C, and each backend
        // must read the value its own call left (FFM captures it into per-thread memory).
        int calls = 5_000;
        CompletableFuture<Void> ebadf = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < calls; i++) {
                assertEquals(PosixException.EBADF, assertThrows(PosixException.class, () -> posix.close(Integer.MAX_VALUE)).errno());
            }
        }, r -> new Thread(r, "ebadf").start());
        CompletableFuture<Void> echild = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < calls; i++) {
                assertEquals(PosixException.ECHILD, assertThrows(PosixException.class, () -> posix.waitpid(1, Posix.WNOHANG)).errno());
            }
        }, r -> new Thread(r, "echild").start());
        ebadf.get(60, TimeUnit.SECONDS);
        echild.get(60, TimeUnit.SECONDS);
    }

    // ----- epoll and eventfd ---------------------------------------------------------------------

    @Test
    void epollReportsAPipeReadableWithItsFd() {
        int ep = track(posix.epollCreate());
        int[] p = track(posix.pipe());
        posix.epollCtl(ep, Posix.EPOLL_CTL_ADD, p[0], Posix.EPOLLIN);
        EpollEvents events = new EpollEvents(4);
        assertEquals(0, posix.epollWait(ep, events, 0));
        posix.write(p[1], new byte[] {1}, 0, 1);
        assertEquals(1, posix.epollWait(ep, events, 1000));
        assertEquals(p[0], events.fd(0));
        assertEquals(Posix.EPOLLIN, events.events(0));
        posix.epollCtl(ep, Posix.EPOLL_CTL_DEL, p[0], 0);
        assertEquals(0, posix.epollWait(ep, events, 0));
    }

    @Test
    void eventfdWakesAnEpollWaitBlockedInAnotherThread() throws Exception {
        int ep = track(posix.epollCreate());
        int efd = track(posix.eventfd());
        posix.epollCtl(ep, Posix.EPOLL_CTL_ADD, efd, Posix.EPOLLIN);
        CompletableFuture<int[]> woken = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            EpollEvents events = new EpollEvents(1);
            int n = posix.epollWait(ep, events, -1);
            woken.complete(new int[] {n, events.fd(0)});
        }, "epoll-waiter");
        waiter.start();
        Thread.sleep(50);
        assertFalse(woken.isDone(), "epoll_wait returned before the signal");
        posix.eventfdSignal(efd);
        posix.eventfdSignal(efd);
        assertArrayEquals(new int[] {1, efd}, woken.get(10, TimeUnit.SECONDS));
        waiter.join();
        assertEquals(2, posix.eventfdDrain(efd));
        assertEquals(0, posix.eventfdDrain(efd));
    }

    @Test
    void epollCtlOnAClosedFdIsEbadf() {
        int ep = track(posix.epollCreate());
        // Not a number just closed: other JVM threads may reuse the lowest free fd at any time, while the
        // kernel hands out a number this high only when all below it are taken.
        int fd = 900;
        while (posix.isOpen(fd)) {
            fd++;
        }
        int closed = fd;
        PosixException e = assertThrows(PosixException.class, () -> posix.epollCtl(ep, Posix.EPOLL_CTL_ADD, closed, Posix.EPOLLIN));
        assertEquals(PosixException.EBADF, e.errno());
        assertEquals("epoll_ctl", e.call());
    }

    @Test
    void epollEventsChecksItsBounds() {
        assertThrows(IllegalArgumentException.class, () -> new EpollEvents(0));
        EpollEvents events = new EpollEvents(2);
        assertEquals(2, events.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> events.fd(2));
        assertThrows(IndexOutOfBoundsException.class, () -> events.events(-1));
    }

    // ----- processes ---------------------------------------------------------------------------

    @Test
    void getpidIsTheJvmsPid() {
        assertEquals(ProcessHandle.current().pid(), posix.getpid());
    }

    @Test
    void waitpidWithWnohangOnARunningChildReturnsZero() {
        long pid = spawn(SpawnRequest.builder(List.of("sleep", "30")));
        assertEquals(0L, posix.waitpid(pid, Posix.WNOHANG));
        posix.kill(pid, SIGKILL);
        reap(pid);
    }

    @Test
    void aChildKilledBySigkillIsReportedSignaled() {
        long pid = spawn(SpawnRequest.builder(List.of("sleep", "30")));
        posix.kill(pid, SIGKILL);
        int status = reap(pid);
        assertTrue(signaled(status), "WIFSIGNALED " + Integer.toHexString(status));
        assertEquals(SIGKILL, status & 0x7f);
    }

    @Test
    void anExitCodeIsReportedExited() {
        long pid = spawn(SpawnRequest.builder(List.of("/bin/sh", "-c", "exit 7")));
        int status = reap(pid);
        assertEquals(0, status & 0x7f, "WIFEXITED");
        assertEquals(7, (status >> 8) & 0xff);
    }

    @Test
    void waitpidOnANonChildIsEchild() {
        PosixException e = assertThrows(PosixException.class, () -> posix.waitpid(1, Posix.WNOHANG));
        assertEquals(PosixException.ECHILD, e.errno());
        assertEquals("waitpid", e.call());
        assertTrue(e.getMessage().contains("ECHILD (No child processes)"), e.getMessage());
    }

    @Test
    void aPidfdBecomesReadableWhenItsChildExits() {
        long pid = spawn(SpawnRequest.builder(List.of("sleep", "30")));
        int pidfd;
        try {
            pidfd = track(posix.pidfdOpen(pid));
        } catch (PosixException e) {
            posix.kill(pid, SIGKILL);
            reap(pid);
            Assumptions.assumeTrue(e.errno() != PosixException.ENOSYS && e.errno() != PosixException.EPERM, e.getMessage());
            throw e;
        }
        int ep = track(posix.epollCreate());
        posix.epollCtl(ep, Posix.EPOLL_CTL_ADD, pidfd, Posix.EPOLLIN);
        EpollEvents events = new EpollEvents(1);
        assertEquals(0, posix.epollWait(ep, events, 0));
        posix.kill(pid, SIGKILL);
        assertEquals(1, posix.epollWait(ep, events, 10_000));
        assertEquals(pidfd, events.fd(0));
        assertTrue(signaled(reap(pid)));
    }

    @Test
    void pidfdSendSignalKillsItsChildAndIsEsrchOnceReaped() {
        long pid = spawn(SpawnRequest.builder(List.of("sleep", "30")));
        int pidfd;
        try {
            pidfd = track(posix.pidfdOpen(pid));
        } catch (PosixException e) {
            posix.kill(pid, SIGKILL);
            reap(pid);
            Assumptions.assumeTrue(e.errno() != PosixException.ENOSYS && e.errno() != PosixException.EPERM, e.getMessage());
            throw e;
        }
        posix.pidfdSendSignal(pidfd, SIGKILL);
        assertTrue(signaled(reap(pid)));
        PosixException afterReap = assertThrows(PosixException.class, () -> posix.pidfdSendSignal(pidfd, SIGKILL));
        assertEquals(PosixException.ESRCH, afterReap.errno());
    }

    @Test
    void openWithFlagsTruncatesAppendsAndCreates(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.txt");
        int fd = track(posix.open(file.toString(), Posix.O_WRONLY | Posix.O_CREAT | Posix.O_TRUNC));
        posix.write(fd, "first\n".getBytes(StandardCharsets.US_ASCII), 0, 6);
        closeTracked(fd);
        fd = track(posix.open(file.toString(), Posix.O_WRONLY | Posix.O_APPEND));
        posix.write(fd, "second\n".getBytes(StandardCharsets.US_ASCII), 0, 7);
        closeTracked(fd);
        assertEquals("first\nsecond\n", Files.readString(file));
        fd = track(posix.open(file.toString(), Posix.O_WRONLY | Posix.O_TRUNC));
        closeTracked(fd);
        assertEquals("", Files.readString(file));
    }

    @Test
    void aNewSessionAndANewProcessGroupAreLedByTheChild() throws IOException {
        Child session = startShellWaitingOnStdin(SpawnRequest.builder(List.of("/bin/sh", "-c", "echo ready; read x || :"))
                .newSession(true));
        try {
            String[] stat = procStat(session.pid);
            assertEquals(String.valueOf(session.pid), stat[4], "pgid");
            assertEquals(String.valueOf(session.pid), stat[5], "sid");
        } finally {
            session.finish();
        }
        Child group = startShellWaitingOnStdin(SpawnRequest.builder(List.of("/bin/sh", "-c", "echo ready; read x || :"))
                .processGroup(0));
        try {
            String[] stat = procStat(group.pid);
            assertEquals(String.valueOf(group.pid), stat[4], "pgid");
            assertEquals(procStat(posix.getpid())[5], stat[5], "sid: the parent's");
        } finally {
            group.finish();
        }
        assertThrows(IllegalArgumentException.class,
                () -> SpawnRequest.builder(List.of("true")).newSession(true).processGroup(0).build());
    }

    /** The fields of {@code /proc/PID/stat} after the command name: [2] is the state, [4] the pgid, [5] the sid. */
    private static String[] procStat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return ("x x " + stat.substring(stat.lastIndexOf(')') + 2)).split(" ");
    }

    // ----- spawn ---------------------------------------------------------------------------------

    @Test
    void aChildHasOnlyFds012AndCleanSignalState() throws IOException {
        Child child = startShellWaitingOnStdin(SpawnRequest.builder(List.of("/bin/sh", "-c", "echo ready; read x || :")));
        try {
            assertEquals(List.of("0", "1", "2"), fdNumbers(child.pid));
            String status = Files.readString(Path.of("/proc/" + child.pid + "/status"));
            assertTrue(status.contains("SigBlk:\t0000000000000000\n"), status);
            assertTrue(status.contains("SigIgn:\t0000000000000000\n"), status);
        } finally {
            child.finish();
        }
    }

    @Test
    void passFdsSurviveAtTheirNumbersAndNothingElse() throws IOException {
        // Several CLOEXEC pipes: their numbers are scattered over the low range, with gaps. bash,
        // not dash, because dash's redirections take single-digit fds only.
        List<int[]> pipes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pipes.add(track(posix.pipe()));
        }
        int a = pipes.get(0)[1];
        int b = pipes.get(3)[0];
        int c = pipes.get(3)[1];
        Child child = startShellWaitingOnStdin(SpawnRequest.builder(List.of("bash", "-c", "echo ready; echo via-pass >&" + a + "; read x || :"))
                .passFds(c, a, b, a));
        try {
            List<String> expected = Stream.of(0, 1, 2, a, b, c).sorted().map(String::valueOf).toList();
            assertEquals(expected, fdNumbers(child.pid));
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + b)),
                    Files.readSymbolicLink(Path.of("/proc/" + child.pid + "/fd/" + b)));
        } finally {
            child.finish();
        }
        closeTracked(a);
        assertEquals("via-pass\n", readAll(pipes.get(0)[0]));
    }

    @Test
    void aMappingFromAParentStandardFdIsNotClobberedByAnEarlierOne() throws IOException {
        // The child's fd 2 comes from the parent's fd 0 while the child's fd 0 is a pipe: dup2
        // onto 0 must not change what fd 2 receives. (Only the links are compared: nothing is
        // written to the test JVM's own standard descriptors.)
        Child child = startShellWaitingOnStdin(SpawnRequest.builder(List.of("/bin/sh", "-c", "echo ready; read x || :")).stderr(0));
        try {
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/0")),
                    Files.readSymbolicLink(Path.of("/proc/" + child.pid + "/fd/2")));
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/0")),
                    Files.readSymbolicLink(Path.of("/proc/" + child.pid + "/fd/0")));
        } finally {
            child.finish();
        }
    }

    @Test
    void stdoutRedirectedToAPipeIsReadByTheParent() {
        int[] out = track(posix.pipe());
        long pid = spawn(SpawnRequest.builder(List.of("echo", "hello from the child")).stdout(out[1]));
        closeTracked(out[1]);
        assertEquals("hello from the child\n", readAll(out[0]));
        assertEquals(0, reap(pid));
    }

    @Test
    void spawnWithCwdAndEnv(@TempDir Path dir) throws IOException {
        Path real = dir.toRealPath();
        int[] out = track(posix.pipe());
        long pid = spawn(SpawnRequest.builder(List.of("/bin/sh", "-c", "pwd; echo \"$GREETING\"; echo \"${HOME-unset}\""))
                .cwd(real.toString())
                .env(List.of("GREETING=grüß dich", "PATH=/usr/bin:/bin"))
                .stdout(out[1]));
        closeTracked(out[1]);
        assertEquals(real + "\ngrüß dich\nunset\n", readAll(out[0]));
        assertEquals(0, reap(pid));
    }

    @Test
    void aNullEnvInheritsTheJvmsEnvironment() {
        int[] out = track(posix.pipe());
        long pid = spawn(SpawnRequest.builder(List.of("/bin/sh", "-c", "echo \"$PATH\"")).stdout(out[1]));
        closeTracked(out[1]);
        assertEquals(System.getenv("PATH") + "\n", readAll(out[0]));
        assertEquals(0, reap(pid));
    }

    @Test
    void aMissingExecutableIsEnoentNamingIt() {
        for (String exe : List.of("no-such-program-asyncio4j", "/nonexistent/asyncio4j")) {
            PosixException e = assertThrows(PosixException.class, () -> posix.spawn(SpawnRequest.builder(List.of(exe, "arg")).build()));
            assertEquals(PosixException.ENOENT, e.errno());
            assertEquals("posix_spawnp", e.call());
            assertTrue(e.getMessage().contains(exe), e.getMessage());
        }
    }

    @Test
    void aClosedPassFdFailsTheSpawn() {
        int[] p = posix.pipe();
        posix.close(p[0]);
        posix.close(p[1]);
        PosixException e = assertThrows(PosixException.class,
                () -> posix.spawn(SpawnRequest.builder(List.of("/bin/true")).passFds(p[1]).build()));
        assertEquals(PosixException.EBADF, e.errno());
    }

    @Test
    void spawnRequestRejectsWhatTheOsCannotTake() {
        assertThrows(IllegalArgumentException.class, () -> SpawnRequest.builder(List.of()));
        assertThrows(IllegalArgumentException.class, () -> SpawnRequest.builder(List.of("a\0b")));
        assertThrows(IllegalArgumentException.class, () -> SpawnRequest.builder(List.of("a")).env(List.of("NOEQUALS")));
        assertThrows(IllegalArgumentException.class, () -> SpawnRequest.builder(List.of("a")).passFds(2));
        assertThrows(IllegalArgumentException.class, () -> SpawnRequest.builder(List.of("a")).stdout(-2));
        assertArrayEquals(new int[] {3, 7}, SpawnRequest.builder(List.of("a")).passFds(7, 3, 7).build().passFds());
    }

    // ----- helpers -------------------------------------------------------------------------------

    /** A shell child blocked reading its stdin pipe after printing "ready" to its stdout pipe. */
    private final class Child {
        final long pid;
        final int stdinWrite;

        Child(long pid, int stdinWrite) {
            this.pid = pid;
            this.stdinWrite = stdinWrite;
        }

        /** Closes the child's stdin so that its {@code read} sees end of file, and reaps it. */
        void finish() {
            closeTracked(stdinWrite);
            assertEquals(0, reap(pid));
        }
    }

    private Child startShellWaitingOnStdin(SpawnRequest.Builder builder) {
        int[] in = track(posix.pipe());
        int[] out = track(posix.pipe());
        long pid = spawn(builder.stdin(in[0]).stdout(out[1]));
        closeTracked(in[0]);
        closeTracked(out[1]);
        byte[] ready = new byte[6];
        int got = 0;
        while (got < ready.length) {
            int n = posix.read(out[0], ready, got, ready.length - got);
            assertTrue(n > 0, "child exited before saying ready");
            got += n;
        }
        assertEquals("ready\n", new String(ready, StandardCharsets.US_ASCII));
        closeTracked(out[0]);
        return new Child(pid, in[1]);
    }

    private long spawn(SpawnRequest.Builder builder) {
        long pid = posix.spawn(builder.build());
        children.add(pid);
        return pid;
    }

    /** Blocks until {@code pid} exits; returns its raw status. */
    private int reap(long pid) {
        long r = posix.waitpid(pid, 0);
        assertEquals(pid, WaitResult.pid(r));
        children.remove(pid);
        return WaitResult.status(r);
    }

    private static boolean signaled(int status) {
        int sig = status & 0x7f;
        return sig != 0 && sig != 0x7f;
    }

    private String readAll(int fd) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        int n;
        while ((n = posix.read(fd, buf, 0, buf.length)) > 0) {
            all.write(buf, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    private int track(int fd) {
        fds.add(fd);
        return fd;
    }

    private int[] track(int[] pair) {
        track(pair[0]);
        track(pair[1]);
        return pair;
    }

    private void closeTracked(int fd) {
        fds.remove(Integer.valueOf(fd));
        posix.close(fd);
    }

    private static List<String> fdNumbers(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.map(p -> p.getFileName().toString()).sorted((x, y) -> Integer.parseInt(x) - Integer.parseInt(y)).toList();
        }
    }

    /**
     * "fd -> target" for each open pipe and anonymous-inode fd (epoll, eventfd, pidfd): every kind
     * this package creates. Other kinds are left out because the JVM's other threads open and close
     * files (jars, reports) at any moment, and the listing itself holds fds on the directory.
     */
    private static List<String> openFds(Path dir) throws IOException {
        List<String> result = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("pipe:") || target.startsWith("anon_inode:")) {
                        result.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException gone) {
                    // closed between the listing and the look
                }
            }
        }
        result.sort(null);
        return result;
    }
}
