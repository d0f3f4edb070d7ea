package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoops;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.support.LoopThread;
import org.asyncio4j.support.Loops;
import org.asyncio4j.support.SubprocessFixture;
import org.asyncio4j.testing.ProcessTable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way a spawn can fail completes its future exceptionally with a public exception naming the program
 * and the cause, and releases what it had opened (issue 8, item 1); nothing hangs. Real children, real
 * descriptor exhaustion (the test fills the descriptor table with pipes until EMFILE), a real closed fd.
 */
class SpawnFailureTest {
    @RegisterExtension
    final SubprocessFixture<SelectorEventLoop> children = new SubprocessFixture<>(new SelectorEventLoop());
    private final SelectorEventLoop loop = children.loop();
    private final DefaultEventLoopPolicy policy = children.policy();


    /** Runs the loop until {@code future} is done, or fails after a safety limit instead of hanging. */
    private <T> Throwable failureOf(AsyncFuture<T> future) {
        loop.callLater(Loops.TIMEOUT_SECONDS, loop::stop);
        try {
            loop.runUntilComplete(future);
        } catch (IllegalStateException stoppedFirst) {
            if (!future.done()) {
                throw new AssertionError("the spawn's future never completed", stoppedFirst);
            }
        } catch (Exception expected) {
            // the future's exception, checked below
        }
        assertTrue(future.done());
        Throwable t = future.exception();
        assertTrue(t != null, "the spawn did not fail");
        return t;
    }

    private static SubprocessOptions pipes() {
        return SubprocessOptions.builder().stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.PIPE).build();
    }

    @Test
    @DisplayName("issue 8 NUL in an argument and an empty program are refused at the call, before anything is deferred")
    void badArgvRefusedAtTheCall() {
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> loop.subprocessExec(List.of("/bin/echo", "a\0b"), null));
        assertEquals("argv[1] contains NUL: \"a\\0b\"", nul.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> loop.subprocessExec(List.of("", "x"), null));
        assertEquals("argv[0], the program, must not be empty", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.subprocessShell("echo \0", null));
    }

    @Test
    @DisplayName("issue 8 descriptor exhaustion (EMFILE from pipe2) fails the future with an IOException; no pipe is left open")
    void descriptorExhaustion() {
        // warm up: load every class a spawn and its failure need while files can still be opened
        failureOf(loop.subprocessExec(List.of("/nonexistent/program"), pipes()));
        Set<String> before = Set.copyOf(ProcessTable.leakableFds());
        try (FullDescriptorTable table = new FullDescriptorTable()) {
            table.free(3); // stdin's pipe opens, stdout's cannot
            Throwable t = failureOf(loop.subprocessExec(List.of("/bin/true"), pipes()));
            assertInstanceOf(IOException.class, t);
            assertTrue(t.getMessage().startsWith("Cannot run program \"/bin/true\": pipe2 failed: EMFILE (Too many open files)"),
                    t.getMessage());
        }
        assertEquals(before, Set.copyOf(ProcessTable.leakableFds()));
    }

    @Test
    @DisplayName("issue 8 a passFds entry that is not open fails the future, naming the fd; pipes already opened are closed")
    void badPassFd() {
        int[] pipe = TestChildren.POSIX.pipe();
        TestChildren.POSIX.close(pipe[0]);
        TestChildren.POSIX.close(pipe[1]);
        Throwable t = failureOf(loop.subprocessExec(List.of("/bin/true"),
                SubprocessOptions.builder().stdout(Redirect.PIPE).passFds(pipe[1]).build()));
        assertInstanceOf(IllegalArgumentException.class, t);
        assertEquals("Cannot run program \"/bin/true\": passFds entry " + pipe[1] + " is not an open file descriptor",
                t.getMessage());
    }

    /** A watcher that fails in a way the launcher does not expect. */
    private static final class FailingWatcher implements ChildWatcher {
        private final Throwable failure;

        FailingWatcher(Throwable failure) {
            this.failure = failure;
        }

        @Override public void addChildHandler(long pid, ChildHandler handler) {}
        @Override public boolean removeChildHandler(long pid) { return false; }
        @Override public void attachLoop(org.asyncio4j.EventLoop loop) {}
        @Override public boolean isActive() { return true; }
        @Override public void close() {}

        @Override
        public SpawnScope spawning() {
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            throw (RuntimeException) failure;
        }
    }

    @Test
    @DisplayName("issue 8 any RuntimeException of a deferred spawn completes the future with it")
    void unexpectedRuntimeException() {
        ArithmeticException boom = new ArithmeticException("boom");
        policy.setChildWatcher(new FailingWatcher(boom));
        AsyncFuture<Subprocess> f = loop.subprocessExec(List.of("/bin/true"), pipes());
        assertFalse(f.done(), "deferred to the loop");
        assertEquals(boom, failureOf(f));
    }

    @Test
    @DisplayName("issue 8 an Error of a deferred spawn completes the future, then propagates as Errors do (LOOP-15)")
    void unexpectedError() {
        StackOverflowError boom = new StackOverflowError("boom");
        policy.setChildWatcher(new FailingWatcher(boom));
        AsyncFuture<Subprocess> f = loop.subprocessExec(List.of("/bin/true"), pipes());
        assertEquals(boom, assertThrows(StackOverflowError.class, () -> loop.runUntilComplete(f)));
        // The Error left the loop before the stream layer's callback could pass it on; the next run does.
        assertEquals(boom, assertThrows(StackOverflowError.class, () -> loop.runUntilComplete(f)));
        assertTrue(f.done());
        assertEquals(boom, f.exception());
    }

    @Test
    @DisplayName("issue 8 a watcher set after the loop was created is not attached: the message says to attach it")
    void notActivatedHintAttach() {
        SafeChildWatcher unattached = new SafeChildWatcher();
        policy.setChildWatcher(unattached);
        Throwable t = failureOf(loop.subprocessExec(List.of("/bin/true"), null));
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().startsWith("EventLoops.getChildWatcher() is not activated, subprocess support is not installed. "),
                t.getMessage());
        assertTrue(t.getMessage().contains("is not attached to a loop"), t.getMessage());
        assertTrue(t.getMessage().contains("call watcher.attachLoop(loop)"), t.getMessage());
    }

    @Test
    @DisplayName("issue 8 a loop outside the main thread with Safe attached elsewhere: the message names Threaded and Pidfd")
    void notActivatedHintOtherThread() {
        try (LoopThread other = LoopThread.recordingErrors()) {
            Throwable t = other.call(() -> {
                AsyncFuture<Subprocess> f = other.loop().subprocessExec(List.of("/bin/true"), null);
                return f.exception();
            });
            assertInstanceOf(IllegalStateException.class, t);
            assertTrue(t.getMessage().contains("is attached to " + loop + ", not to " + other.loop()), t.getMessage());
            assertTrue(t.getMessage().contains("use ThreadedChildWatcher or PidfdChildWatcher"), t.getMessage());
        }
    }
}
