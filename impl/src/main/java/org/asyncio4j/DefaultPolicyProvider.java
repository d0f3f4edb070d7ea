package org.asyncio4j;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the default policy through {@link ServiceLoader}, so that the contract package names no
 * implementation: CPython's {@code events.py} likewise imports its default policy lazily.
 */
final class DefaultPolicyProvider {
    /** The provider asyncio4j-impl declares; any other provider takes precedence over it. */
    static final String REFERENCE = "org.asyncio4j.unix.DefaultEventLoopPolicy";

    private DefaultPolicyProvider() {}

    static EventLoopPolicy create() {
        return create(EventLoops.class.getClassLoader());
    }

    /** The default policy among the providers {@code loader} sees. */
    static EventLoopPolicy create(ClassLoader loader) {
        List<ServiceLoader.Provider<EventLoopPolicy>> providers =
                ServiceLoader.load(EventLoopPolicy.class, loader).stream()
                        .collect(Collectors.toList());
        List<ServiceLoader.Provider<EventLoopPolicy>> others = providers.stream()
                .filter(p -> !p.type().getName().equals(REFERENCE))
                .collect(Collectors.toList());
        if (others.size() > 1) {
            throw new IllegalStateException("several EventLoopPolicy providers compete to be the default: "
                    + others.stream().map(p -> p.type().getName()).collect(Collectors.joining(", "))
                    + "; call EventLoops.setEventLoopPolicy to choose one");
        }
        List<ServiceLoader.Provider<EventLoopPolicy>> chosen = others.isEmpty() ? providers : others;
        if (chosen.isEmpty()) {
            throw new IllegalStateException("no EventLoopPolicy provider found: put asyncio4j-impl on the class path"
                    + " or module path, or call EventLoops.setEventLoopPolicy");
        }
        return chosen.get(0).get();
    }
}
