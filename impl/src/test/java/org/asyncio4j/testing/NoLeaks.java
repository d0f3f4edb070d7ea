package org.asyncio4j.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.asyncio4j.internal.posix.Posix;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves behind a child process (running or zombie), a pipe, eventfd, epoll, pidfd or
 * socket descriptor, or a thread it started. Registered for every Jupiter test of impl through
 * {@code META-INF/services} (autodetection is on in {@code junit-platform.properties}).
 *
 * <p>Things that end on their own get a grace period (a waiting thread whose child was just killed, a
 * signal-dispatch thread still returning). Process-wide services that live as long as the JVM are not
 * leaks: the JVM's signal threads, the JIT and GC threads, the future cleaner. A child still there after
 * the grace period is killed and reaped by this extension so one broken test does not cascade, and the
 * test fails naming it.
 */
public final class NoLeaks implements BeforeEachCallback, AfterEachCallback {
    private static final long GRACE_MILLIS = 10_000;
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeaks.class);

    private record Snapshot(Set<String> fds, Set<Thread> threads) {}

    /**
     * Marks a test class that runs asyncio4j only in child JVMs (whose descriptors and threads end with them):
     * the test JVM's own descriptors, such as a socket the build tool's fork or the JDK opens lazily while the
     * test waits, are not the product's, so they are not checked. The children are still reaped by the test.
     */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface OutOfProcess {}

    @Override
    public void beforeEach(ExtensionContext context) {
        if (context.getRequiredTestClass().isAnnotationPresent(OutOfProcess.class)) {
            return;
        }
        context.getStore(NS).put("before", new Snapshot(new HashSet<>(ProcessTable.leakableFds()), liveThreads()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Snapshot before = context.getStore(NS).remove("before", Snapshot.class);
        if (before == null) {
            return;
        }
        long deadline = System.currentTimeMillis() + GRACE_MILLIS;
        List<String> problems;
        do {
            problems = findLeaks(before);
            if (problems.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        reapLeftovers();
        throw new AssertionError("test leaked: " + String.join("; ", problems));
    }

    private static List<String> findLeaks(Snapshot before) {
        List<String> problems = new ArrayList<>();
        List<ProcessTable.Child> children = ProcessTable.children();
        if (!children.isEmpty()) {
            problems.add("child processes " + children);
        }
        List<String> fds = new ArrayList<>(ProcessTable.leakableFds());
        fds.removeAll(before.fds());
        if (!fds.isEmpty()) {
            problems.add("descriptors " + fds);
        }
        Set<Thread> threads = liveThreads();
        threads.removeAll(before.threads());
        threads.removeIf(NoLeaks::processWide);
        if (!threads.isEmpty()) {
            problems.add("threads " + threads.stream().map(Thread::getName).collect(Collectors.toList()));
        }
        return problems;
    }

    private static boolean processWide(Thread t) {
        String name = t.getName();
        return name.equals("asyncio4j-future-cleaner") || name.startsWith("Common-Cleaner") || name.startsWith("Cleaner-")
                || name.equals("jnr.ffi.util.ref.internal.Finalizer")
                || name.equals("Signal Dispatcher") || name.startsWith("SIG") || name.equals("process reaper")
                || name.startsWith("surefire-forkedjvm") || name.startsWith("Attach Listener")
                || name.startsWith("JFR") || name.startsWith("Notification Thread");
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toCollection(HashSet::new));
    }

    private static void reapLeftovers() {
        Posix posix = Posix.get();
        for (ProcessTable.Child c : ProcessTable.children()) {
            try {
                posix.kill(c.pid(), 9);
                posix.waitpid(c.pid(), 0);
            } catch (RuntimeException gone) {
                // reaped meanwhile
            }
        }
    }
}
