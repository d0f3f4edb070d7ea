package org.asyncio4j.conformance.mutants;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.ReturnCodes;
import org.asyncio4j.SpawnScope;

/**
 * A watcher that learns of exits by polling /proc for zombies and reads their exit status there, so it
 * reports the right code but never calls waitpid: every child stays a zombie. Delivers like Threaded,
 * through the loop running where the handler was added.
 */
final class NeverReapingWatcher implements ChildWatcher {
    private final Map<Long, Object[]> registered = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean closed;

    NeverReapingWatcher() {
        poller = new Thread(this::poll, "never-reaping-watcher");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (!closed) {
            for (Map.Entry<Long, Object[]> e : registered.entrySet()) {
                String[] stat = stat(e.getKey());
                if (stat != null && stat[2].equals("Z") && registered.remove(e.getKey(), e.getValue())) {
                    long pid = e.getKey();
                    int rc = ReturnCodes.fromWaitStatus(Integer.parseInt(stat[stat.length - 1]));
                    EventLoop loop = (EventLoop) e.getValue()[0];
                    ChildHandler handler = (ChildHandler) e.getValue()[1];
                    try {
                        loop.callSoonThreadsafe(() -> handler.childExited(pid, rc));
                    } catch (IllegalStateException loopClosed) {
                        // dropped, as Threaded does
                    }
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The fields of /proc/PID/stat after the command name: [pid, comm, state, ...], exit_code last. */
    private static String[] stat(long pid) {
        try {
            String s = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/stat")), StandardCharsets.US_ASCII).trim();
            String rest = s.substring(s.lastIndexOf(')') + 2);
            String[] tail = rest.split(" ");
            String[] out = new String[tail.length + 2];
            out[0] = String.valueOf(pid);
            out[1] = "comm";
            System.arraycopy(tail, 0, out, 2, tail.length);
            return out;
        } catch (IOException gone) {
            return null;
        }
    }

    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        registered.put(pid, new Object[] {EventLoops.getRunningLoop(), handler});
    }

    @Override
    public boolean removeChildHandler(long pid) {
        return registered.remove(pid) != null;
    }

    @Override
    public void attachLoop(EventLoop loop) {}

    @Override
    public boolean isActive() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        registered.clear();
        poller.interrupt();
        try {
            poller.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public SpawnScope spawning() {
        return () -> { };
    }
}
