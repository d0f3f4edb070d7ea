package org.asyncio4j.internal.signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs in a fresh JVM started by {@link SignalDispatcherChildJvmTest}, where nothing has initialised
 * {@code java.lang.ProcessImpl} yet. Prints "OK" and exits 0 on success, exits 1 with a reason otherwise,
 * 2 for "cannot check here".
 */
@SuppressWarnings("try") // a subscription held open by try-with-resources only
public final class SignalChildMain {

    private SignalChildMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "sigchld":
                sigchld();
                break;
            case "sighup-ignored":
                sighupIgnored();
                break;
            case "native-path":
                path(true);
                break;
            case "jvm-path":
                path(false);
                break;
            default:
                fail("unknown mode " + args[0]);
        }
        System.out.println("OK");
        System.exit(0);
    }

    /** The dispatcher is the first thing this JVM touches; then ProcessBuilder and getenv. */
    private static void sigchld() throws Exception {
        AtomicReference<CountDownLatch> latch = new AtomicReference<>(new CountDownLatch(1));
        SignalSubscription s = SignalDispatcher.get().subscribe(TestSignals.SIGCHLD, n -> latch.get().countDown());
        try {
            expect(caught(TestSignals.SIGCHLD), "SIGCHLD not caught right after subscribe");
            Process first = new ProcessBuilder("true").start();
            expect(first.waitFor() == 0, "first child failed");
            expect(latch.get().await(TestSignals.TIMEOUT_SECONDS, TimeUnit.SECONDS), "no SIGCHLD for the first child");
            expect(caught(TestSignals.SIGCHLD), "SIGCHLD reset by ProcessBuilder.start()");
            System.getenv();
            System.getenv("PATH");
            expect(caught(TestSignals.SIGCHLD), "SIGCHLD reset by System.getenv()");
            latch.set(new CountDownLatch(1));
            Process second = new ProcessBuilder("sh", "-c", "exit 0").start();
            expect(second.waitFor() == 0, "second child failed");
            expect(latch.get().await(TestSignals.TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "no SIGCHLD after ProcessBuilder.start() and System.getenv()");
            expect(caught(TestSignals.SIGCHLD), "SIGCHLD not caught at the end");
        } finally {
            s.close();
        }
        expect(!caught(TestSignals.SIGCHLD), "SIGCHLD still caught after the last close");
    }

    /**
     * A real child's SIGCHLD arrives through the expected path (issue 13): the native one (the C handler's
     * counter moves, the listener runs on asyncio4j-signals) or the JVM's (no native library in use); the last
     * close restores SIG_DFL either way.
     */
    private static void path(boolean expectNative) throws Exception {
        SignalDispatcher dispatcher = SignalDispatcher.get();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch latch = new CountDownLatch(1);
        SignalSubscription s = dispatcher.subscribe(TestSignals.SIGCHLD, n -> {
            thread.compareAndSet(null, Thread.currentThread().getName());
            latch.countDown();
        });
        try {
            expect(dispatcher.installedNatively(TestSignals.SIGCHLD) == expectNative,
                    "installed natively: " + dispatcher.installedNatively(TestSignals.SIGCHLD));
            long before = dispatcher.nativeDeliveries();
            expect(expectNative ? before >= 0 : before == -1, "native deliveries " + before);
            Process child = new ProcessBuilder("true").start();
            expect(child.waitFor() == 0, "child failed");
            expect(latch.await(TestSignals.TIMEOUT_SECONDS, TimeUnit.SECONDS), "no SIGCHLD");
            boolean onNativeThread = NativeSignals.THREAD_NAME.equals(thread.get());
            expect(onNativeThread == expectNative, "listener ran on " + thread.get());
            if (expectNative) {
                expect(dispatcher.nativeDeliveries() > before, "the C handler did not run");
            }
        } finally {
            s.close();
        }
        expect(!caught(TestSignals.SIGCHLD), "SIGCHLD still caught after the last close");
        System.out.println("backend " + org.asyncio4j.internal.posix.Posix.get().name() + ", listener thread " + thread.get());
    }

    /** Started with SIGHUP ignored: the JVM answers success without installing, the dispatcher refuses. */
    private static void sighupIgnored() {
        if (!ProcSelfStatus.has("SigIgn", TestSignals.SIGHUP).orElse(false)) {
            System.out.println("SIGHUP is not ignored in the child");
            System.exit(2);
        }
        try {
            SignalDispatcher.get().subscribe(TestSignals.SIGHUP, n -> { }).close();
            fail("subscribe(SIGHUP) succeeded although the JVM cannot install it");
        } catch (IllegalStateException e) {
            expect(("sig " + TestSignals.SIGHUP + " cannot be caught").equals(e.getMessage()), "message: " + e.getMessage());
        }
        expect(SignalDispatcher.get().subscriberCount(TestSignals.SIGHUP) == 0, "a refused subscription was registered");
        expect(ProcSelfStatus.has("SigIgn", TestSignals.SIGHUP).orElse(false), "SIGHUP no longer ignored");
        // Other signals are unaffected.
        try (SignalSubscription s = SignalDispatcher.get().subscribe(TestSignals.SIGWINCH, n -> { })) {
            expect(caught(TestSignals.SIGWINCH), "SIGWINCH not caught");
        }
    }

    private static boolean caught(int signum) {
        return ProcSelfStatus.caught(signum).orElseThrow(() -> new IllegalStateException("no /proc/self/status"));
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            fail(message);
        }
    }

    private static void fail(String message) {
        System.out.println("FAIL: " + message);
        System.exit(1);
    }
}
