package org.asyncio4j.conformance;

import java.util.EnumSet;
import java.util.Set;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;

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

    /** Claimed, lacked, or else the traits declared for the policy's watcher (none when it has no watcher). */
    @Override
    protected boolean declares(Capability capability) {
        Binding b = Binding.current();
        boolean available = b.decide(Capability.CHILD_WATCHERS, b.hasWatchers());
        if (capability == Capability.CHILD_WATCHERS || !available) {
            return available;
        }
        return b.decide(capability, traits().contains(capability));
    }

    private Set<Capability> traits() {
        if (traits == null) {
            ChildWatcher probe = createWatcher();
            try {
                Set<Capability> declared = Binding.traitsOf(probe);
                traits = declared == null ? EnumSet.noneOf(Capability.class) : declared;
            } finally {
                probe.close();
            }
        }
        return traits;
    }
}
