package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * asyncio.Runner with loop_factory: the loop it owns, its shutdown, and its use of the policy
 * (POL-08, POL-10, POL-13, LOOP-12, LOOP-45, LOOP-46).
 */
class RunnerTest {

    @BeforeEach
    @AfterEach
    void freshPolicy() {
        EventLoops.setEventLoopPolicy(null);
    }

    @Test
    @DisplayName("LOOP-12 run returns the result of the future main returns, on the runner's loop")
    void runReturnsTheResult() {
        try (Runner runner = new Runner(SelectorEventLoop::new)) {
            AtomicReference<EventLoop> runningIn = new AtomicReference<>();
            Integer answer = runner.run(loop -> {
                AsyncFuture<Integer> f = loop.createFuture();
                loop.callSoon(() -> {
                    runningIn.set(EventLoops.getRunningLoop());
                    f.setResult(42);
                });
                return f;
            });
            assertEquals(42, answer);
            assertSame(runner.getLoop(), runningIn.get());
        }
    }

    @Test
    @DisplayName("LOOP-45 LOOP-46 close waits for the default executor's work, then closes the loop")
    void closeShutsDownTheExecutorAndClosesTheLoop() {
        Runner runner = new Runner(SelectorEventLoop::new);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        runner.run(loop -> {
            loop.runInExecutor(null, () -> {
                worker.set(Thread.currentThread());
                Loops.pause(200);
                finished.set(true);
                return null;
            });
            AsyncFuture<Void> f = loop.createFuture();
            f.setResult(null); // main is done before the executor's work
            return f;
        });
        EventLoop loop = runner.getLoop();
        runner.close();
        assertTrue(finished.get(), "close waited for the executor's work");
        assertTrue(loop.isClosed());
        Loops.join(worker.get());
        runner.close(); // idempotent
    }

    @Test
    @DisplayName("RUNNER (the API) run and getLoop after close say \"Runner is closed\"")
    void closedRunnerRefuses() {
        Runner runner = new Runner(SelectorEventLoop::new);
        runner.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, runner::getLoop);
        assertEquals("Runner is closed", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> runner.run(EventLoop::createFuture));
        assertEquals("Runner is closed", e.getMessage());
    }

    @Test
    @DisplayName("RUNNER (the API) run from inside a running loop is refused and main is not called")
    void runFromARunningLoopIsRefused() {
        try (Runner outer = new Runner(SelectorEventLoop::new); Runner inner = new Runner(SelectorEventLoop::new)) {
            AtomicBoolean mainCalled = new AtomicBoolean();
            IllegalStateException e = outer.run(loop -> {
                AsyncFuture<IllegalStateException> f = loop.createFuture();
                loop.callSoon(() -> f.setResult(assertThrows(IllegalStateException.class,
                        () -> inner.run(l -> {
                            mainCalled.set(true);
                            return l.createFuture();
                        }))));
                return f;
            });
            assertEquals("Runner.run() cannot be called from a running event loop", e.getMessage());
            assertFalse(mainCalled.get());
        }
    }

    @Test
    @DisplayName("POL-10 POL-13 without a factory the policy's new loop is current until close, then unset")
    void policyLoopIsSetAndUnset() {
        EventLoop loop;
        try (Runner runner = new Runner()) {
            loop = runner.getLoop();
            assertSame(loop, EventLoops.getEventLoop());
            Integer seven = runner.run(l -> {
                AsyncFuture<Integer> f = l.createFuture();
                f.setResult(7);
                return f;
            });
            assertEquals(7, seven);
        }
        assertTrue(loop.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, EventLoops::getEventLoop);
        assertTrue(e.getMessage().startsWith("There is no current event loop"), e.getMessage());
    }

    @Test
    @DisplayName("POL-08 with a factory the runner uses it once and leaves the policy's current loop alone")
    void loopFactoryIsUsed() {
        SelectorEventLoop current = new SelectorEventLoop();
        try {
            EventLoops.setEventLoop(current);
            AtomicInteger calls = new AtomicInteger();
            EventLoop loop;
            try (Runner runner = new Runner(() -> {
                calls.incrementAndGet();
                return new SelectorEventLoop();
            })) {
                loop = runner.getLoop();
                assertSame(loop, runner.getLoop());
                runner.run(l -> {
                    AsyncFuture<Void> f = l.createFuture();
                    f.setResult(null);
                    return f;
                });
                assertNotSame(current, loop);
                assertSame(current, EventLoops.getEventLoop());
            }
            assertEquals(1, calls.get());
            assertTrue(loop.isClosed());
            assertFalse(current.isClosed());
            assertSame(current, EventLoops.getEventLoop());
        } finally {
            current.close();
        }
    }

    @Test
    @DisplayName("issue 8 close() from inside run() is refused and leaves the thread's current loop in place")
    void closeInsideRunIsRefused() {
        Runner runner = new Runner();
        try {
            AtomicReference<RuntimeException> refused = new AtomicReference<>();
            runner.run(loop -> {
                AsyncFuture<Void> done = loop.createFuture();
                loop.callSoon(() -> {
                    try {
                        runner.close();
                    } catch (IllegalStateException e) {
                        refused.set(e);
                    }
                    done.setResult(null);
                });
                return done;
            });
            assertEquals("Cannot close a running event loop", refused.get().getMessage());
            assertSame(runner.getLoop(), EventLoops.getEventLoopPolicy().getEventLoop(), "the current loop was cleared");
            assertFalse(runner.getLoop().isClosed());
        } finally {
            runner.close();
        }
    }
}
