package org.asyncio4j.conformance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterTry;
import org.asyncio4j.EventLoop;

/**
 * The one base of the kit's classes: it tells the {@link KitHook} which capabilities the implementation under
 * test has, and owns what each try opens: it closes it when the try ends, and stops its loops when the try
 * overruns its deadline. {@link EventLoopPolicyConformance}, {@link EventLoopConformance} and
 * {@link ChildWatcherConformance} extend it; so does a test class that runs one contract alone, such as
 * {@code class MyFutureTest extends ConformanceBase implements FutureContract}.
 */
@AddLifecycleHook(KitHook.class)
public abstract class ConformanceBase {
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** For subclasses. */
    protected ConformanceBase() {}

    /**
     * Whether the implementation under test has {@code capability}, as {@link #declares} says (a capability
     * with an {@link Capability#opposite()} is the negation of that one); a property that {@link Requires} one
     * it lacks is reported skipped.
     */
    public final boolean has(Capability capability) {
        Capability opposite = capability.opposite();
        return opposite == null ? declares(capability) : !declares(opposite);
    }

    /**
     * Whether the implementation under test declares {@code capability} (never asked about a capability with
     * an opposite). The conformance classes answer from their capability methods.
     */
    protected abstract boolean declares(Capability capability);

    /**
     * The thread the implementation treats as the main thread, or null (the default): {@link OnMainThread}
     * properties run only when the engine runs them there, and are reported skipped otherwise.
     */
    protected Thread mainThread() {
        return null;
    }

    /** {@code type}, its superclasses and every interface (such as a contract) they implement, subtypes first. */
    static Set<Class<?>> typesOf(Class<?> type) {
        Set<Class<?>> types = new LinkedHashSet<>();
        Deque<Class<?>> next = new ArrayDeque<>(List.of(type));
        while (!next.isEmpty()) {
            Class<?> t = next.poll();
            if (types.add(t)) {
                if (t.getSuperclass() != null) {
                    next.add(t.getSuperclass());
                }
                next.addAll(Arrays.asList(t.getInterfaces()));
            }
        }
        return types;
    }

    /**
     * Closes {@code resource} when the try ends (the newest first), and stops it, or the loops it drives, when
     * the try overruns its deadline.
     *
     * @return {@code resource}
     */
    public final <T extends AutoCloseable> T track(T resource) {
        synchronized (opened) {
            opened.push(resource);
        }
        return resource;
    }

    /**
     * Asks every loop the current try opened to stop, from the deadline watchdog's thread: how a deadline
     * overrun unsticks a try whose loop would otherwise run forever. Loops are found directly, in the kit's
     * models, and in {@link WatcherHarness}es.
     */
    final void stopWhatTheTryRuns() {
        List<AutoCloseable> now;
        synchronized (opened) {
            now = new ArrayList<>(opened);
        }
        for (AutoCloseable r : now) {
            List<EventLoop> loops = new ArrayList<>();
            if (r instanceof EventLoop loop) {
                loops.add(loop);
            } else if (r instanceof LoopModel model) {
                loops.add(model.loop);
            } else if (r instanceof FutureModel model) {
                loops.add(model.loop);
            } else if (r instanceof PolicyModel model) {
                loops.addAll(model.loops);
            } else if (r instanceof WatcherHarness harness) {
                loops.add(harness.loop.loop());
            }
            for (EventLoop loop : loops) {
                try {
                    loop.callSoonThreadsafe(loop::stop);
                } catch (RuntimeException closed) {
                    // closed or broken: nothing to stop
                }
            }
        }
    }

    /** Closes what the try opened, the newest first; the first failure is rethrown after all were tried. */
    @AfterTry
    final void closeWhatTheTryOpened() throws Exception {
        Exception first = null;
        while (true) {
            AutoCloseable next;
            synchronized (opened) {
                next = opened.poll();
            }
            if (next == null) {
                break;
            }
            try {
                if (next instanceof EventLoop loop && (loop.isRunning() || loop.isClosed())) {
                    continue; // closed by the property, or still run by a thread of a failed property
                }
                next.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
