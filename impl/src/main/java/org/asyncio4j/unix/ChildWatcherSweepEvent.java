package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code org.asyncio4j.unix.ChildWatcherSweep}: one SIGCHLD reap sweep of a
 * {@link SafeChildWatcher}, {@link FastChildWatcher} or {@link MultiLoopChildWatcher}, with the number of
 * registered children, of {@code waitpid} calls made and of exits reaped. It lets benchmarks and
 * production profiles see the O(n) against O(1) cost in system calls without any API. Off unless a recording
 * enables it by name ({@code recording.enable("org.asyncio4j.unix.ChildWatcherSweep")}, or in a .jfc), and
 * created only then, so a sweep pays one flag check otherwise.
 */
@Name("org.asyncio4j.unix.ChildWatcherSweep")
@Label("Child Watcher Sweep")
@Category("asyncio4j")
@Description("One SIGCHLD reap sweep of a child watcher")
@StackTrace(false)
@Enabled(false)
final class ChildWatcherSweepEvent extends Event {
    private static final EventType TYPE = EventType.getEventType(ChildWatcherSweepEvent.class);

    @Label("Watcher")
    @Description("The watcher's class name")
    String watcher;

    @Label("Registered")
    @Description("Children registered when the sweep started")
    int registered;

    @Label("waitpid Calls")
    int waitpidCalls;

    @Label("Exits Reaped")
    int exitsReaped;

    /** A begun event when a recording enables it, else null (no allocation). */
    static ChildWatcherSweepEvent beginIfEnabled() {
        if (!TYPE.isEnabled()) {
            return null;
        }
        ChildWatcherSweepEvent event = new ChildWatcherSweepEvent();
        event.begin();
        return event;
    }

    /** Fills in the counts and commits (if the recording's threshold lets it through). */
    void commit(ChildWatcher from, SweepCounts counts) {
        end();
        if (shouldCommit()) {
            watcher = from.getClass().getName();
            registered = counts.registered;
            waitpidCalls = counts.waitpidCalls;
            exitsReaped = counts.exitsReaped;
            commit();
        }
    }
}
