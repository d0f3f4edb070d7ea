package org.asyncio4j.conformance.mutants;

import org.asyncio4j.EventLoop;
import org.asyncio4j.ChildHandler;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.SpawnScope;

/** A watcher that forwards to a reference watcher; mutants override one method or {@link #wrap}. */
class ForwardingWatcher implements ChildWatcher {
    final ChildWatcher delegate;

    ForwardingWatcher(ChildWatcher delegate) {
        this.delegate = delegate;
    }

    /** The handler registered with the delegate for {@code handler}. */
    ChildHandler wrap(long pid, ChildHandler handler) {
        return handler;
    }

    @Override public void addChildHandler(long pid, ChildHandler handler) { delegate.addChildHandler(pid, wrap(pid, handler)); }
    @Override public boolean removeChildHandler(long pid) { return delegate.removeChildHandler(pid); }
    @Override public void attachLoop(EventLoop loop) { delegate.attachLoop(loop); }
    @Override public boolean isActive() { return delegate.isActive(); }
    @Override public void close() { delegate.close(); }
    @Override public SpawnScope spawning() { return delegate.spawning(); }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
