package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.asyncio4j.EventLoop;

/** Closes what a try opened, newest first; the first failure is rethrown after all were tried. */
final class Resources {
    private Resources() {}

    /**
     * Asks every loop the try opened to stop, from another thread: how a deadline overrun unsticks a try
     * whose loop would otherwise run forever. Loops are found directly, in the kit's models, and in
     * {@link WatcherHarness}es.
     */
    static void stopLoops(Deque<AutoCloseable> opened) {
        List<AutoCloseable> now;
        synchronized (opened) {
            now = new ArrayList<>(opened);
        }
        for (AutoCloseable r : now) {
            List<EventLoop> loops = new ArrayList<>();
            if (r instanceof EventLoop) {
                loops.add((EventLoop) r);
            } else if (r instanceof LoopModel) {
                loops.add(((LoopModel) r).loop);
            } else if (r instanceof FutureModel) {
                loops.add(((FutureModel) r).loop);
            } else if (r instanceof PolicyModel) {
                loops.addAll(((PolicyModel) r).loops);
            } else if (r instanceof WatcherHarness) {
                loops.add(((WatcherHarness) r).loop.loop());
            }
            for (EventLoop loop : loops) {
                try {
                    loop.callSoonThreadsafe(loop::stop);
                } catch (RuntimeException closed) {
                    // closed or broken: nothing to stop
                }
            }
        }
    }

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
