package org.asyncio4j.conformance;

import java.util.EnumSet;
import java.util.Set;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ChildWatcher;

/**
 * The watcher properties bound to the watcher of the policy {@link Certify} certifies
 * ({@code getChildWatcher()} of a fresh policy) and to its loops; all skipped when the policy has none.
 */
final class CertifiedWatcherKit extends ChildWatcherConformance {
    private Set<Capability> traits;

    @Override
    protected ChildWatcher createWatcher() {
        return Binding.current().newPolicy().getChildWatcher();
    }

    @Override
    protected EventLoop createEventLoop() {
        return Binding.current().newPolicy().newEventLoop();
    }

    @Override
    boolean watcherAvailable() {
        Binding b = Binding.current();
        return b.decide(Capability.CHILD_WATCHERS, b.hasWatchers());
    }

    private boolean trait(Capability c) {
        Binding b = Binding.current();
        if (traits == null) {
            if (!watcherAvailable()) {
                return false;
            }
            ChildWatcher probe = createWatcher();
            try {
                Set<Capability> declared = Binding.traitsOf(probe);
                traits = declared == null ? EnumSet.noneOf(Capability.class) : declared;
            } finally {
                probe.close();
            }
        }
        return b.decide(c, traits.contains(c));
    }

    @Override
    protected boolean needsRunningLoopToRegister() {
        return trait(Capability.NEEDS_RUNNING_LOOP_TO_REGISTER);
    }

    @Override
    protected boolean needsAttachedLoop() {
        return trait(Capability.NEEDS_ATTACHED_LOOP);
    }

    @Override
    protected boolean needsSpawningWindow() {
        return trait(Capability.NEEDS_SPAWNING_WINDOW);
    }

    @Override
    protected boolean reapsEveryChild() {
        return trait(Capability.REAPS_EVERY_CHILD);
    }

    @Override
    protected boolean dropsRegistrationsOnAttach() {
        return trait(Capability.DROPS_REGISTRATIONS_ON_ATTACH);
    }

    @Override
    protected boolean activeOnlyWhileLoopRuns() {
        return trait(Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS);
    }

    @Override
    protected boolean reportsCallbackErrorsAsSweepErrors() {
        return trait(Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS);
    }

    @Override
    protected boolean deliversExitedChildOnRegistration() {
        return trait(Capability.DELIVERS_EXITED_CHILD_ON_REGISTRATION);
    }

    @Override
    protected boolean logsReferenceTexts() {
        return trait(Capability.REFERENCE_LOG_TEXTS);
    }
}
