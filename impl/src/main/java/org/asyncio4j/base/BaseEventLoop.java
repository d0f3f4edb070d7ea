package org.asyncio4j.base;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.BaseProtocol;
import org.asyncio4j.ConnectionOptions;
import org.asyncio4j.DatagramOptions;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.DatagramTransport;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.ExceptionHandler;
import org.asyncio4j.Handle;
import org.asyncio4j.LoopSocket;
import org.asyncio4j.TlsOptions;
import org.asyncio4j.Protocol;
import org.asyncio4j.ReadTransport;
import org.asyncio4j.Server;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessProtocol;
import org.asyncio4j.SubprocessTransport;
import org.asyncio4j.TimerHandle;
import org.asyncio4j.Transport;
import org.asyncio4j.TransportAndProtocol;
import org.asyncio4j.UnixServerOptions;
import org.asyncio4j.WriteTransport;
import org.asyncio4j.internal.Loggers;
import org.asyncio4j.internal.posix.Posix;
import org.asyncio4j.internal.posix.PosixException;
import org.asyncio4j.internal.posix.SystemErrors;
import org.asyncio4j.internal.signal.SignalDispatcher;
import org.asyncio4j.internal.signal.SignalSubscription;
import org.jspecify.annotations.Nullable;

/**
 * What every asyncio4j loop shares, whatever it polls: CPython's {@code base_events.BaseEventLoop}.
 *
 * <p>It owns the ready queue, the timer heap, the run/stop/close life cycle, the exception handler,
 * futures, the default executor and signal handlers (through the process-wide signal dispatcher).
 * A subclass supplies I/O: {@link #select(long)} waits for readiness and hands ready callbacks to
 * {@link #addReady(Handle)}, and {@link #wakeup()} interrupts a blocked {@code select} from another thread.
 *
 * <h2>One iteration</h2>
 * Poll with a timeout of 0 if callbacks are ready or a stop is pending, else until the earliest live timer,
 * else without limit (LOOP-31); then run, in this order, the callbacks that were ready before the poll,
 * those the poll made ready, and the timers now due in time order (LOOP-27). Callbacks scheduled while the
 * iteration runs wait for the next one (LOOP-03, LOOP-32).
 *
 * <h2>Errors</h2>
 * An exception from a callback goes to the exception handler and the loop runs on (LOOP-47). An
 * {@link Error} propagates out of {@link #runForever()}, leaving the loop stopped, usable and with the
 * unrun callbacks of that iteration still queued: the Java counterpart of KeyboardInterrupt (LOOP-15).
 *
 * <h2>Allocation</h2>
 * Scheduling a callback allocates its {@link Handle} and nothing else: the ready queue is a pair of
 * array deques swapped once per iteration under one lock, shared by {@code callSoon} and
 * {@code callSoonThreadsafe} so both keep one FIFO order (LOOP-24).
 */
public abstract class BaseEventLoop implements EventLoop {
    /** The {@code org.asyncio4j} logger every loop and watcher logs to. */
    protected static final System.Logger LOG = Loggers.LOG;

    /** {@link #state} of a closed loop. */
    private static final Object CLOSED = new Object();
    private static final long ORIGIN_NANOS = System.nanoTime();
    private static final double CLOCK_RESOLUTION = 1e-9;
    private static final double MAXIMUM_SELECT_TIMEOUT = 24 * 3600;
    private static final int MIN_SCHEDULED_TIMER_HANDLES = 100;
    private static final AtomicInteger LOOP_IDS = new AtomicInteger();

    private final int id = LOOP_IDS.incrementAndGet();

    private final Object readyLock = new Object();
    private ArrayDeque<Handle> incoming = new ArrayDeque<>(); // guarded by readyLock
    private ArrayDeque<Handle> batch = new ArrayDeque<>();    // loop thread only
    private final ArrayDeque<Handle> ioReady = new ArrayDeque<>(); // loop thread only

    private final PriorityQueue<ScheduledTimer> timers = new PriorityQueue<>(ScheduledTimer.ORDER);
    private int cancelledTimers;
    private long timerSequence;

    private volatile boolean stopping;
    /** Guards the run/close transitions, so a close can never slip in while a run is starting. */
    private final Object lifecycle = new Object();
    /**
     * Whether the loop is closed and which thread runs it, in one field so that {@link #checkSchedulable()}
     * reads one word: null while open and idle, the running {@link Thread}, or {@link #CLOSED}. A loop never
     * runs once closed, and cannot close while running, so the three states exclude each other. Written
     * under {@link #lifecycle}.
     */
    private volatile @Nullable Object state;
    private final AtomicBoolean polling = new AtomicBoolean();

    private volatile boolean debug = debugFromEnvironment();
    private volatile double slowCallbackDuration = 0.1;
    private volatile ExceptionHandler exceptionHandler;
    private Handle currentHandle;

    private final Object executorLock = new Object();
    private ExecutorService defaultExecutor;
    private boolean executorShutdownCalled;

    private final Map<Integer, SignalEntry> signalHandlers = new ConcurrentHashMap<>();

    /**
     * A signal handler of this loop. Deliveries that arrive while its handle is already queued are folded
     * into that one run: POSIX coalesces pending signals the same way, and a handler must treat one call
     * as "at least one signal since the last call" (the JVM may also deliver a burst on many threads).
     */
    private static final class SignalEntry {
        final AtomicBoolean queued = new AtomicBoolean();
        SignalSubscription subscription;
        volatile Handle handle;
    }

    /** For subclasses: an open loop, not running, with a new number. */
    protected BaseEventLoop() {}

    // ----- what a subclass provides -------------------------------------------------------------

    /**
     * Waits for I/O readiness for at most {@code timeoutNanos} (0: poll, -1: no limit) and passes the
     * callbacks of ready descriptors to {@link #addReady(Handle)}. Returns early when {@link #wakeup()} is
     * called from another thread or a signal handler schedules a callback.
     *
     * @param timeoutNanos the longest wait in nanoseconds: 0 to poll, -1 for no limit
     */
    protected abstract void select(long timeoutNanos);

    /** Makes a blocked {@link #select(long)} return soon. Called from any thread; must never throw (LOOP-39). */
    protected abstract void wakeup();

    /** Releases the I/O resources; called once by {@link #close()} after the queues are dropped. */
    protected abstract void closeSelector();

    /**
     * From {@link #select(long)} only: queues a ready I/O callback for this iteration.
     *
     * @param handle the reader's or writer's handle
     */
    protected final void addReady(Handle handle) {
        ioReady.add(handle);
    }

    // ----- life cycle ---------------------------------------------------------------------------

    @Override
    public void runForever() {
        synchronized (lifecycle) {
            checkClosed();
            checkNotRunning();
            state = Thread.currentThread();
        }
        EventLoops.setRunningLoop(this);
        try {
            do {
                runOnce();
            } while (!stopping);
        } finally {
            stopping = false;
            EventLoops.setRunningLoop(null);
            synchronized (lifecycle) {
                state = null;
            }
        }
    }

    @Override
    public <T> T runUntilComplete(AsyncFuture<T> future) {
        checkClosed();
        checkNotRunning();
        Objects.requireNonNull(future, "future");
        if (future.getLoop() != this) {
            throw new IllegalArgumentException(
                    "The future belongs to a different loop than the one specified as the loop argument");
        }
        // The stop callback acts only during this run: once scheduled it cannot be unscheduled, and a run
        // left by an Error (LOOP-14) or by a stop before the future completed (LOOP-12) must not leave it to
        // stop a later run.
        boolean[] thisRun = {true};
        Consumer<AsyncFuture<T>> stopper = f -> {
            if (thisRun[0]) {
                stop();
            }
        };
        future.addDoneCallback(stopper);
        try {
            runForever();
        } finally {
            thisRun[0] = false;
            future.removeDoneCallback(stopper);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    @Override
    public void stop() {
        stopping = true;
    }

    @Override
    public boolean isRunning() {
        return state instanceof Thread;
    }

    @Override
    public boolean isClosed() {
        return state == CLOSED;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Callbacks still queued are dropped, as in CPython (LOOP-17): those a {@code callSoonThreadsafe}
     * added after {@link #stop()}, and those an {@link Error} left behind. Their number is logged at DEBUG
     * level. A close racing a {@link #runForever()} that starts on another thread is either refused ("Cannot
     * close a running event loop") or makes that run fail ("Event loop is closed"); the loop's descriptors
     * are released only once no thread can poll them.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (isRunning()) {
                throw new IllegalStateException("Cannot close a running event loop");
            }
            if (state == CLOSED) {
                return;
            }
            state = CLOSED;
        }
        for (Integer signum : signalHandlers.keySet().toArray(new Integer[0])) {
            removeSignalHandler(signum);
        }
        int dropped;
        synchronized (readyLock) {
            dropped = live(incoming);
            incoming.clear();
        }
        dropped += live(batch) + live(ioReady);
        batch.clear();
        ioReady.clear();
        if (dropped > 0) {
            int count = dropped;
            LOG.log(Level.DEBUG, () -> "Closing " + this + " dropped " + count + " callback(s) that had not run");
        }
        for (ScheduledTimer t : timers) {
            t.inHeap = false;
        }
        timers.clear();
        cancelledTimers = 0;
        ExecutorService executor;
        synchronized (executorLock) {
            executor = defaultExecutor;
            defaultExecutor = null;
            executorShutdownCalled = true;
        }
        if (executor != null) {
            executor.shutdown();
        }
        for (BaseSubprocessTransport child : subprocesses) {
            child.loopClosed();
        }
        subprocesses.clear();
        closeSelector();
    }

    private static int live(ArrayDeque<Handle> handles) {
        int n = 0;
        for (Handle h : handles) {
            if (!h.cancelled()) {
                n++;
            }
        }
        return n;
    }

    /** {@return this loop's number, as in its {@code toString()}: for naming the threads a loop starts} */
    protected final int loopId() {
        return id;
    }

    /** {@return the thread running this loop, or null} */
    protected final @Nullable Thread runningThread() {
        return state instanceof Thread running ? running : null;
    }

    /**
     * Refuses work on a closed loop, as CPython's {@code _check_closed()}.
     *
     * @throws IllegalStateException "Event loop is closed"
     */
    protected final void checkClosed() {
        if (state == CLOSED) {
            throw closedError();
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("Event loop is closed");
    }

    private static IllegalStateException otherThreadError() {
        return new IllegalStateException(
                "Non-thread-safe operation invoked on an event loop other than the current one");
    }

    private void checkNotRunning() {
        if (isRunning()) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (EventLoops.runningLoopOrNull() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
    }

    /**
     * Rejects a non-thread-safe call from a thread other than the running loop's (LOOP-40). CPython checks
     * only in debug mode; asyncio4j always does, since such a call would otherwise queue a callback that
     * no wake-up announces.
     */
    protected final void checkThread() {
        Object current = state;
        if (current instanceof Thread && current != Thread.currentThread()) {
            throw otherThreadError();
        }
    }

    /**
     * {@link #checkClosed()} and {@link #checkThread()} in one read, for the scheduling methods: a closed
     * loop refuses with "Event loop is closed", a loop running on another thread with the thread error. The
     * common case, an open loop that is idle or running on this thread, costs the one volatile read and
     * comparison that the closed check alone costs, so the thread check adds nothing to
     * {@link #callSoon(Runnable)} ({@code benchmarks/thread-check-cost.sh --instructions} counts it).
     */
    protected final void checkSchedulable() {
        Object current = state;
        if (current != null && current != Thread.currentThread()) {
            throw current == CLOSED ? closedError() : otherThreadError();
        }
    }

    // ----- one iteration ------------------------------------------------------------------------

    private void runOnce() {
        dropCancelledTimers();

        polling.set(true);
        long timeoutNanos;
        if (stopping || !batch.isEmpty() || hasIncoming()) {
            timeoutNanos = 0;
        } else if (!timers.isEmpty()) {
            double seconds = Math.min(Math.max(timers.peek().when() - time(), 0), MAXIMUM_SELECT_TIMEOUT);
            timeoutNanos = (long) Math.ceil(seconds * 1e9);
        } else {
            timeoutNanos = -1;
        }
        try {
            select(timeoutNanos);
        } finally {
            polling.set(false);
        }

        synchronized (readyLock) {
            if (batch.isEmpty()) {
                ArrayDeque<Handle> swap = batch;
                batch = incoming;
                incoming = swap;
            } else {
                batch.addAll(incoming); // callbacks left behind by an Error run first
                incoming.clear();
            }
        }
        while (!ioReady.isEmpty()) {
            batch.add(ioReady.poll());
        }
        double endTime = time() + CLOCK_RESOLUTION;
        while (!timers.isEmpty() && timers.peek().when() < endTime) {
            ScheduledTimer t = timers.poll();
            t.inHeap = false;
            if (t.cancelled()) {
                cancelledTimers--;
            } else {
                batch.add(t);
            }
        }

        Handle handle;
        while ((handle = batch.poll()) != null) {
            if (handle.cancelled()) {
                continue;
            }
            if (debug) {
                runTimed(handle);
            } else {
                handle.run();
            }
        }
    }

    private boolean hasIncoming() {
        synchronized (readyLock) {
            return !incoming.isEmpty();
        }
    }

    private void runTimed(Handle handle) {
        currentHandle = handle;
        long t0 = System.nanoTime();
        try {
            handle.run();
        } finally {
            currentHandle = null;
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (seconds >= slowCallbackDuration) {
                LOG.log(Level.WARNING, () -> "Executing " + handle + " took "
                        + String.format(Locale.ROOT, "%.3f", seconds) + " seconds");
            }
        }
    }

    /** Pops cancelled timers off the heap's head, or purges them all when they dominate (LOOP-34). */
    private void dropCancelledTimers() {
        int scheduled = timers.size();
        if (scheduled > MIN_SCHEDULED_TIMER_HANDLES && cancelledTimers * 2 > scheduled) {
            ScheduledTimer[] live = timers.stream().filter(t -> !t.cancelled()).toArray(ScheduledTimer[]::new);
            for (ScheduledTimer t : timers) {
                if (t.cancelled()) {
                    t.inHeap = false;
                }
            }
            timers.clear();
            Collections.addAll(timers, live);
            cancelledTimers = 0;
        } else {
            while (!timers.isEmpty() && timers.peek().cancelled()) {
                timers.poll().inHeap = false;
                cancelledTimers--;
            }
        }
    }

    void timerCancelled() {
        cancelledTimers++;
    }

    /** Number of timers in the heap, cancelled ones included (for tests of LOOP-34). */
    final int scheduledTimerCount() {
        return timers.size();
    }

    // ----- scheduling ---------------------------------------------------------------------------

    @Override
    public Handle callSoon(Runnable callback) {
        checkSchedulable();
        Handle handle = new Handle(Objects.requireNonNull(callback, "callback"), this);
        synchronized (readyLock) {
            incoming.add(handle);
        }
        return handle;
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        checkClosed();
        Handle handle = new Handle(Objects.requireNonNull(callback, "callback"), this);
        enqueueThreadsafe(handle);
        return handle;
    }

    private void enqueueThreadsafe(Handle handle) {
        synchronized (readyLock) {
            incoming.add(handle);
        }
        if (polling.get() && polling.compareAndSet(true, false)) {
            wakeup();
        }
    }

    @Override
    public TimerHandle callLater(double delaySeconds, Runnable callback) {
        if (Double.isNaN(delaySeconds)) {
            throw new IllegalArgumentException("delay must be a number, got NaN");
        }
        return callAt(time() + delaySeconds, callback);
    }

    @Override
    public TimerHandle callAt(double when, Runnable callback) {
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("when must be a number, got NaN");
        }
        Objects.requireNonNull(callback, "callback");
        checkSchedulable();
        ScheduledTimer timer = new ScheduledTimer(when, callback, this, timerSequence++);
        timers.add(timer);
        return timer;
    }

    @Override
    public double time() {
        return (System.nanoTime() - ORIGIN_NANOS) / 1e9;
    }

    // ----- futures and executors ----------------------------------------------------------------

    @Override
    public <T> AsyncFuture<T> createFuture() {
        return new LoopFuture<>(this);
    }

    @Override
    public <T> AsyncFuture<T> runInExecutor(Executor executor, Callable<T> fn) {
        checkClosed();
        Objects.requireNonNull(fn, "fn");
        Executor target = executor != null ? executor : defaultExecutor();
        LoopFuture<T> future = new LoopFuture<>(this);
        FutureTask<T> task = new FutureTask<>(fn) {
            @Override
            protected void done() {
                if (isCancelled() || BaseEventLoop.this.isClosed()) {
                    return;
                }
                try {
                    callSoonThreadsafe(() -> settle(future, this));
                } catch (IllegalStateException loopClosedMeanwhile) {
                    // The loop closed after the check: nobody can observe the result any more.
                }
            }
        };
        future.addDoneCallback(f -> {
            if (f.cancelled()) {
                task.cancel(false);
            }
        });
        target.execute(task);
        return future;
    }

    private static <T> void settle(LoopFuture<T> future, FutureTask<T> task) {
        if (future.done()) {
            return;
        }
        try {
            future.setResult(task.get());
        } catch (ExecutionException e) {
            future.setException(e.getCause());
        } catch (InterruptedException | CancellationException e) {
            future.cancel();
        }
    }

    private Executor defaultExecutor() {
        synchronized (executorLock) {
            if (executorShutdownCalled) {
                throw new IllegalStateException("Executor shutdown has been called");
            }
            if (defaultExecutor == null) {
                int threads = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
                AtomicInteger n = new AtomicInteger();
                ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), r -> {
                            Thread t = new Thread(r, "asyncio4j-loop" + id + "-executor-" + n.getAndIncrement());
                            t.setDaemon(true);
                            return t;
                        });
                pool.allowCoreThreadTimeOut(true);
                defaultExecutor = pool;
            }
            return defaultExecutor;
        }
    }

    /**
     * {@inheritDoc} Later {@code runInExecutor(null, ...)} calls raise "Executor shutdown has been called"
     * (LOOP-46).
     */
    @Override
    public AsyncFuture<@Nullable Void> shutdownDefaultExecutor() {
        checkClosed();
        ExecutorService executor;
        synchronized (executorLock) {
            executorShutdownCalled = true;
            executor = defaultExecutor;
            defaultExecutor = null;
        }
        LoopFuture<Void> done = new LoopFuture<>(this);
        if (executor == null) {
            done.setResult(null);
            return done;
        }
        executor.shutdown();
        Thread waiter = new Thread(() -> {
            try {
                while (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                    // keep waiting: CPython joins the executor's threads without a limit
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!isClosed()) {
                try {
                    callSoonThreadsafe(() -> {
                        if (!done.done()) {
                            done.setResult(null);
                        }
                    });
                } catch (IllegalStateException loopClosedMeanwhile) {
                    // nothing left to tell
                }
            }
        }, "asyncio4j-loop" + id + "-executor-shutdown");
        waiter.setDaemon(true);
        waiter.start();
        return done;
    }

    // ----- signals ------------------------------------------------------------------------------

    @Override
    public void addSignalHandler(int signum, Runnable callback) {
        SignalDispatcher.checkSignalNumber(signum);
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        SignalEntry existing = signalHandlers.get(signum);
        SignalEntry entry = existing != null ? existing : new SignalEntry();
        entry.handle = new Handle(new Runnable() {
            @Override
            public void run() {
                entry.queued.set(false);
                callback.run();
            }

            @Override
            public String toString() {
                return callback.toString();
            }
        }, this);
        if (existing == null) {
            signalHandlers.put(signum, entry); // before subscribing, so no delivery finds it missing
            try {
                entry.subscription = SignalDispatcher.get().subscribe(signum, this::onSignal);
            } catch (RuntimeException e) {
                signalHandlers.remove(signum); // roll back (LOOP-57)
                throw e;
            }
        }
    }

    @Override
    public boolean removeSignalHandler(int signum) {
        SignalDispatcher.checkSignalNumber(signum);
        SignalEntry entry = signalHandlers.remove(signum);
        if (entry == null) {
            return false;
        }
        entry.subscription.close();
        return true;
    }

    /** On the JVM's signal thread: queue the handler on the loop (LOOP-58, LOOP-59, LOOP-62). */
    private void onSignal(int signum) {
        SignalEntry entry = signalHandlers.get(signum);
        if (entry == null || isClosed()) {
            return;
        }
        Handle handle = entry.handle;
        try {
            if (handle.cancelled()) {
                callSoonThreadsafe(() -> {
                    if (signalHandlers.get(signum) == entry) {
                        removeSignalHandler(signum);
                    }
                });
            } else if (entry.queued.compareAndSet(false, true)) {
                enqueueThreadsafe(handle);
            }
        } catch (IllegalStateException closedMeanwhile) {
            // the loop closed while the signal was on its way
        }
    }

    // ----- pipes ---------------------------------------------------------------------------------

    /**
     * Connects a readable descriptor, which the transport takes over (made non-blocking, closed after
     * {@code connectionLost} or when the loop closes), to a new protocol: CPython's {@code connect_read_pipe}.
     * How the transport reads is the loop's own ({@link #makeReadPipeTransport(int, Protocol)}).
     *
     * @throws IllegalArgumentException if {@code fd} is negative or not an open descriptor (then it stays the
     *     caller's)
     * @throws UnsupportedOperationException if this loop has no pipe transports
     */
    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<ReadTransport, P>> connectReadPipe(
            Supplier<? extends P> protocolFactory, int fd) {
        P protocol = pipeProtocol(protocolFactory, fd);
        ReadPipeTransport transport = makeReadPipeTransport(fd, protocol);
        return started(transport, new TransportAndProtocol<ReadTransport, P>(transport, protocol));
    }

    /**
     * Connects a writable descriptor, which the transport takes over as {@link #connectReadPipe} does, to a new
     * protocol: CPython's {@code connect_write_pipe}. How the transport writes is the loop's own
     * ({@link #makeWritePipeTransport(int, BaseProtocol)}).
     *
     * @throws IllegalArgumentException if {@code fd} is negative or not an open descriptor (then it stays the
     *     caller's)
     * @throws UnsupportedOperationException if this loop has no pipe transports
     */
    @Override
    public <P extends BaseProtocol> AsyncFuture<TransportAndProtocol<WriteTransport, P>> connectWritePipe(
            Supplier<? extends P> protocolFactory, int fd) {
        P protocol = pipeProtocol(protocolFactory, fd);
        WritePipeTransport transport = makeWritePipeTransport(fd, protocol);
        return started(transport, new TransportAndProtocol<WriteTransport, P>(transport, protocol));
    }

    /**
     * This loop's read pipe transport for {@code fd}, which it takes over: CPython's
     * {@code _make_read_pipe_transport}. The default has none.
     *
     * @param fd an open, readable descriptor, not yet the loop's
     * @param protocol the protocol the transport calls
     * @return a transport not yet started
     * @throws IllegalArgumentException if {@code fd} cannot be used (then it stays the caller's)
     * @throws UnsupportedOperationException if this loop has no pipe transports
     */
    protected ReadPipeTransport makeReadPipeTransport(int fd, Protocol protocol) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement connectReadPipe");
    }

    /**
     * This loop's write pipe transport for {@code fd}, which it takes over: CPython's
     * {@code _make_write_pipe_transport}. The default has none.
     *
     * @param fd an open, writable descriptor, not yet the loop's
     * @param protocol the protocol the transport calls
     * @return a transport not yet started
     * @throws IllegalArgumentException if {@code fd} cannot be used (then it stays the caller's)
     * @throws UnsupportedOperationException if this loop has no pipe transports
     */
    protected WritePipeTransport makeWritePipeTransport(int fd, BaseProtocol protocol) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement connectWritePipe");
    }

    /**
     * Makes {@code fd} non-blocking for a pipe transport, as every loop's transports need it.
     *
     * @param fd the descriptor a transport is about to take over
     * @throws IllegalArgumentException if it is not an open descriptor or cannot be made non-blocking
     */
    protected static void setPipeNonBlocking(int fd) {
        try {
            Posix.get().setNonBlocking(fd, true);
        } catch (PosixException e) {
            throw SystemErrors.illegalArgument(e.errno() == PosixException.EBADF
                    ? "fd " + fd + " is not an open file descriptor" : "fd " + fd + " cannot be used as a pipe", e);
        }
    }

    /** Starts {@code transport}; the returned future completes with {@code connected} after connectionMade. */
    private <R> AsyncFuture<R> started(PipeTransport transport, R connected) {
        AsyncFuture<R> waiter = createFuture();
        transport.start(waiter, connected);
        return waiter;
    }

    /** Checks the loop, the thread and the arguments of a connect call, then makes its protocol. */
    private <P> P pipeProtocol(Supplier<? extends P> protocolFactory, int fd) {
        checkClosed();
        checkThread();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (fd < 0) {
            throw new IllegalArgumentException("Invalid file descriptor: " + fd);
        }
        return Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
    }

    // ----- sockets -------------------------------------------------------------------------------

    /**
     * This loop's sockets, made on first use (CPython's selector and proactor loops each implement the
     * {@code sock_*} calls and {@code _make_socket_transport}). Called on the loop's thread by every socket
     * method; the default refuses, for a loop without sockets.
     *
     * @return the loop's socket support
     * @throws UnsupportedOperationException if the loop has no sockets
     * @throws IllegalStateException if the loop is closed, or the call comes from another thread while it runs
     */
    protected SocketSupport socketSupport() {
        throw new UnsupportedOperationException(getClass().getName() + " has no sockets");
    }

    @Override
    public LoopSocket openSocket(StandardProtocolFamily family) throws IOException {
        return socketSupport().openSocket(family);
    }

    @Override
    public AsyncFuture<@Nullable Void> sockConnect(LoopSocket sock, InetSocketAddress address) {
        return socketSupport().sockConnect(sock, address);
    }

    @Override
    public AsyncFuture<LoopSocket> sockAccept(LoopSocket sock) {
        return socketSupport().sockAccept(sock);
    }

    @Override
    public AsyncFuture<byte[]> sockRecv(LoopSocket sock, int n) {
        return socketSupport().sockRecv(sock, n);
    }

    @Override
    public AsyncFuture<@Nullable Void> sockSendall(LoopSocket sock, byte[] data) {
        return socketSupport().sockSendall(sock, data);
    }

    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
            Supplier<? extends P> protocolFactory, LoopSocket sock) {
        return socketSupport().connectAcceptedSocket(protocolFactory, sock);
    }

    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> createConnection(
            Supplier<? extends P> protocolFactory, String host, int port, @Nullable ConnectionOptions options) {
        return SocketConnector.createConnection(this, socketSupport(), protocolFactory, host, port, options);
    }

    @Override
    public AsyncFuture<Server> createServer(Supplier<? extends Protocol> protocolFactory, List<String> hosts,
            int port, @Nullable ServerOptions options) {
        return SocketConnector.createServer(this, socketSupport(), protocolFactory, hosts, port, options);
    }

    @Override
    public <P extends Protocol> AsyncFuture<TransportAndProtocol<Transport, P>> createUnixConnection(
            Supplier<? extends P> protocolFactory, String path) {
        return SocketConnector.createUnixConnection(this, socketSupport(), protocolFactory, path);
    }

    @Override
    public AsyncFuture<Server> createUnixServer(Supplier<? extends Protocol> protocolFactory, String path,
            @Nullable UnixServerOptions options) {
        return SocketConnector.createUnixServer(this, socketSupport(), protocolFactory, path, options);
    }

    @Override
    public AsyncFuture<Integer> sockRecvInto(LoopSocket sock, ByteBuffer buf) {
        return socketSupport().sockRecvInto(sock, buf);
    }

    @Override
    public AsyncFuture<Long> sockSendfile(LoopSocket sock, Path path, long offset, @Nullable Long count,
            boolean fallback) {
        return Sendfiles.sockSendfile(this, socketSupport(), sock, path, offset, count, fallback);
    }

    @Override
    public AsyncFuture<Long> sockSendfile(LoopSocket sock, FileChannel file, long offset, @Nullable Long count,
            boolean fallback) {
        return Sendfiles.sockSendfile(this, socketSupport(), sock, file, offset, count, fallback);
    }

    @Override
    public AsyncFuture<Long> sendfile(Transport transport, Path path, long offset, @Nullable Long count,
            boolean fallback) {
        return Sendfiles.sendfile(this, socketSupport(), transport, path, offset, count, fallback);
    }

    @Override
    public AsyncFuture<Long> sendfile(Transport transport, FileChannel file, long offset, @Nullable Long count,
            boolean fallback) {
        socketSupport(); // the loop's checks: open, its own thread
        return Sendfiles.sendfile(this, transport, file, offset, count, fallback);
    }

    @Override
    public <P extends DatagramProtocol> AsyncFuture<TransportAndProtocol<DatagramTransport, P>>
            createDatagramEndpoint(Supplier<? extends P> protocolFactory, @Nullable InetSocketAddress localAddress,
                    @Nullable InetSocketAddress remoteAddress, @Nullable DatagramOptions options) {
        return DatagramEndpoints.create(this, socketSupport(), protocolFactory, localAddress, remoteAddress, options);
    }

    /** CPython's {@code start_tls}, the same for every loop: the TLS layer is a protocol of the plain transport. */
    @Override
    public AsyncFuture<Transport> startTls(Transport transport, Protocol protocol, TlsOptions options) {
        checkClosed();
        checkThread();
        return TlsLayer.startTls(this, transport, protocol, options);
    }

    // ----- subprocesses -------------------------------------------------------------------------

    /** Children whose exit has not reached this loop yet: their pidfds are closed with the loop. */
    private final Set<BaseSubprocessTransport> subprocesses = ConcurrentHashMap.newKeySet();

    /** The spawner's: {@code child} holds a pidfd until its exit reaches this loop, or the loop closes. */
    void track(BaseSubprocessTransport child) {
        subprocesses.add(child);
    }

    /** The transport's: its exit has reached this loop. */
    void untrack(BaseSubprocessTransport child) {
        subprocesses.remove(child);
    }

    /**
     * Starts {@code argv} with {@code posix_spawn} under the policy's child watcher; its pipes go to this loop's
     * own {@link #connectReadPipe}/{@link #connectWritePipe} transports (see
     * {@link EventLoop#subprocessExec(Supplier, List, SubprocessOptions)}).
     */
    @Override
    public <P extends SubprocessProtocol> AsyncFuture<TransportAndProtocol<SubprocessTransport, P>> subprocessExec(
            Supplier<? extends P> protocolFactory, List<String> argv, SubprocessOptions options) {
        return SubprocessSpawner.exec(this, protocolFactory, argv, options);
    }

    /** Starts {@code /bin/sh -c command}; see {@link #subprocessExec(Supplier, List, SubprocessOptions)}. */
    @Override
    public <P extends SubprocessProtocol> AsyncFuture<TransportAndProtocol<SubprocessTransport, P>> subprocessShell(
            Supplier<? extends P> protocolFactory, String command, SubprocessOptions options) {
        Objects.requireNonNull(command, "command");
        return subprocessExec(protocolFactory, List.of("/bin/sh", "-c", command), options);
    }

    // ----- errors and debug -----------------------------------------------------------------------

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    @Override
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    @Override
    public void callExceptionHandler(Map<String, Object> context) {
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            try {
                defaultExceptionHandler(context);
            } catch (Exception e) {
                LOG.log(Level.ERROR, "Exception in default exception handler", e);
            }
            return;
        }
        try {
            handler.handle(this, context);
        } catch (Exception e) {
            try {
                Map<String, Object> failure = new HashMap<>();
                failure.put("message", "Unhandled error in exception handler");
                failure.put("exception", e);
                failure.put("context", context);
                defaultExceptionHandler(failure);
            } catch (Exception e2) {
                LOG.log(Level.ERROR, "Exception in default exception handler while handling an unexpected "
                        + "error in custom exception handler", e2);
            }
        }
    }

    @Override
    public void defaultExceptionHandler(Map<String, Object> context) {
        Object message = context.get("message");
        StringBuilder text = new StringBuilder(
                message == null || message.toString().isEmpty() ? "Unhandled exception in event loop" : message.toString());
        Map<String, Object> rest = new TreeMap<>();
        context.forEach((k, v) -> {
            if (!k.equals("message") && !k.equals("exception")) {
                rest.put(k, v);
            }
        });
        Handle current = currentHandle;
        if (debug && current != null && current.sourceTraceback() != null) {
            rest.put("handle_traceback", stackText(current.sourceTraceback()));
        }
        rest.forEach((k, v) -> text.append('\n').append(k).append(": ")
                .append(v instanceof Throwable ? stackText((Throwable) v) : String.valueOf(v)));
        Object exception = context.get("exception");
        if (exception instanceof Throwable) {
            LOG.log(Level.ERROR, text.toString(), (Throwable) exception);
        } else {
            LOG.log(Level.ERROR, text.toString());
        }
    }

    private static String stackText(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Override
    public boolean getDebug() {
        return debug;
    }

    @Override
    public void setDebug(boolean enabled) {
        this.debug = enabled;
    }

    /** {@return the seconds a callback may run before debug mode logs it as slow (default 0.1) (LOOP-43)} */
    public double getSlowCallbackDuration() {
        return slowCallbackDuration;
    }

    /**
     * Sets the slow-callback threshold.
     *
     * @param seconds the threshold in seconds, zero or more
     * @throws IllegalArgumentException if negative or NaN
     */
    public void setSlowCallbackDuration(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("slowCallbackDuration must be >= 0, got " + seconds);
        }
        this.slowCallbackDuration = seconds;
    }

    /**
     * Debug mode from the environment, as CPython reads PYTHONASYNCIODEBUG: the system property
     * {@code asyncio4j.debug}, else a non-empty environment variable {@code ASYNCIO4J_DEBUG} (LOOP-01).
     */
    private static boolean debugFromEnvironment() {
        String property = System.getProperty("asyncio4j.debug");
        if (property != null) {
            return Boolean.parseBoolean(property);
        }
        String env = System.getenv("ASYNCIO4J_DEBUG");
        return env != null && !env.isEmpty();
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + "#" + id + " running=" + isRunning() + " closed=" + isClosed()
                + " debug=" + debug + ">";
    }
}
