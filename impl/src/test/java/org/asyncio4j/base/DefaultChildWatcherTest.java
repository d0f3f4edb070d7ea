package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.unix.SafeChildWatcher;
import org.asyncio4j.unix.ThreadedChildWatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seam through which a policy outside the Unix package gets its default watcher: the {@link ChildWatcher}
 * service provider, which impl declares as {@link SafeChildWatcher}; none, or several, are refused by name.
 */
class DefaultChildWatcherTest {

    @Test
    void withImplAloneTheDefaultIsANewSafeChildWatcher() {
        ChildWatcher first = DefaultChildWatcher.create();
        ChildWatcher second = DefaultChildWatcher.create();
        try {
            assertInstanceOf(SafeChildWatcher.class, first);
            assertNotSame(first, second);
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void competingProvidersAreRefusedByName(@TempDir Path jar) throws IOException {
        Path services = Files.createDirectories(jar.resolve("META-INF/services"));
        Files.writeString(services.resolve(ChildWatcher.class.getName()), ThreadedChildWatcher.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                DefaultChildWatcherTest.class.getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DefaultChildWatcher.create(loader));
            assertTrue(e.getMessage().contains(SafeChildWatcher.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains(ThreadedChildWatcher.class.getName()), e.getMessage());
        }
    }

    @Test
    void noProviderIsRefusedWithWhatToDo() throws IOException {
        try (URLClassLoader nothing = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DefaultChildWatcher.create(nothing));
            assertEquals("no ChildWatcher provider found: put asyncio4j-impl on the class path or module path,"
                    + " or call setChildWatcher", e.getMessage());
        }
    }
}
