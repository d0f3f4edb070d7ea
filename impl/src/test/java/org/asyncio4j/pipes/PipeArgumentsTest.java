package org.asyncio4j.pipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Protocol;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.base.BaseEventLoop;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.pipes.PipeFixtures.LoopAndPipe;
import org.asyncio4j.pipes.PipeFixtures.Recorder;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input, closed loops, loops without pipes, and protocols that throw. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken rule fails, never hangs
class PipeArgumentsTest {
    private static final String LOOPS = "org.asyncio4j.pipes.PipeFixtures#loops";

    private final Posix posix = Posix.get();
    @RegisterExtension
    final LoopAndPipe fixture = new LoopAndPipe();
    private final int[] pipe = fixture.pipe;
    private EventLoop loop;

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-14 bad arguments are named: null factory, negative fd, fd not open, high < low; the fd stays the caller's")
    void badArguments(Supplier<EventLoop> factory) {
        loop = fixture.open(factory);
        NullPointerException nullFactory = assertThrows(NullPointerException.class,
                () -> loop.connectReadPipe(null, pipe[0]));
        assertEquals("protocolFactory", nullFactory.getMessage());
        assertThrows(NullPointerException.class, () -> loop.connectWritePipe(null, pipe[1]));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> loop.connectReadPipe(() -> new Recorder(loop), -1));
        assertEquals("Invalid file descriptor: -1", negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.connectWritePipe(() -> new Recorder(loop), -5));
        int[] gone = posix.pipe();
        int closed = gone[0];
        posix.close(gone[0]);
        posix.close(gone[1]);
        IllegalArgumentException notOpen = assertThrows(IllegalArgumentException.class,
                () -> loop.connectReadPipe(() -> new Recorder(loop), closed));
        assertTrue(notOpen.getMessage().startsWith("fd " + closed + " is not an open file descriptor"),
                notOpen.getMessage());
        assertTrue(posix.isOpen(pipe[0]) && posix.isOpen(pipe[1]), "refused descriptors stay open");

        TransportAndProtocol<WriteTransport, Recorder> w = PipeFixtures.writePipe(loop, pipe[1]);
        IllegalArgumentException limits = assertThrows(IllegalArgumentException.class,
                () -> w.transport().setWriteBufferLimits(10, 20));
        assertEquals("high (10) must be >= low (20) must be >= 0", limits.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.transport().setWriteBufferLimits(10, -1));
        assertThrows(NullPointerException.class, () -> w.transport().write(null));
        w.transport().close();
        loop.runUntilComplete(w.protocol().lost);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-15 a closed loop refuses pipes with \"Event loop is closed\"")
    void closedLoop(Supplier<EventLoop> factory) {
        loop = fixture.open(factory);
        loop.close();
        IllegalStateException read = assertThrows(IllegalStateException.class,
                () -> loop.connectReadPipe(() -> new Recorder(loop), pipe[0]));
        assertEquals("Event loop is closed", read.getMessage());
        IllegalStateException write = assertThrows(IllegalStateException.class,
                () -> loop.connectWritePipe(() -> new Recorder(loop), pipe[1]));
        assertEquals("Event loop is closed", write.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-16 exceptions from connectionMade and connectionLost go to the exception handler; the fd is closed anyway")
    void throwingLifecycleCallbacks(Supplier<EventLoop> factory) {
        loop = fixture.open(factory);
        List<Map<String, Object>> errors = PipeFixtures.captureErrors(loop);
        RuntimeException made = new RuntimeException("made");
        RuntimeException lost = new RuntimeException("lost");
        AsyncFuture<Void> lostCalled = loop.createFuture();
        loop.runUntilComplete(loop.connectReadPipe(() -> new Protocol() {
            @Override
            public void connectionMade(org.asyncio4j.BaseTransport transport) {
                throw made;
            }

            @Override
            public void connectionLost(Throwable exc) {
                lostCalled.setResult(null);
                throw lost;
            }
        }, pipe[0]));
        posix.close(pipe[1]);
        loop.runUntilComplete(lostCalled);
        for (int i = 0; i < 1000 && posix.isOpen(pipe[0]); i++) {
            Loops.runOnce(loop);
            Loops.pause(1);
        }
        assertFalse(posix.isOpen(pipe[0]), "closed after connectionLost even though it threw");
        assertEquals(List.of(made, lost), errors.stream().map(c -> c.get("exception")).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-17 exceptions from pauseWriting are reported as \"protocol.pauseWriting() failed\"")
    void throwingPauseWriting(Supplier<EventLoop> factory) {
        loop = fixture.open(factory);
        List<Map<String, Object>> errors = PipeFixtures.captureErrors(loop);
        RuntimeException boom = new RuntimeException("pause");
        WriteTransport out = loop.runUntilComplete(loop.connectWritePipe(() -> new BaseProtocol() {
            @Override
            public void pauseWriting() {
                throw boom;
            }
        }, pipe[1])).transport();
        out.write(new byte[256 * 1024]);
        assertEquals(1, errors.size());
        assertEquals("protocol.pauseWriting() failed", errors.get(0).get("message"));
        assertEquals(boom, errors.get(0).get("exception"));
        assertEquals(out, errors.get(0).get("transport"));
        out.abort();
        for (int i = 0; i < 1000 && posix.isOpen(pipe[1]); i++) {
            Loops.runOnce(loop);
            Loops.pause(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(LOOPS)
    @DisplayName("TRN-19 closing the loop closes the descriptors of pipe transports still open")
    void loopCloseClosesPipes(Supplier<EventLoop> factory) {
        loop = fixture.open(factory);
        PipeFixtures.readPipe(loop, pipe[0]);
        PipeFixtures.writePipe(loop, pipe[1]).transport().write(new byte[256 * 1024]);
        loop.close();
        assertFalse(posix.isOpen(pipe[0]), "read end closed with the loop");
        assertFalse(posix.isOpen(pipe[1]), "write end closed with the loop");
    }

    @Test
    @DisplayName("TRN-14 the selector loop refuses a regular file at once: epoll cannot watch it")
    void selectorRefusesRegularFile(@TempDir Path dir) throws Exception {
        loop = fixture.open(SelectorEventLoop::new);
        Path file = Files.writeString(dir.resolve("data"), "x");
        int fd = posix.open(file.toString(), false);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.connectReadPipe(() -> new Recorder(loop), fd));
            assertTrue(e.getMessage().startsWith("fd " + fd + " cannot be polled"), e.getMessage());
            assertTrue(posix.isOpen(fd), "the refused descriptor stays the caller's");
        } finally {
            posix.close(fd);
        }
    }

    /** A loop of a third party that knows nothing of pipes. */
    static final class PipelessLoop extends BaseEventLoop {
        @Override protected void select(long timeoutNanos) {}
        @Override protected void wakeup() {}
        @Override protected void closeSelector() {}
        @Override public void addReader(int fd, Runnable callback) { throw new UnsupportedOperationException(); }
        @Override public boolean removeReader(int fd) { return false; }
        @Override public void addWriter(int fd, Runnable callback) { throw new UnsupportedOperationException(); }
        @Override public boolean removeWriter(int fd) { return false; }
        @Override public AsyncFuture<Subprocess> subprocessExec(List<String> argv, SubprocessOptions o) {
            throw new UnsupportedOperationException();
        }
        @Override public AsyncFuture<Subprocess> subprocessShell(String command, SubprocessOptions o) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    @DisplayName("TRN-18 a loop without pipe transports refuses with UnsupportedOperationException (CPython's NotImplementedError)")
    void defaultRefuses() {
        try (PipelessLoop pipeless = new PipelessLoop()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> pipeless.connectReadPipe(() -> new Recorder(pipeless), pipe[0]));
            assertTrue(e.getMessage().endsWith("does not implement connectReadPipe"), e.getMessage());
            assertThrows(UnsupportedOperationException.class,
                    () -> pipeless.connectWritePipe(() -> new Recorder(pipeless), pipe[1]));
        }
    }
}
