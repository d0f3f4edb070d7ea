package org.asyncio4j.proactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.unix.SafeChildWatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proactor policy: per-thread ProactorEventLoops, main-thread auto-creation, and child watchers managed as
 * by the Unix default policy, so that {@code subprocessExec} works on a proactor loop with real children.
 * The test's own thread plays the main thread ({@code isMainThread} overridden), since JUnit may run tests
 * elsewhere. The class timeout is a safety net for a lost wake-up.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProactorEventLoopPolicyTest {
    private ProactorEventLoopPolicy policy;

    @BeforeAll
    static void createTheJdksProcessWideDescriptors() {
        NioWarmUp.once();
    }

    @AfterEach
    void restoreTheDefaultPolicy() {
        EventLoops.setEventLoopPolicy(null);
    }

    /** A policy whose main thread is the calling thread. */
    private static ProactorEventLoopPolicy policyWithThisThreadAsMain() {
        Thread main = Thread.currentThread();
        return new ProactorEventLoopPolicy() {
            @Override
            protected boolean isMainThread(Thread thread) {
                return thread == main;
            }
        };
    }

    @Test
    @DisplayName("POL-08 newEventLoop returns a distinct, open, idle ProactorEventLoop that is not made current")
    void newEventLoopIsAProactor() {
        policy = policyWithThisThreadAsMain();
        EventLoop a = policy.newEventLoop();
        EventLoop b = policy.newEventLoop();
        try {
            assertInstanceOf(ProactorEventLoop.class, a);
            assertNotSame(a, b);
            assertFalse(a.isClosed() || a.isRunning());
            policy.setEventLoop(null);
            assertThrows(IllegalStateException.class, policy::getEventLoop);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    @DisplayName("POL-11 POL-29 the main thread's getEventLoop auto-creates one ProactorEventLoop, attaching the held watcher")
    void mainThreadAutoCreatesAProactor() {
        policy = policyWithThisThreadAsMain();
        ChildWatcher watcher = policy.getChildWatcher(); // held before the loop exists: not active yet
        assertFalse(watcher.isActive());
        EventLoop loop = policy.getEventLoop();
        try {
            assertInstanceOf(ProactorEventLoop.class, loop);
            assertSame(loop, policy.getEventLoop());
            assertInstanceOf(SafeChildWatcher.class, watcher);
            // SafeChildWatcher is active while its attached loop runs (WCH-06)
            boolean active = whileRunning(loop, watcher::isActive);
            assertTrue(active, "auto-creation did not attach the watcher");
        } finally {
            policy.setChildWatcher(null);
            loop.close();
        }
    }

    @Test
    @DisplayName("POL-09 POL-10 POL-12 loops are per thread; another thread has none and is told so")
    void loopsArePerThread() throws Exception {
        policy = policyWithThisThreadAsMain();
        EventLoop mine = policy.newEventLoop();
        EventLoop theirs = policy.newEventLoop();
        try {
            policy.setEventLoop(mine);
            AtomicReference<Object> seen = new AtomicReference<>();
            AtomicReference<Object> afterSet = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    seen.set(policy.getEventLoop());
                } catch (IllegalStateException e) {
                    seen.set(e.getMessage());
                }
                policy.setEventLoop(theirs);
                afterSet.set(policy.getEventLoop());
            }, "proactor-policy-other");
            other.start();
            other.join();
            assertEquals("There is no current event loop in thread 'proactor-policy-other'.", seen.get());
            assertSame(theirs, afterSet.get());
            assertSame(mine, policy.getEventLoop());
        } finally {
            mine.close();
            theirs.close();
        }
    }

    @Test
    @DisplayName("POL-31 POL-32 subprocessExec on a proactor loop: a real child, watched by the policy's SafeChildWatcher")
    void subprocessExecRunsARealChild() {
        policy = policyWithThisThreadAsMain();
        EventLoops.setEventLoopPolicy(policy);
        EventLoop loop = policy.getEventLoop();
        policy.getChildWatcher(); // created and attached to the main thread's proactor loop
        try {
            Subprocess child = whileRunning(loop, () -> loop.subprocessExec(List.of("/bin/sh", "-c", "exit 3"), null));
            assertEquals(3, loop.runUntilComplete(child.onExit()));
            assertEquals(3, child.returnCode());

            Subprocess quiet = whileRunning(loop, () -> loop.subprocessShell("exit 4",
                    SubprocessOptions.builder().stdout(Redirect.DEVNULL).build()));
            ProcessOutput out = loop.runUntilComplete(quiet.communicate(null));
            assertEquals(4, out.returnCode());
        } finally {
            policy.setChildWatcher(null);
            loop.close();
        }
    }

    @Test
    @DisplayName("PROACTOR-IO communicate pumps stdin, stdout and stderr on a proactor loop without losing a byte")
    void communicateWithPipes() throws Exception {
        policy = policyWithThisThreadAsMain();
        EventLoops.setEventLoopPolicy(policy);
        EventLoop loop = policy.getEventLoop();
        policy.getChildWatcher();
        byte[] input = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(input);
        try {
            Subprocess child = whileRunning(loop, () -> loop.subprocessShell("tee /dev/stderr",
                    SubprocessOptions.builder().stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
            ProcessOutput out = loop.runUntilComplete(child.communicate(input));
            assertEquals(0, out.returnCode());
            assertArrayEquals(input, out.stdout());
            assertArrayEquals(input, out.stderr());
            assertTrue(child.stdin().isClosing(), "communicate closed stdin");
            assertTrue(child.stdout().atEof(), "communicate read stdout to its end");
        } finally {
            policy.setChildWatcher(null);
            loop.close();
        }
    }

    @Test
    @DisplayName("POL-31 a missing program fails the future with FileNotFoundException, as on the selector loop")
    void missingProgramFailsTheFuture() {
        policy = policyWithThisThreadAsMain();
        EventLoops.setEventLoopPolicy(policy);
        EventLoop loop = policy.getEventLoop();
        policy.getChildWatcher();
        try {
            Throwable failure = whileRunning(loop,
                    () -> loop.subprocessExec(List.of("/nonexistent/asyncio4j-proactor"), null).exception());
            assertInstanceOf(FileNotFoundException.class, failure);
        } finally {
            policy.setChildWatcher(null);
            loop.close();
        }
    }

    /**
     * Calls {@code action} from a callback of the running loop (the watcher is active only then) and returns
     * its value, unwrapping a future: the future's result, once the loop has completed it.
     */
    @SuppressWarnings("unchecked")
    private static <T> T whileRunning(EventLoop loop, Supplier<?> action) {
        AsyncFuture<Object> called = loop.createFuture();
        loop.callSoon(() -> {
            try {
                called.setResult(action.get());
            } catch (RuntimeException e) {
                called.setException(e);
            }
        });
        Object value = loop.runUntilComplete(called);
        return value instanceof AsyncFuture ? loop.runUntilComplete((AsyncFuture<T>) value) : (T) value;
    }
}
