package org.asyncio4j.conformance;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.SpawnScope;

/** A child watcher that only records how a policy treats it (attach and close calls). */
final class RecordingWatcher implements ChildWatcher {
    final List<EventLoop> attached = new CopyOnWriteArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    /** Called with each attachLoop argument before it is recorded. */
    volatile Consumer<EventLoop> onAttach = loop -> { };
    private final String name;

    RecordingWatcher(String name) {
        this.name = name;
    }

    @Override
    public void addChildHandler(long pid, ChildHandler handler) {
        throw new UnsupportedOperationException("a recording watcher watches no children");
    }

    @Override
    public boolean removeChildHandler(long pid) {
        return false;
    }

    @Override
    public void attachLoop(EventLoop loop) {
        onAttach.accept(loop);
        attached.add(loop); // null: detach
    }

    @Override
    public boolean isActive() {
        return false;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    @Override
    public SpawnScope spawning() {
        return () -> { };
    }

    @Override
    public String toString() {
        return "RecordingWatcher[" + name + ", attached=" + attached.size() + ", closes=" + closes + "]";
    }
}
