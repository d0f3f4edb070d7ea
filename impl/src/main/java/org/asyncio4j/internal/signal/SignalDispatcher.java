package org.asyncio4j.internal.signal;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.asyncio4j.internal.posix.Posix;

/**
 * The process-wide signal dispatcher: one handler per signal, fanned out to every subscriber.
 *
 * <p>Signal dispositions belong to the process, while asyncio4j event loops run in any thread, several
 * at once. Each loop {@linkplain #subscribe subscribes}; the first subscription for a signal installs
 * one handler, every delivery calls every open subscription's listener, and closing the last
 * subscription reinstalls the disposition that was there before.
 *
 * <h2>Two paths: native and JVM</h2>
 * By default a signal the native path takes (every catchable signal except SIGHUP, SIGINT and SIGTERM,
 * whose JVM rules below stay the JVM's) gets asyncio4j's C handler ({@link NativeSignals}): it sets a
 * pending bit and writes one byte to a pipe, as CPython's does, and one daemon thread,
 * {@code asyncio4j-signals}, reads the pipe and calls the listeners. It does not chain to the handler it
 * replaced (CPython does not either); that one is put back on the last close. The other signals, and all
 * of them when the library cannot be loaded or {@code -Dorg.asyncio4j.signals=jvm} is set, go through
 * {@code sun.misc.Signal} (never a Java callback run inside a native handler, which is unsafe).
 *
 * <h2>Threads</h2>
 * Listeners run on {@code asyncio4j-signals} or, on the JVM path, on the JVM's signal-dispatch thread
 * (HotSpot starts a new thread for every delivery), so they must be quick and thread-safe; a loop's
 * listener typically just wakes its loop. Deliveries
 * coalesce: one call may stand for several signals. A listener that throws is logged to
 * {@code System.Logger "org.asyncio4j"} at WARNING and the other listeners still run.
 * {@link #subscribe} and {@link SignalSubscription#close} are thread-safe and may race with
 * deliveries: the listeners of one signal are a copy-on-write array.
 *
 * <h2>SIGCHLD and {@code java.lang.ProcessImpl}</h2>
 * Initialising {@code java.lang.ProcessImpl} sets SIGCHLD to SIG_DFL with a raw {@code sigaction}:
 * {@code sun.misc.Signal} still reports the Java handler, only {@code /proc/self/status} (SigCgt) shows
 * it gone. JDK 17 does that at the first {@code ProcessBuilder.start()}, JDK 25 already at the first
 * {@code System.getenv()}. The dispatcher therefore initialises that class before it installs any
 * handler, which keeps SIGCHLD handled on both.
 *
 * <h2>Signals that cannot be caught</h2>
 * {@link #subscribe} throws {@code IllegalStateException("sig N cannot be caught")} for every signal
 * in 1..64 that is not caught through {@code sun.misc.Signal}. Measured on Linux x86_64 with OpenJDK
 * 17.0.15 (HotSpot) and Temurin 25.0.3 (HotSpot), both the same, without {@code -Xrs}:
 * <ul>
 * <li>refused by the JVM ("Signal already used by VM or OS"): SIGQUIT (3, thread dumps), SIGILL (4),
 *     SIGFPE (8), SIGKILL (9), SIGSEGV (11), SIGSTOP (19);</li>
 * <li>accepted by the JVM but reserved here, because the JVM depends on its own handler: SIGBUS (7;
 *     faults on mapped memory) and SIGUSR2 (12; HotSpot's thread suspend/resume signal, or the number
 *     in {@code _JAVA_SR_SIGNUM});</li>
 * <li>unknown to the JVM by name, hence unreachable through {@code sun.misc.Signal}: 32 to 64 (glibc's
 *     internal 32 and 33 and all real-time signals);</li>
 * <li>silently not installed by the JVM: SIGHUP, SIGINT and SIGTERM while they are ignored
 *     (under {@code nohup}, for example). The JVM answers success but leaves SIG_IGN; the dispatcher
 *     detects this through {@code /proc/self/status} and refuses.</li>
 * </ul>
 * With {@code -Xrs} the JVM also refuses SIGHUP, SIGINT and SIGTERM. Accepted (and restored on the last
 * close): 1, 2, 5, 6, 10, 13 to 18, 20 to 31. SIGHUP, SIGINT and SIGTERM normally carry the JVM's
 * shutdown-hook handler, and SIGPIPE and SIGXFSZ a native JVM handler that ignores them: a subscription
 * replaces those until its last close.
 *
 * <p>The module that contains this package needs {@code requires jdk.unsupported;}.
 */
public final class SignalDispatcher {


    private static final System.Logger LOG = org.asyncio4j.internal.Loggers.LOG;

    /** Declared before {@link #INSTANCE}, whose construction reads it. */
    private static final Subscription[] NONE = new Subscription[0];

    private static final SignalDispatcher INSTANCE = new SignalDispatcher();

    private final Slot[] slots = new Slot[Posix.NSIG];

    /** Guarded by this: whether {@link #nativeSignals} tried to load the library, and its answer. */
    private boolean nativeTried;
    private NativeSignals nativeSignals;

    private SignalDispatcher() {
        for (int signum = 1; signum < Posix.NSIG; signum++) {
            slots[signum] = new Slot(signum);
        }
    }

    /** The process-wide instance. */
    public static SignalDispatcher get() {
        return INSTANCE;
    }

    /**
     * Validates {@code signum}, installs the handler (native or JVM, see the class description) on the first
     * subscription for it, and registers {@code listener}.
     *
     * <p>{@code listener.accept(signum)} is called on {@code asyncio4j-signals} or on the JVM's
     * signal-dispatch thread (a new thread per delivery on HotSpot), so it must be quick and thread-safe. Two subscriptions, even with the same
     * listener, both receive every delivery.
     *
     * @param signum the signal number, 1 to 64
     * @param listener called with {@code signum} for every delivery until the subscription is closed
     * @return the open subscription; close it to stop listening
     * @throws IllegalArgumentException "invalid signal number N" for N &lt; 1 or N &gt;= 65 (NSIG)
     * @throws IllegalStateException "sig N cannot be caught" for SIGKILL, SIGSTOP and any signal the JVM
     *         reserves or refuses (see the class description); nothing is registered then
     * @throws NullPointerException if {@code listener} is null
     */
    public SignalSubscription subscribe(int signum, IntConsumer listener) {
        checkSignalNumber(signum);
        Objects.requireNonNull(listener, "listener");
        return slots[signum].add(listener);
    }

    /**
     * The range check alone.
     *
     * @throws IllegalArgumentException "invalid signal number N" for N &lt; 1 or N &gt;= 65 (NSIG)
     */
    public static void checkSignalNumber(int signum) {
        if (signum < 1 || signum >= Posix.NSIG) {
            throw new IllegalArgumentException("invalid signal number " + signum);
        }
    }

    /**
     * The signal's name for messages and logs: "SIGCHLD", or "signal N" where the JVM knows no name
     * (real-time signals, numbers out of range). Never throws.
     */
    public static String name(int signum) {
        String shortName = signum >= 1 && signum < Posix.NSIG ? JvmSignals.shortName(signum) : null;
        return shortName != null ? "SIG" + shortName : "signal " + signum;
    }

    /**
     * The native path, loaded on first use; null where it cannot be used (the reason is logged once at DEBUG).
     */
    private synchronized NativeSignals nativeSignals() {
        if (!nativeTried) {
            nativeTried = true;
            nativeSignals = NativeSignals.load(signum -> slots[signum].deliver());
        }
        return nativeSignals;
    }

    /**
     * Whether {@code signum} goes to the native path when it is available: named by the JVM (1 to 31), not
     * refused or reserved by it, and not SIGHUP, SIGINT or SIGTERM, which keep the JVM's rules (its
     * shutdown hooks, {@code -Xrs}, {@code nohup}).
     */
    static boolean nativeEligible(int signum) {
        String name = JvmSignals.shortName(signum);
        return name != null && !JvmSignals.reserved(signum) && !JVM_ONLY.contains(name);
    }

    private static final java.util.Set<String> JVM_ONLY =
            java.util.Set.of("QUIT", "ILL", "FPE", "KILL", "SEGV", "STOP", "HUP", "INT", "TERM");

    /**
     * How many times the native handler has run in this process, or -1 where the native path is not in use
     * (tests, diagnostics).
     */
    long nativeDeliveries() {
        NativeSignals n = nativeSignals();
        return n == null ? -1 : n.deliveries();
    }

    /** True while {@code signum} is installed through the native path (tests, diagnostics). */
    boolean installedNatively(int signum) {
        checkSignalNumber(signum);
        Slot slot = slots[signum];
        synchronized (slot) {
            return slot.installed && slot.nativePath != null;
        }
    }

    /** The number of open subscriptions for {@code signum} (tests, diagnostics). */
    int subscriberCount(int signum) {
        checkSignalNumber(signum);
        return slots[signum].subscribers.length;
    }

    /** True while the dispatcher's handler is installed for {@code signum} (tests, diagnostics). */
    boolean installed(int signum) {
        checkSignalNumber(signum);
        Slot slot = slots[signum];
        synchronized (slot) {
            return slot.installed;
        }
    }

    private static IllegalStateException cannotBeCaught(int signum, Throwable cause) {
        return new IllegalStateException("sig " + signum + " cannot be caught", cause);
    }

    /** One signal's state. Mutations hold the slot's monitor; deliveries read the volatile array only. */
    private static final class Slot {
        final int signum;
        /** The open subscriptions; replaced, never mutated. Written under the monitor. */
        volatile Subscription[] subscribers = NONE;
        /** Guarded by the monitor. */
        boolean installed;
        /** What {@code sun.misc.Signal.handle} returned at installation. Guarded by the monitor. */
        Object previous;
        /** The JVM handler this slot installed, to tell whether outside code replaced it. Guarded by the monitor. */
        Object installedHandler;
        /** The native path while the signal is installed through it, else null. Guarded by the monitor. */
        NativeSignals nativePath;

        Slot(int signum) {
            this.signum = signum;
        }

        synchronized Subscription add(IntConsumer listener) {
            if (!installed) {
                install();
            }
            Subscription subscription = new Subscription(this, listener);
            Subscription[] current = subscribers;
            Subscription[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = subscription;
            subscribers = next;
            return subscription;
        }

        private void install() {
            if (JvmSignals.reserved(signum)) {
                throw cannotBeCaught(signum, new IllegalArgumentException(
                        name(signum) + " is reserved: the JVM depends on its own handler"));
            }
            // JvmSignals is initialised by now (reserved() above), and with it java.lang.ProcessImpl, which
            // would otherwise reset SIGCHLD behind the native handler's back too.
            if (nativeEligible(signum)) {
                NativeSignals n = INSTANCE.nativeSignals();
                if (n != null) {
                    try {
                        n.install(signum);
                        nativePath = n;
                        installed = true;
                        return;
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.DEBUG, () -> "native handler for " + name(signum)
                                + " refused (" + e + "): the JVM's dispatch handles it", e);
                    }
                }
            }
            Object ours = JvmSignals.handlerFor(this::deliver);
            Object old;
            try {
                old = JvmSignals.install(signum, ours);
            } catch (IllegalArgumentException e) {
                throw cannotBeCaught(signum, e);
            }
            // The JVM may answer success without installing anything (SIGHUP/SIGINT/SIGTERM ignored at
            // start): only the kernel's view tells.
            Optional<Boolean> caught = ProcSelfStatus.caught(signum);
            if (caught.isPresent() && !caught.get()) {
                try {
                    JvmSignals.restore(signum, old, ours);
                } catch (IllegalArgumentException e) {
                    // It was never installed: nothing to undo in the kernel.
                }
                throw cannotBeCaught(signum, new IllegalArgumentException(
                        "the JVM did not install a handler for " + name(signum) + " (is it ignored, as under nohup?)"));
            }
            previous = old;
            installedHandler = ours;
            installed = true;
        }

        synchronized void remove(Subscription subscription) {
            Subscription[] current = subscribers;
            int index = -1;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == subscription) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                return;
            }
            Subscription[] next;
            if (current.length == 1) {
                next = NONE;
            } else {
                next = new Subscription[current.length - 1];
                System.arraycopy(current, 0, next, 0, index);
                System.arraycopy(current, index + 1, next, index, current.length - index - 1);
            }
            subscribers = next;
            if (next.length == 0 && installed && nativePath != null) {
                NativeSignals n = nativePath;
                nativePath = null;
                installed = false;
                boolean stillOurs;
                try {
                    stillOurs = n.uninstall(signum);
                } catch (RuntimeException e) {
                    throw cannotBeCaught(signum, e);
                }
                if (!stillOurs) {
                    LOG.log(System.Logger.Level.WARNING, name(signum) + " handler was changed by outside code");
                }
            } else if (next.length == 0 && installed) {
                Object old = previous;
                Object ours = installedHandler;
                previous = null;
                installedHandler = null;
                installed = false;
                boolean stillOurs;
                try {
                    stillOurs = JvmSignals.restore(signum, old, ours);
                } catch (IllegalArgumentException e) {
                    throw cannotBeCaught(signum, e);
                }
                if (!stillOurs) {
                    // MLW-10, RACE-21: someone else owns the signal now; leave their handler alone.
                    LOG.log(System.Logger.Level.WARNING, name(signum) + " handler was changed by outside code");
                }
            }
        }

        /** The installed handler's work: runs on the JVM's dispatch thread or on {@code asyncio4j-signals}. */
        void deliver() {
            // A delivery after the last close (a signal already under way) finds no one: ignored.
            for (Subscription subscription : subscribers) {
                subscription.deliver();
            }
        }
    }

    private static final class Subscription implements SignalSubscription {
        private final Slot slot;
        private final IntConsumer listener;
        private final AtomicBoolean closed = new AtomicBoolean();

        Subscription(Slot slot, IntConsumer listener) {
            this.slot = slot;
            this.listener = listener;
        }

        @Override
        public int signum() {
            return slot.signum;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                slot.remove(this);
            }
        }

        void deliver() {
            if (closed.get()) {
                return;
            }
            try {
                listener.accept(slot.signum);
            } catch (Throwable t) {
                try {
                    LOG.log(System.Logger.Level.WARNING,
                            () -> "signal listener for " + name(slot.signum) + " failed; the others still run", t);
                } catch (Throwable ignored) {
                    // Logging must not stop the other listeners either.
                }
            }
        }

        @Override
        public String toString() {
            return "SignalSubscription[" + name(slot.signum) + (closed.get() ? ", closed]" : "]");
        }
    }
}
