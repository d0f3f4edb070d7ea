package org.asyncio4j.conformance;

import java.util.EnumSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.asyncio4j.BaseDefaultEventLoopPolicy;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoopPolicy;

/**
 * The policy {@link Certify} certifies and the capabilities it is held to, shared with the kit classes the
 * launcher instantiates ({@link CertifiedPolicyKit}, {@link CertifiedLoopKit}, {@link CertifiedWatcherKit}).
 *
 * <p>Capabilities are inferred from the {@link ImplementationTraits} providers on the class path (the
 * kit knows no implementation itself) and then overridden by explicit claims and lacks.
 */
final class Binding {
    private static volatile Binding current;

    final Class<? extends EventLoopPolicy> policyClass;
    final Set<Capability> claims;
    final Set<Capability> lacks;

    Binding(Class<? extends EventLoopPolicy> policyClass, Set<Capability> claims, Set<Capability> lacks) {
        this.policyClass = policyClass;
        this.claims = claims.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(claims);
        this.lacks = lacks.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(lacks);
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

    /** A {@link BaseDefaultEventLoopPolicy} (a contract class) keeps one loop per thread and knows the main thread. */
    boolean policyIsDefaultKind() {
        return BaseDefaultEventLoopPolicy.class.isAssignableFrom(policyClass);
    }

    /**
     * What the {@link ImplementationTraits} providers say {@code implementation} has, or null when none
     * knows it (its capabilities are then unknown).
     */
    static Set<Capability> traitsOf(Object implementation) {
        if (implementation == null) {
            return null;
        }
        for (ImplementationTraits provider : ServiceLoader.load(ImplementationTraits.class)) {
            Set<Capability> traits = provider.traitsOf(implementation);
            if (traits != null) {
                return traits.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(traits);
            }
        }
        return null;
    }

    /** Whether {@code capability} is inferred for {@code implementation}: false when it is unknown. */
    static boolean inferred(Object implementation, Capability capability) {
        Set<Capability> traits = traitsOf(implementation);
        return traits != null && traits.contains(capability);
    }
}
