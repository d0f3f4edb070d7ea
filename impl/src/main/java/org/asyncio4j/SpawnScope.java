package org.asyncio4j;

/** The fork window opened by {@link ChildWatcher#spawning()}; closing it never throws. */
public interface SpawnScope extends AutoCloseable {
    @Override
    void close();
}
