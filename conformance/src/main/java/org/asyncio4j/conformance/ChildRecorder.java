package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.SubprocessProtocol;

/**
 * A subprocess protocol that records its callbacks in order: {@code made}, {@code data:FD} (consecutive
 * chunks of one pipe folded into one event), {@code pipe-lost:FD}, {@code exited}, {@code lost}, and the
 * bytes received on stdout (fd 1) and stderr (fd 2), and the kit's own marks ({@code kit:...}).
 */
final class ChildRecorder implements SubprocessProtocol {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final List<Integer> otherFds = new ArrayList<>();
    BaseTransport transport;
    Throwable lostWith;

    @Override
    public void connectionMade(BaseTransport transport) {
        this.transport = transport;
        events.add("made");
    }

    @Override
    public void pipeDataReceived(int fd, byte[] data) {
        String event = "data:" + fd;
        if (events.isEmpty() || !events.get(events.size() - 1).equals(event)) {
            events.add(event);
        }
        if (fd == 1) {
            out.write(data, 0, data.length);
        } else if (fd == 2) {
            err.write(data, 0, data.length);
        } else {
            otherFds.add(fd);
        }
    }

    @Override
    public void pipeConnectionLost(int fd, Throwable exc) {
        events.add("pipe-lost:" + fd);
    }

    @Override
    public void processExited() {
        events.add("exited");
    }

    @Override
    public void connectionLost(Throwable exc) {
        events.add("lost");
        lostWith = exc;
    }

    void mark(String event) {
        events.add("kit:" + event);
    }

    boolean has(String event) {
        return events.contains(event);
    }

    int count(String event) {
        return (int) events.stream().filter(event::equals).count();
    }

    /** The callbacks only, without the kit's marks. */
    List<String> callbacks() {
        List<String> calls = new ArrayList<>();
        for (String e : events) {
            if (!e.startsWith("kit:")) {
                calls.add(e);
            }
        }
        return calls;
    }
}
