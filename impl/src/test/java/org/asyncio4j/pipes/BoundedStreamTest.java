package org.asyncio4j.pipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.StreamReader;
import org.asyncio4j.StreamReaderProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.pipes.PipeFixtures.LoopAndPipe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 1 GiB through a pipe, read line by line, with memory bounded by the limits and not by the data: the
 * largest amount ever buffered is counted (a count, not a clock). The producer writes four lines per reader
 * chunk while the consumer takes one line per loop iteration, so without the limit's pausing the reader's
 * buffer would grow to most of the gigabyte.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken rule fails, never hangs
class BoundedStreamTest {
    private static final long TOTAL = 1L << 30;
    private static final int LINE = 16 * 1024;
    private static final int LIMIT = StreamReader.DEFAULT_LIMIT;

    @RegisterExtension
    final LoopAndPipe fixture = new LoopAndPipe();
    private final int[] pipe = fixture.pipe;
    private EventLoop loop;

    /** A reader that counts the most it ever held and how often it paused its transport. */
    static final class CountingReader extends StreamReader {
        int maxBuffered;
        int pauses;

        CountingReader(EventLoop loop) {
            super(loop);
        }

        @Override
        public void feedData(byte[] data) {
            super.feedData(data);
            maxBuffered = Math.max(maxBuffered, bufferedSize());
        }

        @Override
        public void setTransport(ReadTransport transport) {
            super.setTransport(new ReadTransport() {
                @Override public boolean isReading() { return transport.isReading(); }
                @Override public void pauseReading() { pauses++; transport.pauseReading(); }
                @Override public void resumeReading() { transport.resumeReading(); }
                @Override public void close() { transport.close(); }
                @Override public boolean isClosing() { return transport.isClosing(); }
                @Override public Object getExtraInfo(String key, Object d) { return transport.getExtraInfo(key, d); }
                @Override public void setProtocol(BaseProtocol p) { transport.setProtocol(p); }
                @Override public BaseProtocol getProtocol() { return transport.getProtocol(); }
            });
        }
    }

    /** Writes lines while the transport lets it, then closes. */
    static final class Producer implements BaseProtocol {
        final byte[] line;
        WriteTransport transport;
        boolean paused;
        long sent;
        int maxWriteBuffer;

        Producer() {
            line = new byte[LINE];
            Arrays.fill(line, (byte) 'x');
            line[LINE - 1] = '\n';
        }

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (WriteTransport) t;
        }

        void pump() {
            while (!paused && sent < TOTAL) {
                transport.write(line);
                sent += LINE;
                maxWriteBuffer = Math.max(maxWriteBuffer, transport.getWriteBufferSize());
            }
            if (sent == TOTAL) {
                transport.close();
            }
        }

        @Override
        public void pauseWriting() {
            paused = true;
        }

        @Override
        public void resumeWriting() {
            paused = false;
            pump();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.asyncio4j.pipes.PipeFixtures#loops")
    @DisplayName("STR-10 1 GiB read with readLine holds at most 2 x limit + one read chunk; the writer at most high + one write")
    void gigabyteThroughReadLine(Supplier<EventLoop> factory) {
        loop = fixture.open(factory);
        CountingReader reader = new CountingReader(loop);
        loop.runUntilComplete(loop.connectReadPipe(() -> new StreamReaderProtocol(reader, loop), pipe[0]));
        Producer producer = loop.runUntilComplete(loop.connectWritePipe(Producer::new, pipe[1])).protocol();
        AsyncFuture<long[]> done = loop.createFuture();
        long[] counts = new long[2]; // lines, bytes
        new Consumer<AsyncFuture<byte[]>>() {
            @Override
            public void accept(AsyncFuture<byte[]> read) {
                byte[] got = read == null ? null : read.result();
                if (got != null && got.length == 0) {
                    done.setResult(counts);
                    return;
                }
                if (got != null) {
                    assertEquals(LINE, got.length);
                    counts[0]++;
                    counts[1] += got.length;
                }
                reader.readLine().addDoneCallback(this);
            }
        }.accept(null);
        producer.pump();
        loop.runUntilComplete(done);
        assertEquals(TOTAL / LINE, counts[0]);
        assertEquals(TOTAL, counts[1]);
        assertTrue(reader.pauses > 0, "the consumer fell behind and the limit paused the transport");
        assertTrue(reader.maxBuffered <= 2 * LIMIT + 64 * 1024,
                "reader held at most 2 x limit + one 64 KiB chunk, held " + reader.maxBuffered);
        assertTrue(producer.maxWriteBuffer <= WriteTransport.DEFAULT_HIGH_WATER + LINE,
                "writer held at most high + one line, held " + producer.maxWriteBuffer);
    }
}
