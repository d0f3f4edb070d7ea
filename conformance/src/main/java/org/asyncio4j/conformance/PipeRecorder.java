package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.Protocol;
import org.asyncio4j.WriteTransport;

/**
 * A protocol that records its callbacks in order, for the transport properties: {@code made}, {@code data}
 * (consecutive chunks folded into one event), {@code eof}, {@code lost} or {@code lost:ExceptionType},
 * {@code pause}, {@code resume}; and the bytes received, the write buffer at each pause and resume, and
 * anything the kit marks ({@link #mark}). A callback named with {@link #throwOnce} throws, once, after recording.
 */
final class PipeRecorder implements Protocol {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<Integer> bufferAtPause = new ArrayList<>();
    final List<Integer> bufferAtResume = new ArrayList<>();
    BaseTransport transport;
    Throwable lostWith;
    int losses;
    int pauses;
    int resumes;
    /** What the callbacks named with {@link #throwOnce} threw, in order. */
    final List<RuntimeException> thrown = new ArrayList<>();
    private final Set<String> throwing = new HashSet<>();

    @Override
    public void connectionMade(BaseTransport transport) {
        this.transport = transport;
        events.add("made");
        maybeThrow("made");
    }

    @Override
    public void dataReceived(byte[] data) {
        if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
            events.add("data");
        }
        received.write(data, 0, data.length);
        maybeThrow("data");
    }

    @Override
    public boolean eofReceived() {
        events.add("eof");
        return false;
    }

    @Override
    public void connectionLost(Throwable exc) {
        events.add(exc == null ? "lost" : "lost:" + exc.getClass().getSimpleName());
        lostWith = exc;
        losses++;
        maybeThrow("lost");
    }

    @Override
    public void pauseWriting() {
        pauses++;
        events.add("pause");
        bufferAtPause.add(transport instanceof WriteTransport ? ((WriteTransport) transport).getWriteBufferSize() : -1);
        maybeThrow("pause");
    }

    @Override
    public void resumeWriting() {
        resumes++;
        events.add("resume");
        bufferAtResume.add(transport instanceof WriteTransport ? ((WriteTransport) transport).getWriteBufferSize() : -1);
        maybeThrow("resume");
    }

    /** Makes the next call of {@code callback} ({@code made}, {@code data}, {@code lost}, {@code pause}, {@code resume}) throw. */
    void throwOnce(String callback) {
        throwing.add(callback);
    }

    private void maybeThrow(String callback) {
        if (throwing.remove(callback)) {
            RuntimeException e = new IllegalStateException("the kit's " + callback + " callback throws");
            thrown.add(e);
            throw e;
        }
    }

    /** Records an event of the kit's own ({@code kit:...}, such as the connect future completing) among the callbacks. */
    void mark(String event) {
        events.add("kit:" + event);
    }

    boolean lost() {
        return losses > 0;
    }

    boolean writingPaused() {
        return pauses > resumes;
    }

    byte[] bytes() {
        return received.toByteArray();
    }

    /** The callbacks only, without the kit's marks. */
    List<String> callbacks() {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            if (!e.startsWith("kit:")) {
                out.add(e);
            }
        }
        return out;
    }
}
