package org.asyncio4j.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.support.Loops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Readers and writers on real pipes and eventfds (CPython's add_reader/add_writer; LOOP-18 for removal). */
class ReaderWriterTest {
    private final Posix posix = Posix.get();
    private final SelectorEventLoop loop = new SelectorEventLoop();
    private final int[] pipe = posix.pipe();
    private final int eventfd = posix.eventfd();
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void close() {
        loop.close();
        posix.close(pipe[0]);
        posix.close(pipe[1]);
        posix.close(eventfd);
    }

    private void writeByte() {
        assertEquals(1, posix.write(pipe[1], new byte[] {7}, 0, 1));
    }

    private void drain() {
        assertEquals(1, posix.read(pipe[0], new byte[16], 0, 16));
    }

    @Test
    @DisplayName("READER a reader runs on the loop when its pipe becomes readable, and not before")
    void readerFiresOnReadiness() {
        loop.addReader(pipe[0], () -> log.add("readable"));
        Loops.runOnce(loop);
        assertEquals(List.of(), log);
        writeByte();
        Loops.runOnce(loop);
        assertEquals(List.of("readable"), log);
        Loops.runOnce(loop);
        assertEquals(List.of("readable", "readable"), log, "level-triggered: still readable");
        drain();
        Loops.runOnce(loop);
        assertEquals(2, log.size());
    }

    @Test
    @DisplayName("READER a reader wakes a loop blocked without a timeout")
    void readerWakesABlockedLoop() {
        loop.addReader(pipe[0], () -> {
            drain();
            log.add("woken");
            loop.stop();
        });
        Thread writer = new Thread(() -> {
            Loops.pause(100);
            writeByte();
        }, "writer");
        writer.start();
        loop.runForever();
        Loops.join(writer);
        assertEquals(List.of("woken"), log);
    }

    @Test
    @DisplayName("WRITER a writer runs while its pipe is writable; removeWriter answers true, then false")
    void writerFiresWhileWritable() {
        loop.addWriter(pipe[1], () -> log.add("writable"));
        Loops.runOnce(loop);
        assertEquals(List.of("writable"), log);
        assertTrue(loop.removeWriter(pipe[1]));
        assertFalse(loop.removeWriter(pipe[1]));
        Loops.runOnce(loop);
        assertEquals(1, log.size());
    }

    @Test
    @DisplayName("READER an eventfd reader fires once signalled; reader and writer on one fd are independent")
    void eventfdReaderAndWriter() {
        loop.addReader(eventfd, () -> {
            posix.eventfdDrain(eventfd);
            log.add("read");
        });
        loop.addWriter(eventfd, () -> log.add("write"));
        Loops.runOnce(loop);
        assertEquals(List.of("write"), log);
        posix.eventfdSignal(eventfd);
        Loops.runOnce(loop);
        assertEquals(List.of("write", "read", "write"), log);
        assertTrue(loop.removeWriter(eventfd));
        posix.eventfdSignal(eventfd);
        Loops.runOnce(loop);
        assertEquals(List.of("write", "read", "write", "read"), log);
        assertTrue(loop.removeReader(eventfd));
        assertFalse(loop.removeReader(eventfd));
    }

    @Test
    @DisplayName("READER adding a reader again replaces the callback")
    void readerIsReplaced() {
        loop.addReader(pipe[0], () -> log.add("first"));
        loop.addReader(pipe[0], () -> log.add("second"));
        writeByte();
        Loops.runOnce(loop);
        assertEquals(List.of("second"), log);
    }

    @Test
    @DisplayName("READER removeReader answers true once, false after, false for an fd never registered; the reader stops")
    void removeReader() {
        loop.addReader(pipe[0], () -> log.add("readable"));
        assertTrue(loop.removeReader(pipe[0]));
        assertFalse(loop.removeReader(pipe[0]));
        assertFalse(loop.removeReader(pipe[1]));
        assertFalse(loop.removeReader(100_000));
        assertFalse(loop.removeReader(-1));
        writeByte();
        Loops.runOnce(loop);
        assertEquals(List.of(), log);
    }

    @Test
    @DisplayName("READER a negative fd: \"Invalid file descriptor: -1\"")
    void negativeFd() {
        assertEquals("Invalid file descriptor: -1",
                assertThrows(IllegalArgumentException.class, () -> loop.addReader(-1, () -> { })).getMessage());
        assertEquals("Invalid file descriptor: -1",
                assertThrows(IllegalArgumentException.class, () -> loop.addWriter(-1, () -> { })).getMessage());
    }

    @Test
    @DisplayName("READER a descriptor that is not open: IllegalArgumentException naming it, nothing registered")
    void closedFd() {
        int fd = 900;
        while (posix.isOpen(fd)) {
            fd++;
        }
        int unopened = fd;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addReader(unopened, () -> { }));
        assertTrue(e.getMessage().startsWith("fd " + unopened + " is not an open file descriptor"), e.getMessage());
        assertFalse(loop.removeReader(unopened));
    }

    @Test
    @DisplayName("READER a huge bogus descriptor is refused by the kernel before the fd table grows to hold it")
    void hugeBogusFd() {
        int bogus = Integer.MAX_VALUE - 8; // a table sized for it would need gigabytes
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addReader(bogus, () -> { }));
        assertTrue(e.getMessage().startsWith("fd " + bogus + " is not an open file descriptor"), e.getMessage());
        assertFalse(loop.removeReader(bogus));
    }

    @Test
    @DisplayName("READER a regular file cannot be polled: a clear IllegalArgumentException, nothing registered")
    void regularFile() throws IOException {
        Path file = Files.createTempFile("asyncio4j", ".txt");
        int fd = posix.open(file.toString(), false);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addReader(fd, () -> { }));
            assertTrue(e.getMessage().startsWith("fd " + fd + " cannot be polled (regular files and directories are always ready)"),
                    e.getMessage());
            assertFalse(loop.removeReader(fd));
        } finally {
            posix.close(fd);
            Files.delete(file);
        }
    }

    @Test
    @DisplayName("READER removing the reader of an fd closed while registered still answers true")
    void removeAfterTheFdWasClosed() {
        int[] other = posix.pipe();
        posix.close(other[1]);
        loop.addReader(other[0], () -> log.add("eof"));
        posix.close(other[0]);
        assertTrue(loop.removeReader(other[0]));
        Loops.runOnce(loop);
        assertEquals(List.of(), log);
    }
}
