package org.asyncio4j.conformance.mutants;

import java.util.function.UnaryOperator;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.FlowControlProtocol;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.StreamReader;
import org.asyncio4j.StreamWriter;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessProtocol;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.WriteTransport;

/**
 * Protocols, transports, processes and stream readers that pass every call on to a real one: the transport
 * mutants override the one call they break. A forwarding protocol hands its protocol the transport as the
 * loop's caller sees it ({@code view}), so that a broken transport reaches the kit both ways.
 */
final class Forwarding {
    private Forwarding() {}

    /** A pipe protocol. */
    static class PipeProtocol implements Protocol {
        final Protocol kit;
        private final UnaryOperator<BaseTransport> view;

        PipeProtocol(Protocol kit, UnaryOperator<BaseTransport> view) {
            this.kit = kit;
            this.view = view;
        }

        @Override public void connectionMade(BaseTransport transport) { kit.connectionMade(view.apply(transport)); }
        @Override public void dataReceived(byte[] data) { kit.dataReceived(data); }
        @Override public boolean eofReceived() { return kit.eofReceived(); }
        @Override public void connectionLost(Throwable exc) { kit.connectionLost(exc); }
        @Override public void pauseWriting() { kit.pauseWriting(); }
        @Override public void resumeWriting() { kit.resumeWriting(); }
    }

    /** A subprocess protocol. */
    static class ChildProtocol implements SubprocessProtocol {
        final SubprocessProtocol kit;
        private final UnaryOperator<BaseTransport> view;

        ChildProtocol(SubprocessProtocol kit, UnaryOperator<BaseTransport> view) {
            this.kit = kit;
            this.view = view;
        }

        @Override public void connectionMade(BaseTransport transport) { kit.connectionMade(view.apply(transport)); }
        @Override public void pipeDataReceived(int fd, byte[] data) { kit.pipeDataReceived(fd, data); }
        @Override public void pipeConnectionLost(int fd, Throwable exc) { kit.pipeConnectionLost(fd, exc); }
        @Override public void processExited() { kit.processExited(); }
        @Override public void connectionLost(Throwable exc) { kit.connectionLost(exc); }
        @Override public void pauseWriting() { kit.pauseWriting(); }
        @Override public void resumeWriting() { kit.resumeWriting(); }
    }

    /** A read transport. */
    static class Reading implements ReadTransport {
        final ReadTransport real;

        Reading(ReadTransport real) {
            this.real = real;
        }

        @Override public boolean isReading() { return real.isReading(); }
        @Override public void pauseReading() { real.pauseReading(); }
        @Override public void resumeReading() { real.resumeReading(); }
        @Override public void close() { real.close(); }
        @Override public boolean isClosing() { return real.isClosing(); }
        @Override public Object getExtraInfo(String key, Object defaultValue) { return real.getExtraInfo(key, defaultValue); }
        @Override public void setProtocol(BaseProtocol protocol) { real.setProtocol(protocol); }
        @Override public BaseProtocol getProtocol() { return real.getProtocol(); }
    }

    /** A write transport. */
    static class Writing implements WriteTransport {
        final WriteTransport real;

        Writing(WriteTransport real) {
            this.real = real;
        }

        @Override public void write(byte[] data) { real.write(data); }
        @Override public void writeEof() { real.writeEof(); }
        @Override public boolean canWriteEof() { return real.canWriteEof(); }
        @Override public int getWriteBufferSize() { return real.getWriteBufferSize(); }
        @Override public WriteBufferLimits getWriteBufferLimits() { return real.getWriteBufferLimits(); }
        @Override public void setWriteBufferLimits(int high, int low) { real.setWriteBufferLimits(high, low); }
        @Override public void abort() { real.abort(); }
        @Override public void close() { real.close(); }
        @Override public boolean isClosing() { return real.isClosing(); }
        @Override public Object getExtraInfo(String key, Object defaultValue) { return real.getExtraInfo(key, defaultValue); }
        @Override public void setProtocol(BaseProtocol protocol) { real.setProtocol(protocol); }
        @Override public BaseProtocol getProtocol() { return real.getProtocol(); }
    }

    /** A subprocess transport. */
    static class ChildTransport implements SubprocessTransport {
        final SubprocessTransport real;

        ChildTransport(SubprocessTransport real) {
            this.real = real;
        }

        @Override public long getPid() { return real.getPid(); }
        @Override public Integer getReturnCode() { return real.getReturnCode(); }
        @Override public BaseTransport getPipeTransport(int fd) { return real.getPipeTransport(fd); }
        @Override public void sendSignal(int signum) { real.sendSignal(signum); }
        @Override public void terminate() { real.terminate(); }
        @Override public void kill() { real.kill(); }
        @Override public void signalGroup(int signum) { real.signalGroup(signum); }
        @Override public void close() { real.close(); }
        @Override public boolean isClosing() { return real.isClosing(); }
        @Override public Object getExtraInfo(String key, Object defaultValue) { return real.getExtraInfo(key, defaultValue); }
        @Override public void setProtocol(BaseProtocol protocol) { real.setProtocol(protocol); }
        @Override public BaseProtocol getProtocol() { return real.getProtocol(); }
    }

    /** A process with streams; its stdout is {@link #stdout()}, which a mutant may replace. */
    static class Process implements Subprocess {
        final Subprocess real;

        Process(Subprocess real) {
            this.real = real;
        }

        @Override public long pid() { return real.pid(); }
        @Override public Integer returnCode() { return real.returnCode(); }
        @Override public AsyncFuture<Integer> onExit() { return real.onExit(); }
        @Override public AsyncFuture<Integer> waitFor() { return real.waitFor(); }
        @Override public StreamWriter stdin() { return real.stdin(); }
        @Override public StreamReader stdout() { return real.stdout(); }
        @Override public StreamReader stderr() { return real.stderr(); }
        @Override public SubprocessTransport transport() { return real.transport(); }
        @Override public void sendSignal(int signum) { real.sendSignal(signum); }
        @Override public void terminate() { real.terminate(); }
        @Override public void kill() { real.kill(); }
        @Override public void signalGroup(int signum) { real.signalGroup(signum); }
        @Override public AsyncFuture<ProcessOutput> communicate(byte[] input) { return real.communicate(input); }
        @Override public void close() { real.close(); }
    }

    /** A stream reader that reads through a real one (the one its transport feeds). */
    static class Reader extends StreamReader {
        final StreamReader real;

        Reader(EventLoop loop, StreamReader real) {
            super(loop, real.getLimit());
            this.real = real;
        }

        @Override public int getLimit() { return real.getLimit(); }
        @Override public int bufferedSize() { return real.bufferedSize(); }
        @Override public Throwable exception() { return real.exception(); }
        @Override public void setException(Throwable exc) { real.setException(exc); }
        @Override public void setTransport(ReadTransport transport) { real.setTransport(transport); }
        @Override public void feedEof() { real.feedEof(); }
        @Override public boolean atEof() { return real.atEof(); }
        @Override public void feedData(byte[] data) { real.feedData(data); }
        @Override public AsyncFuture<byte[]> read(int n) { return real.read(n); }
        @Override public AsyncFuture<byte[]> readExactly(int n) { return real.readExactly(n); }
        @Override public AsyncFuture<byte[]> readLine() { return real.readLine(); }
        @Override public AsyncFuture<byte[]> readUntil(byte[] separator) { return real.readUntil(separator); }
    }

    /**
     * A stream writer. StreamWriter is a class whose constructor wants a protocol: this one gets a protocol of its
     * own that nothing drives, since every method goes to {@code real}.
     */
    static class Writer extends StreamWriter {
        final StreamWriter real;

        Writer(EventLoop loop, StreamWriter real) {
            super(real.transport(), new FlowControlProtocol(loop), null, loop);
            this.real = real;
        }

        @Override public WriteTransport transport() { return real.transport(); }
        @Override public void write(byte[] data) { real.write(data); }
        @Override public void writelines(Iterable<byte[]> chunks) { real.writelines(chunks); }
        @Override public void writeEof() { real.writeEof(); }
        @Override public boolean canWriteEof() { return real.canWriteEof(); }
        @Override public void close() { real.close(); }
        @Override public boolean isClosing() { return real.isClosing(); }
        @Override public AsyncFuture<Void> waitClosed() { return real.waitClosed(); }
        @Override public Object getExtraInfo(String key, Object defaultValue) { return real.getExtraInfo(key, defaultValue); }
        @Override public AsyncFuture<Void> drain() { return real.drain(); }
    }
}
