package org.asyncio4j.conformance.mutants;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;

/** An AsyncFuture that forwards everything to a reference future; mutants override one method. */
class ForwardingFuture<T> implements AsyncFuture<T> {
    final AsyncFuture<T> delegate;

    ForwardingFuture(AsyncFuture<T> delegate) {
        this.delegate = delegate;
    }

    @Override public T result() { return delegate.result(); }
    @Override public Throwable exception() { return delegate.exception(); }
    @Override public void setResult(T value) { delegate.setResult(value); }
    @Override public void setException(Throwable exception) { delegate.setException(exception); }
    @Override public boolean cancel() { return delegate.cancel(); }
    @Override public boolean cancel(String message) { return delegate.cancel(message); }
    @Override public boolean cancelled() { return delegate.cancelled(); }
    @Override public boolean done() { return delegate.done(); }
    @Override public void addDoneCallback(Consumer<? super AsyncFuture<T>> callback) { delegate.addDoneCallback(wrapper(callback)); }
    @Override public int removeDoneCallback(Consumer<? super AsyncFuture<T>> callback) { return delegate.removeDoneCallback(wrapper(callback)); }

    /** One wrapper per callback, so that the callback sees this future and removal finds every instance. */
    private synchronized Consumer<AsyncFuture<T>> wrapper(Consumer<? super AsyncFuture<T>> callback) {
        return wrappers.computeIfAbsent(callback, cb -> f -> callback.accept(this));
    }

    private final Map<Object, Consumer<AsyncFuture<T>>> wrappers = new IdentityHashMap<>();
    @Override public EventLoop getLoop() { return delegate.getLoop(); }
    @Override public CompletableFuture<T> toCompletableFuture() { return delegate.toCompletableFuture(); }
}
