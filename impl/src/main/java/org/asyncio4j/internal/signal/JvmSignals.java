package org.asyncio4j.internal.signal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import org.asyncio4j.internal.posix.Posix;

/**
 * The JVM side of signal handling: the one class that touches {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}). It does so through method handles, because javac's "internal proprietary API"
 * warning cannot be suppressed; no other class names {@code sun.misc}. Handlers are opaque tokens.
 *
 * <p>Loading this class first initialises {@code java.lang.ProcessImpl}, whose static initialiser
 * silently resets SIGCHLD to SIG_DFL (see {@link SignalDispatcher}). Every installation goes through
 * this class, so no handler can be installed before that has happened.
 */
final class JvmSignals {

    /**
     * Short names the JVM may know ({@code sun.misc.Signal} takes them without "SIG"), preferred
     * spelling first where Linux has aliases (CHLD/CLD, IO/POLL, ABRT/IOT).
     */
    private static final String[] CANDIDATE_NAMES = {
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS", "EMT", "INFO", "LOST",
    };

    /** Short JVM name by number, null where the JVM knows no name. */
    private static final String[] NAMES = new String[Posix.NSIG];

    /**
     * Signals the JVM accepts through {@code sun.misc.Signal} but depends on itself, so that replacing
     * its handler breaks it: SIGBUS (HotSpot turns faults on mapped memory into Java errors; a Java
     * handler, run on another thread, would leave the faulting thread re-faulting forever) and the
     * suspend/resume signal of HotSpot (SIGUSR2, or {@code _JAVA_SR_SIGNUM}; used to sample and
     * suspend threads).
     */
    private static final boolean[] RESERVED = new boolean[Posix.NSIG];

    private static final Class<?> SIGNAL = jvmClass("sun.misc.Signal");
    private static final Class<?> HANDLER = jvmClass("sun.misc.SignalHandler");
    /** {@code new Signal(String)}, {@code Signal.getNumber()}, {@code Signal.handle(Signal, SignalHandler)}. */
    private static final MethodHandle NEW_SIGNAL;
    private static final MethodHandle GET_NUMBER;
    private static final MethodHandle HANDLE;

    /** The token of {@code SignalHandler.SIG_DFL}, the default disposition. */
    static final Object SIG_DFL;
    /** The token of {@code SignalHandler.SIG_IGN}: the signal is ignored. */
    static final Object SIG_IGN;

    static {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            NEW_SIGNAL = lookup.findConstructor(SIGNAL, MethodType.methodType(void.class, String.class));
            GET_NUMBER = lookup.findVirtual(SIGNAL, "getNumber", MethodType.methodType(int.class));
            HANDLE = lookup.findStatic(SIGNAL, "handle", MethodType.methodType(HANDLER, SIGNAL, HANDLER));
            SIG_DFL = lookup.findStaticGetter(HANDLER, "SIG_DFL", HANDLER).invoke();
            SIG_IGN = lookup.findStaticGetter(HANDLER, "SIG_IGN", HANDLER).invoke();
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static {
        initialiseProcessImpl();
        for (String name : CANDIDATE_NAMES) {
            int number = numberOf(name);
            if (number > 0 && number < Posix.NSIG && NAMES[number] == null) {
                NAMES[number] = name;
            }
        }
        reserve(numberOf("BUS"));
        reserve(suspendResumeSignal());
    }

    private JvmSignals() {
    }

    /**
     * {@code Class.forName("java.lang.ProcessImpl", true, null)}: its static initialiser sets SIGCHLD
     * to SIG_DFL with a raw {@code sigaction}, behind the JVM's back. Initialised first, it cannot undo
     * a handler installed later. Absent on some platforms or JDKs: nothing to protect then.
     */
    private static void initialiseProcessImpl() {
        try {
            Class.forName("java.lang.ProcessImpl", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // No such class here, or it failed to initialise: it can no longer reset SIGCHLD.
        }
    }

    private static Class<?> jvmClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int numberOf(String shortName) {
        try {
            return (int) GET_NUMBER.invoke(signal(shortName));
        } catch (IllegalArgumentException e) {
            return -1;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code new sun.misc.Signal(shortName)}; IllegalArgumentException if the JVM knows no such signal. */
    private static Object signal(String shortName) {
        try {
            return NEW_SIGNAL.invoke(shortName);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sun.misc.Signal.handle(signal, handler)}: the handler that was in place. */
    private static Object handle(Object signal, Object handler) {
        try {
            return HANDLE.invoke(signal, handler);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reserve(int signum) {
        if (signum > 0 && signum < Posix.NSIG) {
            RESERVED[signum] = true;
        }
    }

    /** HotSpot's SR_signum: {@code _JAVA_SR_SIGNUM} when set to a number it accepts, else SIGUSR2. */
    private static int suspendResumeSignal() {
        String env = System.getenv("_JAVA_SR_SIGNUM");
        if (env != null) {
            try {
                int signum = Integer.parseInt(env.trim());
                if (signum > Math.max(numberOf("SEGV"), numberOf("BUS")) && signum < Posix.NSIG) {
                    return signum;
                }
            } catch (NumberFormatException e) {
                // HotSpot ignores it too and keeps its default.
            }
        }
        return numberOf("USR2");
    }

    /** The JVM's short name for {@code signum} ("CHLD"), or null. Range-checked by the caller. */
    static String shortName(int signum) {
        return NAMES[signum];
    }

    /** True for signals the JVM accepts but owns (see {@link #RESERVED}). Range-checked by the caller. */
    static boolean reserved(int signum) {
        return RESERVED[signum];
    }

    /** A JVM handler that runs {@code action}: an opaque token for {@link #install} and {@link #restore}. */
    static Object handlerFor(Runnable action) {
        return Proxy.newProxyInstance(JvmSignals.class.getClassLoader(), new Class<?>[] {HANDLER},
                (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        action.run();
                        yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "asyncio4j signal handler";
                    default -> throw new UnsupportedOperationException(method.toString());
                });
    }

    /**
     * Installs {@code handler} (from {@link #handlerFor}) for {@code signum} through {@code sun.misc.Signal.handle}.
     *
     * @return the handler that was in place, an opaque token for {@link #restore}
     * @throws IllegalArgumentException if the JVM has no name for the signal or refuses it
     */
    static Object install(int signum, Object handler) {
        String name = NAMES[signum];
        if (name == null) {
            throw new IllegalArgumentException("the JVM has no name for signal " + signum);
        }
        return handle(signal(name), handler);
    }

    /**
     * Puts back {@code previous} (a Java handler, the JVM's own native one, SIG_DFL or SIG_IGN) if
     * {@code ours} is still the installed handler. If outside code has replaced it since, its handler is left
     * in place and this returns false.
     *
     * @throws IllegalArgumentException if the JVM refuses
     */
    static boolean restore(int signum, Object previous, Object ours) {
        Object signal = signal(NAMES[signum]);
        Object current = handle(signal, previous);
        if (current == ours) {
            return true;
        }
        handle(signal, current);
        return false;
    }
}
