package org.asyncio4j.unix;

import org.asyncio4j.SpawnScope;

/** The spawn windows of the watchers (POL-32). */
final class SpawnWindows {
    /**
     * For the watchers that need no window: they learn of an exit that happened before the registration
     * anyway (Safe and MultiLoop poll the child at registration, Threaded waits for the pid itself, a pidfd
     * of an exited child is readable at once). Only Fast, which reaps any child, has a real window.
     */
    static final SpawnScope NONE = () -> { };

    private SpawnWindows() {}
}
