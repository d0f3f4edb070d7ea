package org.asyncio4j.internal.posix;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the {@link Posix} implementation: {@code "ffm"} (the JDK's own {@code java.lang.foreign}, in the
 * jar's Java 22+ classes) or {@code "jnr"} (jnr-ffi, on every Java).
 *
 * <p>By default the FFM backend on Java 22 and later, jnr before. The system property
 * {@value #PROPERTY} ({@code jnr} or {@code ffm}) forces one. A backend is loaded only when chosen: with
 * FFM, no jnr-ffi class (and so nothing of jffi, which calls {@code sun.misc.Unsafe}) is initialised.
 */
public final class PosixBackends {
    /** The system property that forces a backend: {@code jnr} or {@code ffm}. */
    public static final String PROPERTY = "org.asyncio4j.posix";
    /** The jnr-ffi backend's name. */
    public static final String JNR = "jnr";
    /** The {@code java.lang.foreign} backend's name. */
    public static final String FFM = "ffm";

    /** Where the FFM backend lives: only in the jar's {@code META-INF/versions/22}. */
    private static final String FFM_CLASS = "org.asyncio4j.internal.posix.FfmPosix";
    private static final int FFM_FEATURE = 22;

    private PosixBackends() {}

    /** The process-wide backend, chosen on first use. */
    static Posix selected() {
        return Selected.POSIX;
    }

    /** The backends this JVM can run, jnr first. */
    public static List<String> available() {
        List<String> names = new ArrayList<>(List.of(JNR));
        if (ffmPresent()) {
            names.add(FFM);
        }
        return List.copyOf(names);
    }

    /**
     * The backend called {@code name}, loading it if needed.
     *
     * @throws IllegalArgumentException if {@code name} is neither {@code jnr} nor {@code ffm}
     * @throws IllegalStateException if it is {@code ffm} and this JVM or this build has no FFM backend
     */
    public static Posix named(String name) {
        switch (name) {
            case JNR -> {
                return JnrPosix.INSTANCE;
            }
            case FFM -> {
                if (Runtime.version().feature() < FFM_FEATURE) {
                    throw new IllegalStateException("the ffm backend needs Java " + FFM_FEATURE + " or later, this is Java "
                            + Runtime.version().feature());
                }
                if (!ffmPresent()) {
                    throw new IllegalStateException("this build of asyncio4j-impl has no ffm backend (" + FFM_CLASS
                            + " is missing: compiled without a JDK 22+, or not loaded from the multi-release jar)");
                }
                return loadFfm();
            }
            default -> throw new IllegalArgumentException("posix backend must be " + JNR + " or " + FFM + ": " + name);
        }
    }

    /**
     * The name of the backend to use: {@code property} if set, else ffm where the Java feature release is 22+
     * and the FFM classes are present, else jnr.
     */
    static String choose(String property, int javaFeature, boolean ffmPresent) {
        if (property != null) {
            return property;
        }
        return javaFeature >= FFM_FEATURE && ffmPresent ? FFM : JNR;
    }

    /** True if the FFM class can be loaded here (it is not initialised, so no native code is bound). */
    private static boolean ffmPresent() {
        if (Runtime.version().feature() < FFM_FEATURE) {
            return false;  // the class, if the jar has it, is compiled for 22 and would not load
        }
        try {
            Class.forName(FFM_CLASS, false, PosixBackends.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Posix loadFfm() {
        try {
            Class<?> ffm = Class.forName(FFM_CLASS);
            return (Posix) MethodHandles.lookup().findStaticGetter(ffm, "INSTANCE", Posix.class).invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot load " + FFM_CLASS, e);
        }
    }

    /** Holds the choice, so that it is made once and only when the seam is first used. */
    private static final class Selected {
        static final Posix POSIX;

        static {
            String property = System.getProperty(PROPERTY);
            if (property != null && !property.equals(JNR) && !property.equals(FFM)) {
                throw new IllegalArgumentException(PROPERTY + " must be " + JNR + " or " + FFM + ": " + property);
            }
            POSIX = named(choose(property, Runtime.version().feature(), ffmPresent()));
        }
    }
}
