package org.asyncio4j.unix;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.SpawnScope;
import org.asyncio4j.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the Safe and Fast race tests: a {@link ScriptedWaiter} instead of the kernel's waitpid
 * (why: see that class), a real {@link SignalRecordingLoop} attached but not running (a real SIGCHLD only queues a
 * callback that never runs, so the script alone decides), its exception-handler calls recorded, and a log
 * capture. "A SIGCHLD arrived" is {@link SignalChildWatcher#sweep()} called directly, as CPython's tests call
 * {@code _sig_chld()}.
 */
abstract class SignalChildWatcherRaceTestSupport {
    final ScriptedWaiter waiter = new ScriptedWaiter();
    final SignalRecordingLoop loop = new SignalRecordingLoop();
    final List<Map<String, Object>> errors = new CopyOnWriteArrayList<>();
    final ExitRecorder exits = new ExitRecorder();
    SignalChildWatcher watcher;
    LogCapture logs;

    abstract SignalChildWatcher create(ScriptedWaiter w);

    @BeforeEach
    void attach() {
        loop.setExceptionHandler((l, context) -> errors.add(context));
        watcher = create(waiter);
        watcher.attachLoop(loop);
        logs = LogCapture.loop();
    }

    @AfterEach
    void closeAll() {
        try {
            watcher.close();
            loop.close();
        } finally {
            logs.close();
        }
    }

    /** {@code with watcher: body}. */
    void inWindow(Runnable body) {
        try (SpawnScope scope = watcher.spawning()) {
            body.run();
        }
    }

    /** Registers inside a window, as CPython's tests do for both watchers. */
    void register(long pid, ChildHandler handler) {
        inWindow(() -> watcher.addChildHandler(pid, handler));
    }
}
