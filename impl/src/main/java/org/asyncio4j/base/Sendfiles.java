package org.asyncio4j.base;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.BaseTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.Protocol;
import org.asyncio4j.SendfileNotAvailableException;
import org.asyncio4j.Transport;
import org.jspecify.annotations.Nullable;

/**
 * CPython's {@code sock_sendfile} and {@code loop.sendfile}, written once: the argument checks, the zero-copy
 * attempt through the loop's {@link SocketSupport#sockSendfileNative} (for a file given by path), and the
 * read-and-send fallback (the file is read in the loop's default executor), with CPython's rule for the file
 * position: once any byte was sent it is left at {@code offset} plus the bytes sent.
 */
public final class Sendfiles {
    /** Bytes read per step of {@code sockSendfile}'s fallback (CPython's {@code min(count, 256 KiB)}). */
    static final int SOCK_CHUNK = 256 * 1024;
    /** Bytes read per step of {@code sendfile}'s fallback through a transport (CPython's 16 KiB). */
    static final int TRANSPORT_CHUNK = 16 * 1024;

    private Sendfiles() {}

    /**
     * CPython's {@code _check_sendfile_params}, for the offset and count.
     *
     * @param offset at least 0
     * @param count positive, or null
     * @throws IllegalArgumentException naming the argument and its value
     */
    public static void checkParams(long offset, @Nullable Long count) {
        if (count != null && count <= 0) {
            throw new IllegalArgumentException("count must be a positive integer (got " + count + ")");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be a non-negative integer (got " + offset + ")");
        }
    }

    /**
     * As {@link EventLoop#sockSendfile(LoopSocket, Path, long, Long, boolean)}.
     *
     * @param loop the loop, called on its thread
     * @param support the loop's sockets
     * @param sock a connected socket of the loop
     * @param path the file
     * @param offset where to start
     * @param count the most bytes, or null
     * @param fallback whether to read and send when zero-copy is not available
     * @return a future of the loop with the bytes sent
     */
    public static AsyncFuture<Long> sockSendfile(EventLoop loop, SocketSupport support, LoopSocket sock, Path path,
            long offset, @Nullable Long count, boolean fallback) {
        Objects.requireNonNull(sock, "sock");
        Objects.requireNonNull(path, "path");
        checkParams(offset, count);
        AsyncFuture<Long> result = loop.createFuture();
        AsyncFuture<Long> nativeSend = support.sockSendfileNative(sock, path, offset, count, null);
        nativeSend.addDoneCallback(n -> {
            if (result.done()) {
                return;
            }
            if (n.cancelled()) {
                result.cancel();
            } else if (n.exception() instanceof SendfileNotAvailableException && fallback) {
                FileChannel file;
                try {
                    file = FileChannel.open(path, StandardOpenOption.READ);
                } catch (IOException | RuntimeException e) {
                    result.setException(e);
                    return;
                }
                AsyncFuture<Long> sent = fallback(loop, support, sock, file, offset, count);
                sent.addDoneCallback(s -> {
                    closeQuietly(file);
                    copy(s, result);
                });
                result.addDoneCallback(r -> sent.cancel());
            } else {
                copy(n, result);
            }
        });
        result.addDoneCallback(r -> nativeSend.cancel());
        return result;
    }

    /**
     * As {@link EventLoop#sockSendfile(LoopSocket, FileChannel, long, Long, boolean)}: Java gives no descriptor
     * of a {@link FileChannel}, so it is never sent zero-copy.
     *
     * @param loop the loop, called on its thread
     * @param support the loop's sockets
     * @param sock a connected socket of the loop
     * @param file the file
     * @param offset where to start
     * @param count the most bytes, or null
     * @param fallback whether to read and send (else the future fails with SendfileNotAvailableException)
     * @return a future of the loop with the bytes sent
     */
    public static AsyncFuture<Long> sockSendfile(EventLoop loop, SocketSupport support, LoopSocket sock,
            FileChannel file, long offset, @Nullable Long count, boolean fallback) {
        Objects.requireNonNull(sock, "sock");
        Objects.requireNonNull(file, "file");
        checkParams(offset, count);
        if (!fallback) {
            AsyncFuture<Long> refused = loop.createFuture();
            refused.setException(new SendfileNotAvailableException("a FileChannel has no file descriptor for "
                    + "sendfile(2): pass its Path, or allow the fallback"));
            return refused;
        }
        return fallback(loop, support, sock, file, offset, count);
    }

    /** CPython's {@code _sock_sendfile_fallback}: read a chunk in the executor, {@code sockSendall} it, repeat. */
    private static AsyncFuture<Long> fallback(EventLoop loop, SocketSupport support, LoopSocket sock,
            FileChannel file, long offset, @Nullable Long count) {
        AsyncFuture<Long> result = loop.createFuture();
        new Steps(loop, file, offset, count, result, SOCK_CHUNK) {
            @Override
            AsyncFuture<?> send(byte[] chunk) {
                return support.sockSendall(sock, chunk);
            }
        }.next();
        return result;
    }

    /**
     * As {@link EventLoop#sendfile}: CPython's {@code _sendfile_fallback}. The transport's reading is paused and its
     * protocol replaced, so that its {@code pauseWriting}/{@code resumeWriting} pace the writes, until the end.
     *
     * @param loop the loop, called on its thread
     * @param transport an open socket transport
     * @param file the file
     * @param offset where to start
     * @param count the most bytes, or null
     * @param fallback must be true
     * @return a future of the loop with the bytes sent
     */
    public static AsyncFuture<Long> sendfile(EventLoop loop, Transport transport, FileChannel file, long offset,
            @Nullable Long count, boolean fallback) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(file, "file");
        checkParams(offset, count);
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        AsyncFuture<Long> result = loop.createFuture();
        if (!fallback) {
            result.setException(new SendfileNotAvailableException("fallback is disabled and native sendfile is not "
                    + "supported for transport " + transport));
            return result;
        }
        PacingProtocol pacing = new PacingProtocol(loop, transport);
        new Steps(loop, file, offset, count, result, TRANSPORT_CHUNK) {
            @Override
            AsyncFuture<?> send(byte[] chunk) {
                AsyncFuture<?> ready = pacing.drain();
                ready.addDoneCallback(r -> {
                    if (r.exception() == null && !r.cancelled()) {
                        transport.write(chunk);
                    }
                });
                return ready;
            }
        }.next();
        result.addDoneCallback(r -> pacing.restore());
        return result;
    }

    /**
     * As {@link EventLoop#sendfile(Transport, Path, long, Long, boolean)}: CPython's {@code _sendfile_native} on a
     * socket transport (reading paused, the write buffer flushed, then the loop's zero-copy send on its socket,
     * writes refused meanwhile), else the fallback of
     * {@link #sendfile(EventLoop, Transport, FileChannel, long, Long, boolean)}.
     *
     * @param loop the loop, called on its thread
     * @param support the loop's sockets
     * @param transport an open socket transport
     * @param path the file
     * @param offset where to start
     * @param count the most bytes, or null
     * @param fallback whether to read and write when zero-copy is not available
     * @return a future of the loop with the bytes sent
     */
    public static AsyncFuture<Long> sendfile(EventLoop loop, SocketSupport support, Transport transport, Path path,
            long offset, @Nullable Long count, boolean fallback) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(path, "path");
        checkParams(offset, count);
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        AsyncFuture<Long> result = loop.createFuture();
        AsyncFuture<Long> zeroCopy;
        if (transport instanceof SocketTransport st) {
            zeroCopy = sendfileNative(loop, support, st, path, offset, count);
        } else {
            zeroCopy = loop.createFuture();
            zeroCopy.setException(new SendfileNotAvailableException("not a socket transport: " + transport));
        }
        zeroCopy.addDoneCallback(n -> {
            if (result.done()) {
                return;
            }
            if (n.exception() instanceof SendfileNotAvailableException && fallback && !transport.isClosing()) {
                FileChannel file;
                try {
                    file = FileChannel.open(path, StandardOpenOption.READ);
                } catch (IOException | RuntimeException e) {
                    result.setException(e);
                    return;
                }
                AsyncFuture<Long> sent = sendfile(loop, transport, file, offset, count, true);
                sent.addDoneCallback(s -> {
                    closeQuietly(file);
                    copy(s, result);
                });
                result.addDoneCallback(r -> sent.cancel());
            } else {
                copy(n, result);
            }
        });
        result.addDoneCallback(r -> zeroCopy.cancel());
        return result;
    }

    private static AsyncFuture<Long> sendfileNative(EventLoop loop, SocketSupport support, SocketTransport transport,
            Path path, long offset, @Nullable Long count) {
        AsyncFuture<Long> result = loop.createFuture();
        boolean resumeReading = transport.isReading();
        transport.pauseReading();
        AsyncFuture<@Nullable Void> flushed = transport.makeEmptyWaiter();
        Runnable restore = () -> {
            transport.resetEmptyWaiter();
            if (resumeReading) {
                transport.resumeReading();
            }
        };
        flushed.addDoneCallback(f -> {
            if (result.done()) {
                return;
            }
            if (f.exception() != null) {
                restore.run();
                result.setException(f.exception());
                return;
            }
            AsyncFuture<Long> sending = support.sockSendfileNative(transport.socket, path, offset, count, transport);
            sending.addDoneCallback(s -> {
                restore.run();
                copy(s, result);
            });
            result.addDoneCallback(r -> sending.cancel());
        });
        return result;
    }

    /** One chunk read in the executor and sent, until the count or the end of the file. */
    private abstract static class Steps {
        private final EventLoop loop;
        private final FileChannel file;
        private final long offset;
        private final @Nullable Long count;
        private final AsyncFuture<Long> result;
        private final int chunk;
        private long total;
        private @Nullable AsyncFuture<?> inFlight;

        Steps(EventLoop loop, FileChannel file, long offset, @Nullable Long count, AsyncFuture<Long> result,
                int chunk) {
            this.loop = loop;
            this.file = file;
            this.offset = offset;
            this.count = count;
            this.result = result;
            this.chunk = chunk;
            result.addDoneCallback(r -> {
                AsyncFuture<?> f = inFlight;
                if (f != null) {
                    f.cancel();
                }
            });
        }

        /** Sends one chunk; the future is done once the next may go. */
        abstract AsyncFuture<?> send(byte[] chunk);

        void next() {
            if (result.done()) {
                return;
            }
            long size = count == null ? chunk : Math.min(count - total, chunk);
            if (size <= 0) {
                finish(null);
                return;
            }
            long position = offset + total;
            AsyncFuture<byte @Nullable []> reading = loop.runInExecutor(null, () -> {
                ByteBuffer buf = ByteBuffer.allocate((int) size);
                int n = file.read(buf, position);
                return n <= 0 ? null : Arrays.copyOf(buf.array(), n);
            });
            inFlight = reading;
            reading.addDoneCallback(r -> {
                if (result.done()) {
                    return;
                }
                if (r.exception() != null) {
                    finish(r.exception());
                    return;
                }
                byte[] data = r.result();
                if (data == null) {
                    finish(null);
                    return;
                }
                AsyncFuture<?> sending = send(data);
                inFlight = sending;
                sending.addDoneCallback(s -> {
                    if (result.done()) {
                        return;
                    }
                    if (s.cancelled() || s.exception() != null) {
                        finish(s.cancelled() ? new SocketException("send cancelled") : s.exception());
                        return;
                    }
                    total += data.length;
                    next();
                });
            });
        }

        private void finish(@Nullable Throwable error) {
            if (total > 0) {
                try {
                    file.position(offset + total);
                } catch (IOException e) {
                    error = error != null ? error : e;
                }
            }
            if (error != null) {
                result.setException(error);
            } else {
                result.setResult(total);
            }
        }
    }

    /**
     * CPython's {@code _SendfileFallbackProtocol}: stands in for the transport's protocol while the file is
     * written, so that the transport's flow control paces the writes; forwards {@code connectionLost}.
     */
    private static final class PacingProtocol implements Protocol {
        private final EventLoop loop;
        private final Transport transport;
        private final BaseProtocol original;
        private final boolean resumeReading;
        private final boolean resumeWriting;
        private @Nullable AsyncFuture<@Nullable Void> writeReady;

        PacingProtocol(EventLoop loop, Transport transport) {
            this.loop = loop;
            this.transport = transport;
            this.original = transport.getProtocol();
            this.resumeReading = transport.isReading();
            this.resumeWriting = transport.getWriteBufferSize() > transport.getWriteBufferLimits().high();
            transport.pauseReading();
            transport.setProtocol(this);
            if (resumeWriting) {
                writeReady = loop.createFuture();
            }
        }

        AsyncFuture<?> drain() {
            AsyncFuture<@Nullable Void> ready = loop.createFuture();
            if (transport.isClosing()) {
                ready.setException(new SocketException("Connection closed by peer"));
            } else if (writeReady == null) {
                ready.setResult(null);
            } else {
                return writeReady;
            }
            return ready;
        }

        @Override
        public void pauseWriting() {
            if (writeReady == null) {
                writeReady = loop.createFuture();
            }
        }

        @Override
        public void resumeWriting() {
            if (writeReady != null) {
                writeReady.setResult(null);
                writeReady = null;
            }
        }

        @Override
        public void connectionLost(@Nullable Throwable exc) {
            if (writeReady != null && !writeReady.done()) {
                writeReady.setException(exc != null ? exc : new SocketException("Connection is closed by peer"));
            }
            original.connectionLost(exc);
        }

        @Override
        public void dataReceived(byte[] data) {
            throw new IllegalStateException("Invalid state: reading should be paused");
        }

        @Override
        public boolean eofReceived() {
            throw new IllegalStateException("Invalid state: reading should be paused");
        }

        void restore() {
            BaseTransport t = transport;
            t.setProtocol(original);
            if (resumeReading && !transport.isClosing()) {
                transport.resumeReading();
            }
            if (writeReady != null) {
                writeReady.cancel();
            }
            if (resumeWriting) {
                original.resumeWriting();
            }
        }
    }

    private static void copy(AsyncFuture<Long> from, AsyncFuture<Long> to) {
        if (to.done()) {
            return;
        }
        if (from.cancelled()) {
            to.cancel();
        } else if (from.exception() != null) {
            to.setException(from.exception());
        } else {
            to.setResult(from.result());
        }
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // a file only read from: nothing was lost
        }
    }
}
