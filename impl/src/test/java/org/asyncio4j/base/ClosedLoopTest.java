package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.asyncio4j.EventLoop;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.support.Loops;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every loop method does once the loop is closed (LOOP-18). */
class ClosedLoopTest {
    private final Posix posix = Posix.get();
    private final int[] pipe = posix.pipe();

    @AfterEach
    void closePipe() {
        posix.close(pipe[0]);
        posix.close(pipe[1]);
    }

    static Stream<Named<Consumer<EventLoop>>> refusing() {
        Runnable noop = () -> { };
        return Stream.of(
                Named.of("callSoon", l -> l.callSoon(noop)),
                Named.of("callSoonThreadsafe", l -> l.callSoonThreadsafe(noop)),
                Named.of("callLater", l -> l.callLater(1, noop)),
                Named.of("callAt", l -> l.callAt(l.time(), noop)),
                Named.of("runInExecutor(default)", l -> l.runInExecutor(null, () -> 1)),
                Named.of("runInExecutor(given)", l -> l.runInExecutor(Runnable::run, () -> 1)),
                Named.of("addSignalHandler", l -> l.addSignalHandler(Loops.SIGWINCH, noop)),
                Named.of("runForever", EventLoop::runForever),
                Named.of("runUntilComplete", l -> l.runUntilComplete(l.createFuture())),
                Named.of("subprocessExec", l -> l.subprocessExec(List.of("true"), SubprocessOptions.builder().build())),
                Named.of("subprocessShell", l -> l.subprocessShell("true", SubprocessOptions.builder().build())),
                Named.of("shutdownDefaultExecutor", l -> ((BaseEventLoop) l).shutdownDefaultExecutor()));
    }

    @ParameterizedTest(name = "LOOP-18 {0} on a closed loop: \"Event loop is closed\"")
    @MethodSource("refusing")
    void refusesOnceClosed(Consumer<EventLoop> call) {
        SelectorEventLoop loop = new SelectorEventLoop();
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> call.accept(loop));
        assertEquals("Event loop is closed", e.getMessage());
    }

    @Test
    @DisplayName("LOOP-18 addReader and addWriter on a closed loop: \"Event loop is closed\"")
    void fdRegistrationRefusedOnceClosed() {
        SelectorEventLoop loop = new SelectorEventLoop();
        loop.close();
        assertEquals("Event loop is closed",
                assertThrows(IllegalStateException.class, () -> loop.addReader(pipe[0], () -> { })).getMessage());
        assertEquals("Event loop is closed",
                assertThrows(IllegalStateException.class, () -> loop.addWriter(pipe[1], () -> { })).getMessage());
    }

    @Test
    @DisplayName("LOOP-18 removeReader, removeWriter and removeSignalHandler on a closed loop answer false")
    void removalsAnswerFalseOnceClosed() {
        SelectorEventLoop loop = new SelectorEventLoop();
        loop.addReader(pipe[0], () -> { });
        loop.addWriter(pipe[1], () -> { });
        loop.addSignalHandler(Loops.SIGWINCH, () -> { });
        loop.close();
        assertFalse(loop.removeReader(pipe[0]));
        assertFalse(loop.removeWriter(pipe[1]));
        assertFalse(loop.removeSignalHandler(Loops.SIGWINCH));
    }
}
