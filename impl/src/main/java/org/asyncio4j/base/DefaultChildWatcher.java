package org.asyncio4j.base;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.asyncio4j.ChildWatcher;

/**
 * Finds the default child watcher of a {@link ChildWatcherEventLoopPolicy} as the {@link ChildWatcher} service
 * provider, so that neither {@code base} nor a loop's policy names a watcher class: asyncio4j-impl declares
 * {@code org.asyncio4j.unix.SafeChildWatcher} (in its module-info and in {@code META-INF/services}).
 */
final class DefaultChildWatcher {
    private DefaultChildWatcher() {}

    static ChildWatcher create() {
        return create(DefaultChildWatcher.class.getClassLoader());
    }

    /**
     * A new watcher from the one provider {@code loader} sees.
     *
     * @throws IllegalStateException if it sees none, or several (named in the message)
     */
    static ChildWatcher create(ClassLoader loader) {
        List<ServiceLoader.Provider<ChildWatcher>> providers =
                ServiceLoader.load(ChildWatcher.class, loader).stream().collect(Collectors.toList());
        if (providers.isEmpty()) {
            throw new IllegalStateException("no ChildWatcher provider found: put asyncio4j-impl on the class path"
                    + " or module path, or call setChildWatcher");
        }
        if (providers.size() > 1) {
            throw new IllegalStateException("several ChildWatcher providers compete to be the default: "
                    + providers.stream().map(p -> p.type().getName()).collect(Collectors.joining(", "))
                    + "; call setChildWatcher to choose one");
        }
        return providers.get(0).get();
    }
}
