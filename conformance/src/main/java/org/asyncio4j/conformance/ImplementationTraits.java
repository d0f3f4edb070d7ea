package org.asyncio4j.conformance;

import java.util.Set;

/**
 * What {@link Certify} may infer about implementations it meets: the capabilities a loop, watcher or policy
 * is documented to have. Found with {@link java.util.ServiceLoader} on the class path
 * ({@code META-INF/services/org.asyncio4j.conformance.ImplementationTraits}); the kit itself knows no
 * implementation, so with no provider every capability is unknown until claimed or lacked.
 */
public interface ImplementationTraits {
    /**
     * The capabilities {@code implementation} (a policy, a loop or a watcher) has, or null if this provider
     * does not know it.
     */
    Set<Capability> traitsOf(Object implementation);
}
