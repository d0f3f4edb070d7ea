package org.asyncio4j.conformance;

import java.util.Deque;
import org.asyncio4j.EventLoop;

/** Closes what a try opened, newest first; the first failure is rethrown after all were tried. */
final class Resources {
    private Resources() {}

    static void closeAll(Deque<AutoCloseable> opened) throws Exception {
        Exception first = null;
        while (true) {
            AutoCloseable next;
            synchronized (opened) {
                next = opened.poll();
            }
            if (next == null) {
                break;
            }
            try {
                if (next instanceof EventLoop && (((EventLoop) next).isRunning() || ((EventLoop) next).isClosed())) {
                    continue; // closed by the property, or still run by a thread of a failed property
                }
                next.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
