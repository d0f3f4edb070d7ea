package org.asyncio4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A buffer of received bytes read through futures: CPython's {@code asyncio.StreamReader}.
 *
 * <p>A {@link StreamReaderProtocol} feeds it from a transport. Memory stays bounded by the limit: when more
 * than twice the limit is buffered the transport is paused (STR-05), and it resumes once a read has taken the
 * buffer down to the limit (STR-06). Reads that need more data than that resume it themselves.
 *
 * <p>Used on the loop's thread. One read at a time may wait for data; a second fails with
 * {@link IllegalStateException} (STR-07). Cancelling a waiting read's future abandons it; bytes stay buffered.
 */
public class StreamReader {
    /** The default limit: 64 KiB, as CPython's {@code _DEFAULT_LIMIT}. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final EventLoop loop;
    private final int limit;
    private byte[] buffer = new byte[1024];
    private int start;
    private int end;
    private boolean eof;
    private @Nullable AsyncFuture<Void> waiter;
    private @Nullable AsyncFuture<?> waiterOwner; // the future the caller holds for the read that waits
    private @Nullable Throwable exception;
    private @Nullable ReadTransport transport;
    private boolean paused;
    /*
     * While a read to end of file waits (tailOwner, the future its caller holds), what arrives goes to tail
     * instead of the buffer: the chunks in order, kept as they are, so that the read copies each byte once, into
     * its result. The stream is then the buffer followed by the tail. Once that read is over without taking
     * them (cancelled, failed), settleTail() moves them into the buffer.
     */
    private @Nullable List<byte[]> tail;
    private long tailSize;
    private @Nullable AsyncFuture<?> tailOwner;

    /**
     * A reader with the default limit, {@link #DEFAULT_LIMIT}.
     *
     * @param loop the loop whose futures the reads return
     * @throws NullPointerException if {@code loop} is null
     */
    public StreamReader(EventLoop loop) {
        this(loop, DEFAULT_LIMIT);
    }

    /**
     * A reader with the given buffer limit: CPython's {@code StreamReader(limit=...)}.
     *
     * @param loop the loop whose futures the reads return
     * @param limit the buffer limit, in bytes: the longest line or separated chunk, and half the amount
     *        buffered before the transport is paused
     * @throws NullPointerException if {@code loop} is null
     * @throws IllegalArgumentException {@code "Limit cannot be <= 0: limit=N"}
     */
    public StreamReader(EventLoop loop, int limit) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0: limit=" + limit);
        }
        this.limit = limit;
    }

    /** {@return the buffer limit, in bytes} */
    public int getLimit() {
        return limit;
    }

    /** {@return the number of bytes received and not yet read} */
    public int bufferedSize() {
        settleTail();
        return (int) Math.min(Integer.MAX_VALUE, end - start + tailSize);
    }

    /** {@return the exception set by {@link #setException}, or null} CPython's {@code exception()}. */
    public @Nullable Throwable exception() {
        return exception;
    }

    /**
     * Makes every later read fail with {@code exc}, and a waiting read too: CPython's {@code set_exception}.
     *
     * @param exc the failure of the reads
     * @throws NullPointerException if {@code exc} is null
     */
    public void setException(Throwable exc) {
        exception = Objects.requireNonNull(exc, "exc");
        AsyncFuture<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.cancelled()) {
                w.setException(exc);
            }
        }
    }

    /**
     * Binds the transport to pause and resume: CPython's {@code set_transport}.
     *
     * @param transport the transport that feeds this reader
     * @throws NullPointerException if {@code transport} is null
     * @throws IllegalStateException "Transport already set" if a transport is already set
     */
    public void setTransport(ReadTransport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** Moves pausing and resuming to the TLS transport that replaced the plain one (StreamWriter.startTls). */
    void replaceTransport(ReadTransport upgraded) {
        if (transport == null) {
            return; // the transport could not pause: neither can the one over it
        }
        transport = upgraded;
        if (paused) {
            upgraded.pauseReading();
        }
    }

    /** Marks the end of the stream and wakes a waiting read: CPython's {@code feed_eof}. */
    public void feedEof() {
        settleTail();
        eof = true;
        wakeupWaiter();
    }

    /** {@return true when end of file was fed and everything before it has been read} CPython's {@code at_eof}. */
    public boolean atEof() {
        settleTail();
        return eof && start == end;
    }

    /**
     * Appends received bytes, wakes a waiting read, and pauses the transport above twice the limit: CPython's
     * {@code feed_data}.
     *
     * @param data the bytes received (copied); an empty array is ignored
     * @throws IllegalStateException "feedData after feedEof"
     */
    public void feedData(byte[] data) {
        feed(data, false);
    }

    /**
     * {@link #feedData} of an array the caller hands over (a transport's chunk, which {@link Protocol#dataReceived}
     * gives the protocol to keep): a read to end of file keeps it without copying it.
     */
    void feedReceived(byte[] data) {
        feed(data, true);
    }

    private void feed(byte[] data, boolean handedOver) {
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        if (data.length == 0) {
            return;
        }
        settleTail();
        if (tail != null) {
            tail.add(handedOver ? data : data.clone()); // the read to end of file needs no wake-up before EOF
            tailSize += data.length;
            return;
        }
        append(data);
        wakeupWaiter();
        pauseIfFull();
    }

    private void pauseIfFull() {
        if (transport != null && !paused && end - start > 2L * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (UnsupportedOperationException e) {
                transport = null;
            }
        }
    }

    // ----- reads -----------------------------------------------------------------------------------

    /**
     * Reads up to {@code n} bytes: CPython's {@code read}.
     *
     * @param n the most bytes to read; negative reads until end of file, zero returns an empty array at once
     * @return a future of at least one byte unless at end of file (then an empty array); failed with the
     *         exception set by {@link #setException}, or with {@link IllegalStateException} if another read is
     *         waiting
     */
    public AsyncFuture<byte[]> read(int n) {
        if (n == 0) {
            return completed(new byte[0]);
        }
        if (n < 0) {
            return attempt("read", null, heldBy -> {
                if (eof) {
                    return takeAll();
                }
                if (tail == null) { // from now on, what arrives waits in the tail, uncopied, until EOF
                    tail = new ArrayList<>();
                    tailOwner = heldBy;
                }
                return null;
            });
        }
        return attempt("read", null, heldBy -> start == end && !eof ? null : take(Math.min(n, end - start)));
    }

    /**
     * Reads exactly {@code n} bytes: CPython's {@code readexactly}.
     *
     * @param n the number of bytes to read
     * @return a future of {@code n} bytes; failed with {@link IncompleteReadException} (carrying the bytes
     *         read, now consumed) if end of file comes first
     * @throws IllegalArgumentException "readExactly size can not be less than zero: n" (thrown at once)
     * @see IncompleteReadException the future's failure when end of file comes first, with the partial bytes
     */
    public AsyncFuture<byte[]> readExactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero: n=" + n);
        }
        if (n == 0 && exception == null) {
            return completed(new byte[0]);
        }
        return attempt("readExactly", null, heldBy -> {
            if (end - start >= n) {
                return take(n);
            }
            if (eof) {
                throw new IncompleteReadException(take(end - start), n);
            }
            return null;
        });
    }

    /**
     * One line, ending with {@code \n}; at end of file the last, unterminated, line (empty when none).
     * A line longer than the limit fails the future with {@link IllegalArgumentException} carrying the
     * {@link LimitOverrunException}'s message, after discarding the line (or the buffer, when its end has
     * not yet arrived), as CPython's {@code readline} does.
     *
     * @return a future of the line, separator included
     */
    public AsyncFuture<byte[]> readLine() {
        AsyncFuture<byte[]> line = loop.createFuture();
        byte[] separator = {'\n'};
        AsyncFuture<byte[]> until = readUntil(separator, line);
        line.addDoneCallback(l -> {
            if (l.cancelled()) {
                until.cancel();
            }
        });
        until.addDoneCallback(f -> {
            if (f.cancelled() || line.done()) {
                return;
            }
            Throwable failure = f.exception();
            if (failure == null) {
                line.setResult(f.result());
            } else if (failure instanceof IncompleteReadException) {
                line.setResult(((IncompleteReadException) failure).getPartial());
            } else if (failure instanceof LimitOverrunException) {
                LimitOverrunException overrun = (LimitOverrunException) failure;
                int consumed = (int) overrun.getConsumed();
                if (startsWith(separator, consumed)) {
                    start += consumed + separator.length;
                } else {
                    start = end;
                }
                maybeResumeTransport();
                line.setException(new IllegalArgumentException(overrun.getMessage(), overrun));
            } else {
                line.setException(failure);
            }
        });
        return line;
    }

    /**
     * The data up to and including {@code separator}. At end of file without it the future fails with
     * {@link IncompleteReadException} carrying what was buffered (now consumed); beyond the limit with
     * {@link LimitOverrunException}, leaving the data buffered. CPython's {@code readuntil}.
     *
     * @param separator the bytes that end the chunk, at least one
     * @return a future of the data, separator included
     * @throws NullPointerException if {@code separator} is null
     * @throws IllegalArgumentException "Separator should be at least one-byte string" (thrown at once)
     */
    public AsyncFuture<byte[]> readUntil(byte[] separator) {
        return readUntil(separator, null);
    }

    private AsyncFuture<byte[]> readUntil(byte[] separator, @Nullable AsyncFuture<?> owner) {
        Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("Separator should be at least one-byte string");
        }
        int seplen = separator.length;
        return attempt("readUntil", owner, heldBy -> {
            int isep = indexOf(separator);
            if (isep < 0) {
                int offset = end - start + 1 - seplen;
                if (offset > limit) {
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
                }
                if (eof) {
                    throw new IncompleteReadException(take(end - start), -1);
                }
                return null;
            }
            if (isep > limit) {
                throw new LimitOverrunException("Separator is found, but chunk is longer than limit", isep);
            }
            return take(isep + seplen);
        });
    }

    // ----- the machinery ---------------------------------------------------------------------------

    /** Runs {@code step} now and after each arrival of data until it returns a value or throws. */
    private AsyncFuture<byte[]> attempt(String name, @Nullable AsyncFuture<?> owner, Step step) {
        AsyncFuture<byte[]> result = loop.createFuture();
        AsyncFuture<?> heldBy = owner != null ? owner : result;
        new Object() {
            boolean watchingCancel;

            void run() {
                if (result.done()) {
                    return;
                }
                if (exception != null) {
                    result.setException(exception);
                    return;
                }
                byte[] value;
                settleTail();
                try {
                    value = step.get(heldBy);
                } catch (Exception e) {
                    result.setException(e);
                    return;
                }
                if (value != null) {
                    result.setResult(value);
                    return;
                }
                AsyncFuture<Void> w;
                try {
                    w = waitForData(name, heldBy);
                } catch (IllegalStateException e) {
                    result.setException(e);
                    return;
                }
                if (!watchingCancel) { // once, and only for a read that waits
                    watchingCancel = true;
                    result.addDoneCallback(r -> {
                        if (r.cancelled() && waiter != null && waiterOwner == heldBy) {
                            waiter.cancel();
                            waiter = null;
                        }
                    });
                }
                w.addDoneCallback(done -> {
                    if (done.cancelled()) {
                        return;
                    }
                    if (done.exception() != null) {
                        if (!result.done()) {
                            result.setException(done.exception());
                        }
                        return;
                    }
                    run();
                });
            }
        }.run();
        return result;
    }

    @FunctionalInterface
    private interface Step {
        /** The value, or null to wait for more data; {@code heldBy} is the future the read's caller holds. */
        byte @Nullable [] get(AsyncFuture<?> heldBy) throws Exception;
    }

    private AsyncFuture<Void> waitForData(String name, AsyncFuture<?> owner) {
        if (waiter != null && waiterOwner.done()) {
            waiter.cancel(); // its read was cancelled: it gives up its place at once
            waiter = null;
        }
        if (waiter != null) {
            throw new IllegalStateException(
                    name + "() called while another read is already waiting for incoming data");
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        waiter = loop.createFuture();
        waiterOwner = owner;
        return waiter;
    }

    private void wakeupWaiter() {
        AsyncFuture<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.cancelled()) {
                w.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && bufferedSize() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    private AsyncFuture<byte[]> completed(byte[] value) {
        AsyncFuture<byte[]> f = loop.createFuture();
        if (exception != null) {
            f.setException(exception);
        } else {
            f.setResult(value);
        }
        return f;
    }

    /** Removes and returns the first {@code n} buffered bytes, then resumes the transport if it may. */
    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buffer, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        maybeResumeTransport();
        return out;
    }

    /**
     * Removes and returns everything, the buffer then the tail, copying each byte once (a lone tail chunk not
     * even once).
     */
    private byte[] takeAll() {
        List<byte[]> chunks = tail;
        int buffered = end - start;
        long size = buffered + tailSize;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("read(-1): " + size + " bytes until end of file do not fit in an array");
        }
        byte[] out;
        if (buffered == 0 && chunks != null && chunks.size() == 1) {
            out = chunks.get(0);
        } else {
            out = new byte[(int) size];
            System.arraycopy(buffer, start, out, 0, buffered);
            int at = buffered;
            if (chunks != null) {
                for (byte[] chunk : chunks) {
                    System.arraycopy(chunk, 0, out, at, chunk.length);
                    at += chunk.length;
                }
            }
        }
        tail = null;
        tailSize = 0;
        tailOwner = null;
        start = 0;
        end = 0;
        maybeResumeTransport();
        return out;
    }

    /**
     * Moves the tail into the buffer once the read to end of file it was kept for is over without taking it
     * (cancelled or failed), pausing the transport if that leaves too much buffered.
     */
    private void settleTail() {
        List<byte[]> chunks = tail;
        if (chunks == null || (tailOwner != null && !tailOwner.done())) {
            return;
        }
        tail = null;
        tailSize = 0;
        tailOwner = null;
        for (byte[] chunk : chunks) {
            append(chunk);
        }
        if (!chunks.isEmpty()) {
            pauseIfFull();
            wakeupWaiter();
        }
    }

    private void append(byte[] data) {
        int size = end - start;
        if (buffer.length - end < data.length) {
            if (buffer.length - size >= data.length && size <= buffer.length / 2) {
                System.arraycopy(buffer, start, buffer, 0, size); // compact in place
            } else {
                byte[] grown = new byte[Math.max(buffer.length * 2, size + data.length)];
                System.arraycopy(buffer, start, grown, 0, size);
                buffer = grown;
            }
            start = 0;
            end = size;
        }
        System.arraycopy(data, 0, buffer, end, data.length);
        end += data.length;
    }

    /** The offset from {@code start} of the first occurrence of {@code separator}, or -1. */
    private int indexOf(byte[] separator) {
        outer:
        for (int i = start; i <= end - separator.length; i++) {
            for (int j = 0; j < separator.length; j++) {
                if (buffer[i + j] != separator[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    private boolean startsWith(byte[] separator, int offset) {
        if (end - start - offset < separator.length) {
            return false;
        }
        for (int j = 0; j < separator.length; j++) {
            if (buffer[start + offset + j] != separator[j]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "StreamReader[" + bufferedSize() + " bytes" + (eof ? ", eof" : "") + ", limit=" + limit
                + (waiter != null ? ", waiter" : "") + (exception != null ? ", exception=" + exception : "")
                + (transport != null ? ", transport=" + transport : "") + (paused ? ", paused" : "") + "]";
    }
}
