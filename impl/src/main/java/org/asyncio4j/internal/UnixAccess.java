package org.asyncio4j.internal;

import java.util.List;
import java.util.Objects;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;

/**
 * Lets other packages of this module use the package-private Unix subprocess machinery without exporting
 * it (the JDK's {@code SharedSecrets} pattern): {@code org.asyncio4j.unix.SubprocessLauncher} registers
 * itself here when its class initialises, and {@link #subprocessStarter()} initialises it on first use.
 * This package is not exported, so nothing outside the module can reach it.
 */
public final class UnixAccess {
    private static final String LAUNCHER = "org.asyncio4j.unix.SubprocessLauncher";

    /** Starts a child for any loop, watched by the policy's child watcher, as {@code SelectorEventLoop} does. */
    @FunctionalInterface
    public interface SubprocessStarter {
        AsyncFuture<Subprocess> exec(EventLoop loop, List<String> argv, SubprocessOptions options);
    }

    private static volatile SubprocessStarter starter;

    private UnixAccess() {}

    /** Called once, by the launcher's static initialiser. */
    public static void registerSubprocessStarter(SubprocessStarter s) {
        starter = Objects.requireNonNull(s, "starter");
    }

    /** The registered starter, initialising the Unix launcher first if needed. */
    public static SubprocessStarter subprocessStarter() {
        SubprocessStarter s = starter;
        if (s != null) {
            return s;
        }
        try {
            Class.forName(LAUNCHER, true, UnixAccess.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the Unix subprocess launcher " + LAUNCHER + " is missing", e);
        }
        s = starter;
        if (s == null) {
            throw new IllegalStateException(LAUNCHER + " did not register itself with UnixAccess");
        }
        return s;
    }
}
