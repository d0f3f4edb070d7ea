package org.asyncio4j.conformance;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.asyncio4j.BaseDefaultEventLoopPolicy;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoopPolicy;
import org.asyncio4j.base.BaseEventLoop;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.FastChildWatcher;
import org.asyncio4j.unix.MultiLoopChildWatcher;
import org.asyncio4j.unix.PidfdChildWatcher;
import org.asyncio4j.unix.SafeChildWatcher;
import org.asyncio4j.unix.ThreadedChildWatcher;

/**
 * The policy {@link Certify} certifies and the capabilities it is held to, shared with the kit classes the
 * launcher instantiates ({@link CertifiedPolicyKit}, {@link CertifiedLoopKit}, {@link CertifiedWatcherKit}).
 *
 * <p>Capabilities are inferred from what the implementation is (a {@link BaseDefaultEventLoopPolicy} claims
 * the per-thread profile, a {@link BaseEventLoop} the ordering of timer ties, the asyncio4j watchers their
 * documented traits) and then overridden by explicit claims and lacks.
 */
final class Binding {
    private static final Map<Class<?>, Set<Capability>> WATCHERS = Map.of(
            SafeChildWatcher.class, EnumSet.of(Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.REFERENCE_LOG_TEXTS, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS,
                    Capability.DELIVERS_EXITED_CHILD_ON_REGISTRATION),
            FastChildWatcher.class, EnumSet.of(Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.NEEDS_SPAWNING_WINDOW, Capability.REAPS_EVERY_CHILD, Capability.REFERENCE_LOG_TEXTS,
                    Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS),
            ThreadedChildWatcher.class, EnumSet.of(Capability.NEEDS_RUNNING_LOOP_TO_REGISTER, Capability.REFERENCE_LOG_TEXTS),
            MultiLoopChildWatcher.class, EnumSet.of(Capability.NEEDS_RUNNING_LOOP_TO_REGISTER, Capability.REFERENCE_LOG_TEXTS),
            PidfdChildWatcher.class, EnumSet.of(Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.DROPS_REGISTRATIONS_ON_ATTACH, Capability.REFERENCE_LOG_TEXTS));

    private static volatile Binding current;

    final Class<? extends EventLoopPolicy> policyClass;
    final Set<Capability> claims;
    final Set<Capability> lacks;

    Binding(Class<? extends EventLoopPolicy> policyClass, Set<Capability> claims, Set<Capability> lacks) {
        this.policyClass = policyClass;
        this.claims = claims.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(claims);
        this.lacks = lacks.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(lacks);
        for (Capability c : this.claims) {
            if (this.lacks.contains(c)) {
                throw new IllegalArgumentException("capability " + c + " is both claimed and lacked");
            }
        }
    }

    static void install(Binding binding) {
        current = binding;
    }

    static Binding current() {
        Binding b = current;
        if (b == null) {
            throw new IllegalStateException("no policy bound: run the certified kits through Certify");
        }
        return b;
    }

    EventLoopPolicy newPolicy() {
        try {
            return policyClass.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + policyClass.getName() + " with its public no-argument constructor", e);
        }
    }

    /** Whether the policy has child watchers: false if getChildWatcher throws UnsupportedOperationException. */
    boolean hasWatchers() {
        if (lacks.contains(Capability.CHILD_WATCHERS)) {
            return false;
        }
        try {
            ChildWatcher w = newPolicy().getChildWatcher();
            if (w != null) {
                w.close();
            }
            return w != null;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** The capability as claimed, lacked, or else inferred ({@code inferred}). */
    boolean decide(Capability capability, boolean inferred) {
        if (claims.contains(capability)) {
            return true;
        }
        if (lacks.contains(capability)) {
            return false;
        }
        return inferred;
    }

    boolean policyIsDefaultKind() {
        return BaseDefaultEventLoopPolicy.class.isAssignableFrom(policyClass);
    }

    static boolean loopIsBase(EventLoop loop) {
        return loop instanceof BaseEventLoop;
    }

    /** What an asyncio4j watcher is documented to do; nothing for other watchers. */
    static Set<Capability> watcherTraits(ChildWatcher watcher) {
        Set<Capability> traits = watcher == null ? null : WATCHERS.get(watcher.getClass());
        return traits == null ? EnumSet.noneOf(Capability.class) : traits;
    }
}
