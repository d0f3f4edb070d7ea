package org.asyncio4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scheduled callback, as returned by {@link EventLoop#callSoon}: asyncio.Handle.
 *
 * <p>{@link #cancel()} may be repeated; a cancelled handle never runs and drops its reference to the
 * callback (LOOP-33). Loops call {@link #run()}; an exception thrown by the callback goes to the loop's
 * exception handler with the message "Exception in callback ..." (LOOP-47). An {@link Error} is not
 * contained: it propagates out of {@link EventLoop#runForever()}, as KeyboardInterrupt and SystemExit
 * do in CPython (LOOP-15).
 */
public class Handle {
    private volatile @Nullable Runnable callback;
    private final EventLoop loop;
    private final @Nullable Throwable sourceTraceback;
    private final @Nullable String description;

    /**
     * Creates a handle for {@code callback} on {@code loop}. In debug mode the creation stack is kept and
     * reported as "source_traceback" (LOOP-44).
     *
     * @param callback what the handle runs
     * @param loop the loop that schedules it
     */
    public Handle(Runnable callback, EventLoop loop) {
        this.callback = Objects.requireNonNull(callback, "callback");
        this.loop = Objects.requireNonNull(loop, "loop");
        boolean debug = loop.getDebug();
        this.sourceTraceback = debug ? new Throwable("handle created here") : null;
        this.description = debug ? callback.toString() : null;
    }

    /** Cancels the callback; harmless when repeated or after it ran. */
    public void cancel() {
        if (callback != null) {
            callback = null;
            onCancelled();
        }
    }

    /** {@return true once {@link #cancel()} was called} */
    public boolean cancelled() {
        return callback == null;
    }

    /** Hook for loops: called once, by the first {@link #cancel()}. */
    protected void onCancelled() {}

    /** {@return the loop this handle belongs to} */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Runs the callback unless cancelled; an exception goes to the loop's exception handler, an
     * {@link Error} propagates.
     */
    public void run() {
        Runnable cb = callback;
        if (cb == null) {
            return;
        }
        try {
            cb.run();
        } catch (Exception e) {
            Map<String, Object> context = new HashMap<>();
            context.put("message", "Exception in callback " + describe(cb));
            context.put("exception", e);
            context.put("handle", this);
            if (sourceTraceback != null) {
                context.put("source_traceback", sourceTraceback);
            }
            loop.callExceptionHandler(context);
        }
    }

    /** {@return the stack where this handle was created, in debug mode; otherwise null} */
    public @Nullable Throwable sourceTraceback() {
        return sourceTraceback;
    }

    private String describe(Runnable cb) {
        return description != null ? description : cb.toString();
    }

    @Override
    public String toString() {
        Runnable cb = callback;
        return "<" + getClass().getSimpleName() + (cb == null ? " cancelled" : " " + describe(cb)) + ">";
    }
}
