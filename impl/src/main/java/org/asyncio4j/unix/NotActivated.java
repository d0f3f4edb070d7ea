package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;

/**
 * The message of a subprocess refused because the child watcher is not active (POL-31): CPython's words,
 * then what to do about it, as CPython 3.8+ does for the two usual misuses (a watcher set after the loop was
 * created, so never attached to it; a loop outside the main thread with a watcher that serves only the
 * main thread's loop).
 */
final class NotActivated {
    private static final String REFUSED =
            "EventLoops.getChildWatcher() is not activated, subprocess support is not installed.";
    private static final String OTHER_THREADS =
            "for loops outside the main thread, use ThreadedChildWatcher or PidfdChildWatcher "
                    + "(EventLoops.setChildWatcher(...), then attachLoop on the loop that spawns)";

    private NotActivated() {}

    static String message(EventLoop loop, ChildWatcher watcher) {
        if (watcher instanceof MultiLoopChildWatcher) {
            return REFUSED + " " + watcher + " was closed or never attached: call attachLoop(loop) once, "
                    + "from any thread, to install its SIGCHLD handler.";
        }
        EventLoop attached = attachedLoop(watcher);
        if (attached == null && knowsItsLoop(watcher)) {
            return REFUSED + " " + watcher + " is not attached to a loop (a watcher set after the loop was created "
                    + "is not attached to it): call watcher.attachLoop(loop) with " + loop + ", or " + OTHER_THREADS + ".";
        }
        if (attached != null && attached != loop) {
            return REFUSED + " " + watcher + " is attached to " + attached + ", not to " + loop
                    + " which runs in thread \"" + Thread.currentThread().getName() + "\": " + OTHER_THREADS
                    + ", or attach the watcher to this loop.";
        }
        return REFUSED + " Attach " + watcher + " to " + loop + " with attachLoop(loop), or " + OTHER_THREADS + ".";
    }

    private static boolean knowsItsLoop(ChildWatcher watcher) {
        return watcher instanceof SignalChildWatcher || watcher instanceof PidfdChildWatcher;
    }

    private static EventLoop attachedLoop(ChildWatcher watcher) {
        if (watcher instanceof SignalChildWatcher) {
            return ((SignalChildWatcher) watcher).loop();
        }
        if (watcher instanceof PidfdChildWatcher) {
            return ((PidfdChildWatcher) watcher).attachedLoop();
        }
        return null;
    }
}
