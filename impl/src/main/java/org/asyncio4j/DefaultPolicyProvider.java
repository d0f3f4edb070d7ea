package org.asyncio4j;

import java.net.URL;
import java.security.CodeSource;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Finds the default policy through {@link ServiceLoader}, so that the contract package names no
 * implementation, not even by name: CPython's {@code events.py} likewise imports its default policy lazily.
 * The provider that comes from this jar (or module) is asyncio4j-impl's own; any other takes precedence.
 */
final class DefaultPolicyProvider {
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
                .filter(p -> !isOwn(p.type()))
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

    /** Whether {@code type} comes from the jar or module that holds the contract: asyncio4j-impl's own provider. */
    private static boolean isOwn(Class<?> type) {
        if (EventLoops.class.getModule().isNamed()) {
            return type.getModule() == EventLoops.class.getModule();
        }
        return Objects.equals(location(type), location(EventLoops.class));
    }

    private static @Nullable URL location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
