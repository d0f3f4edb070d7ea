package org.asyncio4j.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.unix.SelectorEventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event loop's own costs, defined exactly as benchmarks/src/main/python/cpython_watchers.py defines
 * them for CPython asyncio and uvloop, so the ratios compare like with like: one operation is one
 * callback, and each invocation handles a batch of the script's size.
 * <ul>
 * <li>{@code callSoonDispatch}: queue {@value #DISPATCH_N} callbacks, then run them (queueing and running
 *     timed together, the script's "queue + run" rate);</li>
 * <li>{@code callSoonChain}: each callback schedules the next, {@value #DISPATCH_N} in all (a loop
 *     iteration, with its {@code epoll_wait(0)}, per callback);</li>
 * <li>{@code callLaterInsertFire}: insert {@value #TIMER_N} timers due within 100 us, in random order of
 *     deadline, and run until all fired;</li>
 * <li>{@code callSoonThreadsafeRoundTrip}: another thread calls {@code callSoonThreadsafe} and blocks until
 *     the callback ran on the loop's thread (the script waits on a {@code threading.Event}; here
 *     {@code LockSupport.park});</li>
 * <li>{@code futureDoneCallbackChain}: {@value #FUTURE_N} futures, each one's done callback completing the
 *     next (done callbacks are scheduled with callSoon, as in asyncio).</li>
 * </ul>
 * {@code callSoonDispatch} and {@code callSoonChain} also report the thread's CPU time per callback
 * ({@link ThreadCpu}), for A/B comparisons on a busy machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LoopBenchmark {
    /** The script's --loop-n default. */
    static final int DISPATCH_N = 200_000;
    /** The script's call_later count: loop-n // 4. */
    static final int TIMER_N = 50_000;
    /** Futures per chain. */
    static final int FUTURE_N = 10_000;

    private static final Runnable NOOP = () -> { };

    private EventLoop loop;
    private Runnable stop;
    private final double[] delays = new double[TIMER_N];
    private int left;
    private int fired;
    private Runnable chainLink;
    private Runnable timerFired;

    @Setup(Level.Trial)
    public void open() {
        loop = new SelectorEventLoop();
        stop = loop::stop;
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < TIMER_N; i++) {
            delays[i] = random.nextDouble() * 1e-4;
        }
        chainLink = new Runnable() {
            @Override
            public void run() {
                if (--left > 0) {
                    loop.callSoon(this);
                } else {
                    loop.stop();
                }
            }
        };
        timerFired = () -> {
            if (++fired == TIMER_N) {
                loop.stop();
            }
        };
    }

    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(DISPATCH_N)
    public void callSoonDispatch(ThreadCpu cpu) {
        long started = cpu.start();
        for (int i = 0; i < DISPATCH_N; i++) {
            loop.callSoon(NOOP);
        }
        loop.callSoon(stop);
        loop.runForever();
        cpu.stop(started, DISPATCH_N);
    }

    @Benchmark
    @OperationsPerInvocation(DISPATCH_N)
    public int callSoonChain(ThreadCpu cpu) {
        long started = cpu.start();
        left = DISPATCH_N;
        loop.callSoon(chainLink);
        loop.runForever();
        cpu.stop(started, DISPATCH_N);
        return left;
    }

    @Benchmark
    @OperationsPerInvocation(TIMER_N)
    public int callLaterInsertFire() {
        fired = 0;
        for (int i = 0; i < TIMER_N; i++) {
            loop.callLater(delays[i], timerFired);
        }
        loop.runForever();
        return fired;
    }

    @Benchmark
    @OperationsPerInvocation(FUTURE_N)
    public int futureDoneCallbackChain() {
        AsyncFuture<Integer> first = loop.createFuture();
        AsyncFuture<Integer> previous = first;
        for (int i = 1; i < FUTURE_N; i++) {
            AsyncFuture<Integer> next = loop.createFuture();
            previous.addDoneCallback(f -> next.setResult(f.result() + 1));
            previous = next;
        }
        first.setResult(0);
        return loop.runUntilComplete(previous);
    }

    /** A loop running in a thread of its own, blocked in epoll_wait between callbacks. */
    @State(Scope.Thread)
    public static class RemoteLoop {
        EventLoop loop;
        Thread thread;
        volatile boolean ran;
        Thread client;
        Runnable signal;

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            loop = new SelectorEventLoop();
            signal = () -> {
                ran = true;
                LockSupport.unpark(client);
            };
            CountDownLatch running = new CountDownLatch(1);
            loop.callSoon(running::countDown);
            thread = new Thread(loop::runForever, "asyncio4j-bench-loop");
            thread.setDaemon(true);
            thread.start();
            running.await();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            loop.callSoonThreadsafe(loop::stop);
            thread.join();
            loop.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean callSoonThreadsafeRoundTrip(RemoteLoop r) {
        r.client = Thread.currentThread();
        r.ran = false;
        r.loop.callSoonThreadsafe(r.signal);
        while (!r.ran) {
            LockSupport.park(r);
        }
        return r.ran;
    }
}
