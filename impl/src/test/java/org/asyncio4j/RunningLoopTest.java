package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The running-loop slot and the module-level getEventLoop (POL-16..19). */
class RunningLoopTest {
    private final SelectorEventLoop loop = new SelectorEventLoop();

    /** A third-party policy whose getEventLoop throws its own exception type. */
    static final class PolicyError extends RuntimeException {
        PolicyError() {
            super("the policy was asked");
        }
    }

    static final class ThrowingPolicy implements EventLoopPolicy {
        @Override
        public EventLoop getEventLoop() {
            throw new PolicyError();
        }

        @Override
        public void setEventLoop(EventLoop l) {
            throw new PolicyError();
        }

        @Override
        public EventLoop newEventLoop() {
            throw new PolicyError();
        }

        @Override
        public ChildWatcher getChildWatcher() {
            throw new PolicyError();
        }

        @Override
        public void setChildWatcher(ChildWatcher watcher) {
            throw new PolicyError();
        }
    }

    @AfterEach
    void cleanUp() {
        EventLoops.setEventLoopPolicy(null);
        loop.close();
    }

    @Test
    @DisplayName("POL-16 getRunningLoop without a running loop: \"no running event loop\"")
    void noRunningLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, EventLoops::getRunningLoop);
        assertEquals("no running event loop", e.getMessage());
        assertNull(EventLoops.runningLoopOrNull());
    }

    @Test
    @DisplayName("POL-16 POL-17 inside runForever getRunningLoop returns the loop; afterwards the slot is empty")
    void runningLoopIsSetWhileRunning() {
        AtomicReference<EventLoop> seen = new AtomicReference<>();
        loop.callSoon(() -> seen.set(EventLoops.getRunningLoop()));
        Loops.runOnce(loop);
        assertSame(loop, seen.get());
        assertNull(EventLoops.runningLoopOrNull());
    }

    @Test
    @DisplayName("POL-17 the running-loop slot is per thread: another thread sees no running loop")
    void runningLoopIsThreadLocal() {
        AtomicReference<Object> seenElsewhere = new AtomicReference<>("unset");
        loop.callSoon(() -> {
            Thread t = new Thread(() -> seenElsewhere.set(EventLoops.runningLoopOrNull()), "observer");
            t.start();
            Loops.join(t);
        });
        Loops.runOnce(loop);
        assertNull(seenElsewhere.get());
    }

    @Test
    @DisplayName("POL-17 LOOP-15 the slot is cleared when an Error leaves runForever")
    void slotClearedOnError() {
        loop.callSoon(() -> {
            throw new StackOverflowError("simulated");
        });
        assertThrows(StackOverflowError.class, loop::runForever);
        assertNull(EventLoops.runningLoopOrNull());
    }

    @Test
    @DisplayName("POL-18 getEventLoop returns the running loop without asking the policy, even one that throws")
    void runningLoopWinsOverThePolicy() {
        EventLoops.setEventLoopPolicy(new ThrowingPolicy());
        AtomicReference<EventLoop> seen = new AtomicReference<>();
        loop.callSoon(() -> seen.set(EventLoops.getEventLoop()));
        Loops.runOnce(loop);
        assertSame(loop, seen.get());
    }

    @Test
    @DisplayName("POL-18 without a running loop the policy's own exception propagates unchanged")
    void policyExceptionPropagates() {
        EventLoops.setEventLoopPolicy(new ThrowingPolicy());
        assertThrows(PolicyError.class, EventLoops::getEventLoop);
    }

    @Test
    @DisplayName("POL-19 inside a callback getEventLoop returns the running loop, not the policy's current loop")
    void runningLoopWinsOverTheCurrentLoop() {
        SelectorEventLoop other = new SelectorEventLoop();
        try {
            EventLoops.setEventLoop(other);
            AtomicReference<EventLoop> seen = new AtomicReference<>();
            loop.callSoon(() -> seen.set(EventLoops.getEventLoop()));
            Loops.runOnce(loop);
            assertSame(loop, seen.get());
            assertSame(other, EventLoops.getEventLoop());
        } finally {
            other.close();
        }
    }
}
