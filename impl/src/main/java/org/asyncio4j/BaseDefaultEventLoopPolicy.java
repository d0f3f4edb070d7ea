package org.asyncio4j;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * asyncio's {@code BaseDefaultEventLoopPolicy}: the context is the current thread.
 *
 * <p>Each thread has its own current loop, initially none. In the main thread, {@link #getEventLoop()}
 * creates a loop on first use (through {@link #setEventLoop}, so subclasses see it), unless
 * {@code setEventLoop} was already called there; any other thread without a loop gets
 * {@code IllegalStateException("There is no current event loop in thread 'NAME'.")} (POL-09..15).
 *
 * <h2>Which thread is the main thread</h2>
 * The JVM's initial thread: the thread named {@code "main"} in the {@code "main"} thread group that
 * {@code java} runs {@code main()} on, looked up once when this class is initialised. Where no such thread
 * is alive then (an embedding that attaches its own threads, or a main thread that already ended), the
 * thread that initialises this class stands in for it. Override {@link #isMainThread(Thread)} to choose
 * differently.
 *
 * <p>Child watchers are a Unix matter: this base class answers {@link UnsupportedOperationException};
 * {@code org.asyncio4j.base.ChildWatcherEventLoopPolicy} adds them, for the Unix and the proactor policy.
 */
public abstract class BaseDefaultEventLoopPolicy implements EventLoopPolicy {
    private static final WeakReference<Thread> MAIN_THREAD = new WeakReference<>(findMainThread());

    /** Per thread: the current loop and whether setEventLoop was ever called there. */
    private static final class Slot {
        EventLoop loop;
        boolean setCalled;
    }

    private final ThreadLocal<Slot> local = ThreadLocal.withInitial(Slot::new);

    private final Supplier<? extends EventLoop> loopFactory;

    /** For subclasses that override {@link #createEventLoop()}. */
    protected BaseDefaultEventLoopPolicy() {
        this.loopFactory = null;
    }

    /**
     * A policy whose loops come from {@code loopFactory}: CPython's {@code _loop_factory}, so that a policy for
     * another loop is this base plus a factory.
     *
     * @param loopFactory makes each new loop; not null, and it must not return null
     */
    protected BaseDefaultEventLoopPolicy(Supplier<? extends EventLoop> loopFactory) {
        this.loopFactory = Objects.requireNonNull(loopFactory, "loopFactory");
    }

    /**
     * Creates the loops this policy hands out: CPython's {@code _loop_factory}. Calls the factory given to the
     * constructor; a subclass built with the no-argument constructor must override it.
     *
     * @return a new, open, not running loop; never null
     */
    protected EventLoop createEventLoop() {
        if (loopFactory == null) {
            throw new IllegalStateException(getClass().getName()
                    + " was built without a loop factory and does not override createEventLoop()");
        }
        return loopFactory.get();
    }

    /**
     * Whether {@code thread} is the main thread: see the class documentation.
     *
     * @param thread the thread asking for its loop
     * @return true for the main thread, whose loop {@link #getEventLoop()} creates on first use
     */
    protected boolean isMainThread(Thread thread) {
        return thread == MAIN_THREAD.get();
    }

    @Override
    public EventLoop getEventLoop() {
        Slot slot = local.get();
        if (slot.loop == null && !slot.setCalled && isMainThread(Thread.currentThread())) {
            setEventLoop(newEventLoop());
        }
        if (slot.loop == null) {
            throw new IllegalStateException(
                    "There is no current event loop in thread '" + Thread.currentThread().getName() + "'.");
        }
        return slot.loop;
    }

    @Override
    public void setEventLoop(EventLoop loop) {
        Slot slot = local.get();
        slot.setCalled = true;
        slot.loop = loop;
    }

    @Override
    public EventLoop newEventLoop() {
        EventLoop loop = createEventLoop();
        if (loop == null) {
            throw new IllegalStateException(getClass().getName() + ".createEventLoop() returned null");
        }
        return loop;
    }

    @Override
    public ChildWatcher getChildWatcher() {
        throw new UnsupportedOperationException(getClass().getName() + " has no child watcher");
    }

    @Override
    public void setChildWatcher(ChildWatcher watcher) {
        throw new UnsupportedOperationException(getClass().getName() + " has no child watcher");
    }

    private static Thread findMainThread() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            ThreadGroup group = t.getThreadGroup();
            if ("main".equals(t.getName()) && group != null && "main".equals(group.getName()) && !t.isDaemon()) {
                return t;
            }
        }
        return Thread.currentThread();
    }
}
