package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.support.Loops;
import org.asyncio4j.testing.LogCapture;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The global policy accessors and the default policy's per-thread loops (POL-01..15, POL-21), on the real
 * {@link DefaultEventLoopPolicy} (loop side only: the child-watcher rules are tested elsewhere).
 */
class EventLoopPolicyTest {
    /** Loops a test created, closed after it. */
    private final List<EventLoop> created = new ArrayList<>();

    /** The default policy, counting the loops it creates and recording setEventLoop calls. */
    private final class CountingPolicy extends DefaultEventLoopPolicy {
        final List<EventLoop> setCalls = new ArrayList<>();

        @Override
        protected EventLoop createEventLoop() {
            EventLoop loop = super.createEventLoop();
            created.add(loop);
            return loop;
        }

        @Override
        public void setEventLoop(EventLoop loop) {
            setCalls.add(loop);
            super.setEventLoop(loop);
        }

        boolean main() {
            return isMainThread(Thread.currentThread());
        }
    }

    @BeforeEach
    void freshPolicy() {
        EventLoops.setEventLoopPolicy(null);
    }

    @AfterEach
    void restore() {
        EventLoops.setEventLoopPolicy(null);
        created.forEach(EventLoop::close);
    }

    private SelectorEventLoop newLoop() {
        SelectorEventLoop loop = new SelectorEventLoop();
        created.add(loop);
        return loop;
    }

    /** Runs {@code body} in a new thread named {@code name} and returns what it threw, or null. */
    private static Throwable inThread(String name, Runnable body) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, name);
        t.start();
        Loops.join(t);
        return thrown.get();
    }

    @Test
    @DisplayName("POL-01 the first getEventLoopPolicy creates one DefaultEventLoopPolicy, even under racing first calls")
    void racingFirstCallsGetOneInstance() throws Exception {
        int threads = 8;
        for (int round = 0; round < 20; round++) {
            EventLoops.setEventLoopPolicy(null);
            CyclicBarrier barrier = new CyclicBarrier(threads);
            Set<EventLoopPolicy> seen = ConcurrentHashMap.newKeySet();
            List<Thread> racers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    try {
                        barrier.await();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    seen.add(EventLoops.getEventLoopPolicy());
                }, "racer-" + i);
                racers.add(t);
                t.start();
            }
            racers.forEach(Loops::join);
            assertEquals(1, seen.size(), "policies seen in round " + round);
            EventLoopPolicy policy = seen.iterator().next();
            assertInstanceOf(DefaultEventLoopPolicy.class, policy);
            assertSame(policy, EventLoops.getEventLoopPolicy(), "later calls return the same instance");
        }
    }

    @Test
    @DisplayName("POL-02 setEventLoopPolicy(p) makes every thread see p")
    void setPolicyIsSeenEverywhere() {
        CountingPolicy policy = new CountingPolicy();
        EventLoops.setEventLoopPolicy(policy);
        assertSame(policy, EventLoops.getEventLoopPolicy());
        AtomicReference<EventLoopPolicy> fromOther = new AtomicReference<>();
        assertEquals(null, inThread("reader", () -> fromOther.set(EventLoops.getEventLoopPolicy())));
        assertSame(policy, fromOther.get());
    }

    @Test
    @DisplayName("POL-03 setEventLoopPolicy(null) restores a fresh default: the old policy's loops are gone")
    void nullRestoresAFreshDefault() {
        EventLoopPolicy first = EventLoops.getEventLoopPolicy();
        SelectorEventLoop loop = newLoop();
        EventLoops.setEventLoop(loop);
        assertSame(loop, EventLoops.getEventLoop());

        EventLoops.setEventLoopPolicy(null);
        EventLoopPolicy second = EventLoops.getEventLoopPolicy();
        assertNotSame(first, second);
        assertInstanceOf(DefaultEventLoopPolicy.class, second);
        EventLoop fresh = EventLoops.getEventLoop(); // main thread: auto-created by the new policy
        created.add(fresh);
        assertNotSame(loop, fresh);
    }

    @Test
    @DisplayName("POL-05 the module functions forward to the policy current at call time")
    void moduleFunctionsForwardAtCallTime() {
        CountingPolicy a = new CountingPolicy();
        CountingPolicy b = new CountingPolicy();
        SelectorEventLoop loop = newLoop();
        EventLoops.setEventLoopPolicy(a);
        EventLoops.setEventLoop(loop);
        EventLoops.setEventLoopPolicy(b);
        EventLoops.setEventLoop(null);
        assertEquals(List.of(loop), a.setCalls);
        assertEquals(Collections.singletonList(null), b.setCalls);
        EventLoop fromB = EventLoops.newEventLoop();
        assertTrue(created.contains(fromB), "newEventLoop went through the current policy's factory");
    }

    @Test
    @DisplayName("POL-07 newEventLoop never returns null: a factory that returns null is an error")
    void nullFactoryResultIsRefused() {
        BaseDefaultEventLoopPolicy broken = new BaseDefaultEventLoopPolicy() {
            @Override
            protected EventLoop createEventLoop() {
                return null;
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, broken::newEventLoop);
        assertTrue(e.getMessage().contains("createEventLoop() returned null"), e.getMessage());
    }

    @Test
    @DisplayName("POL-08 newEventLoop gives a distinct, open, not running SelectorEventLoop that is not made current")
    void newEventLoopIsDistinctAndNotCurrent() {
        CountingPolicy policy = new CountingPolicy();
        EventLoop current = newLoop();
        policy.setEventLoop(current);
        EventLoop a = policy.newEventLoop();
        EventLoop b = policy.newEventLoop();
        assertNotSame(a, b);
        for (EventLoop l : List.of(a, b)) {
            assertInstanceOf(SelectorEventLoop.class, l);
            assertFalse(l.isClosed());
            assertFalse(l.isRunning());
        }
        assertSame(current, policy.getEventLoop());
    }

    @Test
    @DisplayName("POL-09 the current loop is per thread; other threads start with none")
    void loopsArePerThread() {
        CountingPolicy policy = new CountingPolicy();
        SelectorEventLoop mine = newLoop();
        SelectorEventLoop theirs = newLoop();
        policy.setEventLoop(mine);
        AtomicReference<EventLoop> seen = new AtomicReference<>();
        Throwable before = inThread("worker", () -> {
            try {
                policy.getEventLoop();
            } finally {
                policy.setEventLoop(theirs);
                seen.set(policy.getEventLoop());
            }
        });
        assertInstanceOf(IllegalStateException.class, before, "the worker started with no loop");
        assertSame(theirs, seen.get());
        assertSame(mine, policy.getEventLoop(), "the worker's set did not touch this thread");
    }

    @Test
    @DisplayName("POL-10 setEventLoop then getEventLoop returns the same loop; the replaced loop is not closed")
    void setThenGetIsIdentity() {
        CountingPolicy policy = new CountingPolicy();
        SelectorEventLoop first = newLoop();
        SelectorEventLoop second = newLoop();
        policy.setEventLoop(first);
        assertSame(first, policy.getEventLoop());
        policy.setEventLoop(second);
        assertSame(second, policy.getEventLoop());
        assertFalse(first.isClosed());
    }

    @Test
    @DisplayName("POL-11 in the main thread getEventLoop creates one loop through setEventLoop and keeps returning it")
    void mainThreadAutoCreates() {
        CountingPolicy policy = new CountingPolicy();
        assertTrue(policy.main(), "tests run on the JVM's main thread, as BaseDefaultEventLoopPolicy detects it");
        EventLoop loop = policy.getEventLoop();
        assertEquals(List.of(loop), policy.setCalls, "installed through the overridable setEventLoop");
        assertEquals(List.of(loop), created);
        assertSame(loop, policy.getEventLoop());
        assertEquals(1, created.size(), "created once");
    }

    @Test
    @DisplayName("POL-12 another thread without a loop gets \"There is no current event loop in thread 'NAME'.\" and nothing is created")
    void otherThreadsDoNotAutoCreate() {
        CountingPolicy policy = new CountingPolicy();
        Throwable e = inThread("Worker-1", policy::getEventLoop);
        assertInstanceOf(IllegalStateException.class, e);
        assertEquals("There is no current event loop in thread 'Worker-1'.", e.getMessage());
        assertTrue(created.isEmpty());
    }

    @Test
    @DisplayName("POL-13 after setEventLoop(null) in the main thread getEventLoop raises instead of creating")
    void setNullInMainDisablesAutoCreation() {
        CountingPolicy policy = new CountingPolicy();
        policy.setEventLoop(null);
        IllegalStateException e = assertThrows(IllegalStateException.class, policy::getEventLoop);
        assertEquals("There is no current event loop in thread '" + Thread.currentThread().getName() + "'.",
                e.getMessage());
        assertTrue(created.isEmpty());
    }

    @Test
    @DisplayName("POL-13 once a loop was set and unset in the main thread, no loop is created there again")
    void setThenUnsetInMainDisablesAutoCreation() {
        CountingPolicy policy = new CountingPolicy();
        EventLoop auto = policy.getEventLoop();
        policy.setEventLoop(null);
        assertThrows(IllegalStateException.class, policy::getEventLoop);
        assertEquals(List.of(auto), created);
    }

    @Test
    @DisplayName("POL-15 a closed current loop is still returned, and no new one is created")
    void closedLoopIsStillReturned() {
        CountingPolicy policy = new CountingPolicy();
        EventLoop loop = policy.getEventLoop();
        loop.close();
        assertSame(loop, policy.getEventLoop());
        assertEquals(1, created.size());
    }

    @Test
    @DisplayName("POL-21 neither getEventLoop nor main-thread auto-creation warns")
    void autoCreationDoesNotWarn() {
        try (LogCapture warnings = LogCapture.warnings(); LogCapture log = LogCapture.loop()) {
            EventLoop loop = EventLoops.getEventLoop();
            created.add(loop);
            assertSame(loop, EventLoops.getEventLoop());
            assertEquals(List.of(), warnings.records());
            assertEquals(List.of(), log.records());
        }
    }
}
