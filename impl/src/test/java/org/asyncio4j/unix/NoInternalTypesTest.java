package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoops;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * No public method throws an {@code org.asyncio4j.internal} type, not even as a cause (issue 8, item 7): the
 * failing system-call paths, driven for real where the kernel can be made to fail (descriptor exhaustion, a
 * missing program, a bad descriptor) and through the {@link ScriptedWaiter} seam where it cannot (waitpid
 * fails only for bad options, and only a sandbox refuses pidfd_open).
 */
class NoInternalTypesTest {

    /** Fails if {@code t}, its causes or its suppressed exceptions include an internal type. */
    static void assertPublic(Throwable t) {
        List<Throwable> seen = new ArrayList<>();
        walk(t, seen);
        for (Throwable each : seen) {
            if (each.getClass().getName().startsWith("org.asyncio4j.internal.")) {
                fail("internal type escaped: " + each + " (in " + t + ")");
            }
        }
    }

    private static void walk(Throwable t, List<Throwable> seen) {
        if (t == null || seen.contains(t)) {
            return;
        }
        seen.add(t);
        walk(t.getCause(), seen);
        for (Throwable s : t.getSuppressed()) {
            walk(s, seen);
        }
    }

    private static <T extends Throwable> T assertPublicThrow(Class<T> expected, Executable call) {
        Throwable t = assertThrows(Throwable.class, call);
        assertPublic(t);
        return assertInstanceOf(expected, t);
    }

    @Test
    @DisplayName("issue 8 descriptor exhaustion: a new loop, a spawn and a pidfd registration fail with public types naming EMFILE")
    void descriptorExhaustion() {
        DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();
        SelectorEventLoop loop = new SelectorEventLoop();
        SafeChildWatcher safe = new SafeChildWatcher();
        PidfdChildWatcher pidfd = new PidfdChildWatcher();
        long child = TestChildren.sleeper();
        EventLoops.setEventLoopPolicy(policy);
        try {
            policy.setChildWatcher(safe);
            safe.attachLoop(loop);
            pidfd.attachLoop(loop);
            // warm up the classes each path loads
            new SelectorEventLoop().close();
            Throwable warm = failure(loop, loop.subprocessExec(List.of("/nonexistent/program"), null));
            assertPublic(warm);
            assertInstanceOf(FileNotFoundException.class, warm);
            boolean pidfdSupported = PidfdChildWatcher.isSupported(); // it opens a pidfd: ask while there is room
            FullDescriptorTable table = new FullDescriptorTable();
            try {
                IllegalStateException e = assertPublicThrow(IllegalStateException.class, SelectorEventLoop::new);
                assertTrue(e.getMessage().contains("EMFILE"), e.getMessage());
                Throwable spawn = failure(loop, loop.subprocessExec(List.of("/bin/true"),
                        SubprocessOptions.builder().stdout(Redirect.PIPE).build()));
                assertPublic(spawn);
                assertTrue(spawn.getMessage().contains("EMFILE"), spawn.getMessage());
                if (pidfdSupported) {
                    IllegalStateException p = assertPublicThrow(IllegalStateException.class,
                            () -> pidfd.addChildHandler(child, (pid, rc) -> { }));
                    assertTrue(p.getMessage().contains("EMFILE"), p.getMessage());
                }
            } finally {
                table.close();
            }
        } finally {
            TestChildren.killAndReap(child);
            pidfd.close();
            safe.close();
            loop.close();
            EventLoops.setEventLoopPolicy(null);
        }
    }

    private static Throwable failure(SelectorEventLoop loop, AsyncFuture<Subprocess> f) {
        loop.callLater(Loops.TIMEOUT_SECONDS, loop::stop);
        try {
            loop.runUntilComplete(f);
        } catch (Exception expected) {
            // read below
        }
        assertTrue(f.done(), "the spawn never completed");
        return f.exception();
    }

    @Test
    @DisplayName("issue 8 a descriptor the kernel refuses: addReader throws IllegalArgumentException without an internal cause")
    void badDescriptor() {
        try (SelectorEventLoop loop = new SelectorEventLoop()) {
            int[] pipe = TestChildren.POSIX.pipe();
            TestChildren.POSIX.close(pipe[0]);
            TestChildren.POSIX.close(pipe[1]);
            IllegalArgumentException e = assertPublicThrow(IllegalArgumentException.class, () -> loop.addReader(pipe[0], () -> { }));
            assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
        }
    }

    @Test
    @DisplayName("issue 8 waitpid failing otherwise than ECHILD: Safe, Fast and MultiLoop throw or report IllegalStateException")
    void waitpidFailure() {
        PosixException einval = new PosixException("waitpid", PosixException.EINVAL, null);
        try (LoopThread loopThread = LoopThread.recordingErrors()) {
            ScriptedWaiter script = new ScriptedWaiter();
            script.failWith(einval);
            List<ChildWatcher> watchers = List.of(new SafeChildWatcher(script), new MultiLoopChildWatcher(script));
            for (ChildWatcher w : watchers) {
                try {
                    loopThread.run(() -> w.attachLoop(loopThread.loop()));
                    IllegalStateException e = assertPublicThrow(IllegalStateException.class,
                            () -> loopThread.run(() -> w.addChildHandler(4242, (pid, rc) -> { })));
                    assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
                } finally {
                    loopThread.run(w::close);
                }
            }
            FastChildWatcher fast = new FastChildWatcher(script);
            loopThread.errors.clear();
            try {
                loopThread.run(() -> fast.attachLoop(loopThread.loop())); // its first sweep fails
                loopThread.roundTrip();
                List<Map<String, Object>> reported = loopThread.errorsStartingWith("Unknown exception in SIGCHLD handler");
                assertEquals(1, reported.size(), loopThread.errors.toString());
                Throwable t = (Throwable) reported.get(0).get("exception");
                assertPublic(t);
                assertInstanceOf(IllegalStateException.class, t);
            } finally {
                loopThread.run(fast::close);
            }
        }
    }

    @Test
    @DisplayName("issue 8 pidfd_open failing otherwise than ESRCH, ENOSYS or EPERM: IllegalStateException")
    void pidfdOpenFailure() {
        ScriptedWaiter script = new ScriptedWaiter();
        script.failOpenWith(new PosixException("pidfd_open", 24, null));
        PidfdChildWatcher watcher = new PidfdChildWatcher(script);
        try (SelectorEventLoop loop = new SelectorEventLoop()) {
            watcher.attachLoop(loop);
            assertPublicThrow(IllegalStateException.class, () -> watcher.addChildHandler(4242, (pid, rc) -> { }));
        } finally {
            watcher.close();
        }
    }
}
