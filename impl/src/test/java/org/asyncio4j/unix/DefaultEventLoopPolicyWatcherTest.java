package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.Subprocess;
import org.asyncio4j.testing.ProcessTable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link DefaultEventLoopPolicy}'s management of the process's child watcher (POL-22..32, RACE-20, RACE-23),
 * with real loops and watchers. The policy under test treats the test's thread as the main thread
 * ({@code isMainThread} is overridable for exactly this), so the tests do not depend on which thread the
 * runner uses.
 */
class DefaultEventLoopPolicyWatcherTest {
    private final Thread mainThread = Thread.currentThread();
    private final MainThreadPolicy policy = new MainThreadPolicy(mainThread);

    /** The policy under test, whose main thread is the test's thread. */
    private static final class MainThreadPolicy extends DefaultEventLoopPolicy {
        private final Thread mainThread;

        MainThreadPolicy(Thread mainThread) {
            this.mainThread = mainThread;
        }

        @Override
        protected boolean isMainThread(Thread thread) {
            return thread == mainThread;
        }

        @Nullable ChildWatcher held() {
            return currentChildWatcher();
        }
    }
    private final List<EventLoop> loops = new ArrayList<>();

    private SelectorEventLoop newLoop() {
        SelectorEventLoop loop = new SelectorEventLoop();
        loops.add(loop);
        return loop;
    }

    @AfterEach
    void cleanUp() {
        EventLoops.setEventLoopPolicy(null);
        ChildWatcher held = policy.held();
        if (held != null) {
            held.close();
        }
        loops.forEach(EventLoop::close);
    }

    private static EventLoop attachedLoop(ChildWatcher watcher) {
        return ((SignalChildWatcher) watcher).loop();
    }

    @Test
    @DisplayName("POL-22 POL-23 the watcher is a SafeChildWatcher created lazily, the same object afterwards")
    void lazySafeWatcher() {
        assertNull(policy.held(), "nothing created before the first call");
        ChildWatcher first = policy.getChildWatcher();
        assertInstanceOf(SafeChildWatcher.class, first);
        assertSame(first, policy.getChildWatcher());
    }

    @Test
    @DisplayName("POL-22 racing first callers all get one instance")
    void oneInstanceUnderRaces() throws Exception {
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<ChildWatcher> seen = new CopyOnWriteArrayList<>();
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    seen.add(policy.getChildWatcher());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "policy-racer-" + i);
            racers.add(t);
            t.start();
        }
        for (Thread t : racers) {
            t.join();
        }
        assertEquals(threads, seen.size());
        assertTrue(seen.stream().allMatch(w -> w == seen.get(0)), seen::toString);
        assertNull(attachedLoop(seen.get(0)), "created from non-main threads: not attached");
    }

    @Test
    @DisplayName("POL-23 (3.7) created in the main thread, the watcher is attached to the main thread's loop")
    void attachedToMainLoop() {
        SelectorEventLoop main = newLoop();
        policy.setEventLoop(main);
        ChildWatcher watcher = policy.getChildWatcher();
        assertSame(main, attachedLoop(watcher));
    }

    @Test
    @DisplayName("POL-27 RACE-23 setEventLoop in the main thread re-attaches the held watcher; null detaches it")
    void setEventLoopInMainReattaches() {
        SelectorEventLoop first = newLoop();
        policy.setEventLoop(first);
        ChildWatcher watcher = policy.getChildWatcher();
        SelectorEventLoop second = newLoop();
        policy.setEventLoop(second);
        assertSame(second, attachedLoop(watcher));
        policy.setEventLoop(null);
        assertNull(attachedLoop(watcher));
    }

    @Test
    @DisplayName("POL-28 RACE-23 setEventLoop from a worker thread never touches the watcher")
    void setEventLoopInWorkerDoesNotAttach() throws Exception {
        SelectorEventLoop main = newLoop();
        policy.setEventLoop(main);
        ChildWatcher watcher = policy.getChildWatcher();
        SelectorEventLoop workers = newLoop();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                policy.setEventLoop(workers);
                policy.setEventLoop(null);
                policy.setEventLoop(workers);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "policy-worker");
        worker.start();
        worker.join();
        assertNull(failure.get());
        assertSame(main, attachedLoop(watcher));
    }

    @Test
    @DisplayName("POL-29 main-thread auto-creation goes through setEventLoop: the held watcher follows the new loop")
    void autoCreatedLoopAttaches() {
        ChildWatcher watcher = policy.getChildWatcher();
        assertNull(attachedLoop(watcher), "no main loop yet");
        EventLoop created = policy.getEventLoop();
        loops.add(created);
        assertSame(created, attachedLoop(watcher));
    }

    @Test
    @DisplayName("POL-24 setChildWatcher closes the previous watcher and does not attach the new one")
    void setChildWatcherClosesOld() {
        SignalRecordingLoop main = new SignalRecordingLoop();
        loops.add(main);
        policy.setEventLoop(main);
        ChildWatcher old = policy.getChildWatcher();
        assertEquals(List.of("add 17"), main.signalCalls);
        SafeChildWatcher replacement = new SafeChildWatcher();
        policy.setChildWatcher(replacement);
        assertEquals(List.of("add 17", "remove 17"), main.signalCalls, "the old watcher was closed");
        assertNull(attachedLoop(old));
        assertSame(replacement, policy.getChildWatcher());
        assertNull(replacement.loop(), "the new watcher is not attached");
    }

    @Test
    @DisplayName("POL-25 after setChildWatcher(null) the next getChildWatcher creates a new default")
    void nullWatcherMeansFreshDefault() {
        ChildWatcher first = policy.getChildWatcher();
        policy.setChildWatcher(null);
        ChildWatcher second = policy.getChildWatcher();
        assertNotSame(first, second);
        assertInstanceOf(SafeChildWatcher.class, second);
    }

    /** A watcher that records the calls subprocess creation makes on it, delegating to {@code inner}. */
    private static final class CallRecordingWatcher implements ChildWatcher {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final ChildWatcher inner;

        CallRecordingWatcher(ChildWatcher inner) {
            this.inner = inner;
        }

        @Override
        public void addChildHandler(long pid, ChildHandler handler) {
            calls.add("addChildHandler");
            inner.addChildHandler(pid, handler);
        }

        @Override
        public boolean removeChildHandler(long pid) {
            calls.add("removeChildHandler");
            return inner.removeChildHandler(pid);
        }

        @Override
        public void attachLoop(EventLoop loop) {
            inner.attachLoop(loop);
        }

        @Override
        public boolean isActive() {
            calls.add("isActive");
            return inner.isActive();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public SpawnScope spawning() {
            calls.add("spawning");
            SpawnScope scope = inner.spawning();
            return () -> {
                calls.add("close spawning");
                scope.close();
            };
        }
    }

    @Test
    @DisplayName("POL-31 RACE-20 subprocess creation with an inactive watcher fails with 'not activated' and spawns nothing")
    void inactiveWatcherRefusesSubprocess() {
        EventLoops.setEventLoopPolicy(policy);
        SelectorEventLoop loop = newLoop();
        CallRecordingWatcher watcher = new CallRecordingWatcher(new SafeChildWatcher()); // never attached
        policy.setChildWatcher(watcher);
        AsyncFuture<Subprocess> future = loop.subprocessExec(List.of("/bin/sh", "-c", "exit 0"), null);
        assertFalse(future.done(), "the spawn waits for the loop to run, as CPython's coroutine does");
        assertEquals(List.of(), watcher.calls);
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(future));
        assertTrue(error.getMessage().contains("not activated"), error.getMessage());
        assertEquals(List.of("spawning", "isActive", "close spawning"), watcher.calls);
        assertEquals(List.of(), ProcessTable.children(), "nothing was spawned");
    }

    @Test
    @DisplayName("POL-32 subprocess creation spawns and registers inside the watcher's window; the exit reaches the subprocess")
    void registrationInsideWindow() {
        EventLoops.setEventLoopPolicy(policy);
        SelectorEventLoop loop = newLoop();
        policy.setEventLoop(loop);
        CallRecordingWatcher watcher = new CallRecordingWatcher(new FastChildWatcher());
        policy.setChildWatcher(watcher);
        watcher.attachLoop(loop);
        AsyncFuture<Integer> exit = loop.createFuture();
        loop.callSoon(() -> {
            try {
                loop.subprocessExec(List.of("/bin/sh", "-c", "exit 9"), null).addDoneCallback(started ->
                        started.result().onExit().addDoneCallback(f -> exit.setResult(f.result())));
            } catch (RuntimeException e) {
                exit.setException(e);
            }
        });
        assertEquals(9, loop.runUntilComplete(exit));
        assertEquals(List.of("spawning", "isActive", "addChildHandler", "close spawning"), watcher.calls);
        assertFalse(watcher.calls.contains("removeChildHandler"));
        assertEquals(List.of(), ProcessTable.children());
    }
}
