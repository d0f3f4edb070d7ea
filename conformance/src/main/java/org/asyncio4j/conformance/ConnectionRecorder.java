package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.Protocol;
import org.asyncio4j.Transport;

/**
 * A protocol for one end of a TCP connection that records its callbacks in order, for the socket properties:
 * {@code made}, {@code data} (consecutive chunks folded into one event), {@code eof}, {@code lost} or
 * {@code lost:ExceptionType}, {@code pause}, {@code resume}, among the kit's own marks ({@code kit:...}). It keeps
 * the bytes received, how many had arrived at end of stream, the write buffer at each pause and resume, and
 * answers {@code eofReceived} with the {@code keepOpen} it was made with.
 */
final class ConnectionRecorder implements Protocol {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<Integer> bufferAtPause = new ArrayList<>();
    final List<Integer> bufferAtResume = new ArrayList<>();
    private final boolean keepOpen;
    Transport transport;
    Throwable lostWith;
    int receivedAtEof = -1;
    int losses;
    int pauses;
    int resumes;
    /** Set by the kit: the recorder pauses reading in {@code connectionMade} (a slow reader). */
    boolean pauseReadingWhenMade;

    ConnectionRecorder(boolean keepOpen) {
        this.keepOpen = keepOpen;
    }

    @Override
    public void connectionMade(BaseTransport transport) {
        this.transport = (Transport) transport;
        events.add("made");
        if (pauseReadingWhenMade) {
            this.transport.pauseReading();
        }
    }

    @Override
    public void dataReceived(byte[] data) {
        if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
            events.add("data");
        }
        received.write(data, 0, data.length);
    }

    @Override
    public boolean eofReceived() {
        events.add("eof");
        receivedAtEof = received.size();
        return keepOpen;
    }

    @Override
    public void connectionLost(Throwable exc) {
        events.add(exc == null ? "lost" : "lost:" + exc.getClass().getSimpleName());
        lostWith = exc;
        losses++;
    }

    @Override
    public void pauseWriting() {
        pauses++;
        events.add("pause");
        bufferAtPause.add(transport == null ? -1 : transport.getWriteBufferSize());
    }

    @Override
    public void resumeWriting() {
        resumes++;
        events.add("resume");
        bufferAtResume.add(transport == null ? -1 : transport.getWriteBufferSize());
    }

    /** Records an event of the kit's own ({@code kit:...}) among the callbacks. */
    void mark(String event) {
        events.add("kit:" + event);
    }

    boolean made() {
        return events.contains("made");
    }

    boolean lost() {
        return losses > 0;
    }

    boolean eof() {
        return receivedAtEof >= 0;
    }

    boolean writingPaused() {
        return pauses > resumes;
    }

    int size() {
        return received.size();
    }

    byte[] bytes() {
        return received.toByteArray();
    }

    /** The callbacks only, without the kit's marks and without flow control; consecutive data folded into one. */
    List<String> callbacks() {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            boolean again = e.equals("data") && !out.isEmpty() && out.get(out.size() - 1).equals("data");
            if (!e.startsWith("kit:") && !e.equals("pause") && !e.equals("resume") && !again) {
                out.add(e);
            }
        }
        return out;
    }
}
