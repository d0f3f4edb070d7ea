package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.asyncio4j.unix.SelectorEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POL-01: the default policy is found as a service, so the contract package names no implementation; a
 * provider from another jar replaces the reference one, and competing providers are refused by name.
 */
class DefaultPolicyProviderTest {

    /** A third party's policy, declared as a provider in a jar of its own (a folder here). */
    public static final class ThirdPartyPolicy extends BaseDefaultEventLoopPolicy {
        public ThirdPartyPolicy() {
            super(SelectorEventLoop::new);
        }
    }

    /** A second third party competing for the default. */
    public static final class OtherPolicy extends BaseDefaultEventLoopPolicy {
        public OtherPolicy() {
            super(SelectorEventLoop::new);
        }
    }

    @Test
    void withImplAloneTheReferencePolicyIsTheDefault() {
        assertInstanceOf(DefaultEventLoopPolicy.class, DefaultPolicyProvider.create());
        EventLoops.setEventLoopPolicy(null);
        assertInstanceOf(DefaultEventLoopPolicy.class, EventLoops.getEventLoopPolicy());
    }

    @Test
    void aProviderFromAnotherJarTakesPrecedence(@TempDir Path jar) throws IOException {
        try (URLClassLoader loader = declaring(jar, ThirdPartyPolicy.class)) {
            assertInstanceOf(ThirdPartyPolicy.class, DefaultPolicyProvider.create(loader));
        }
    }

    @Test
    void competingProvidersAreRefusedByName(@TempDir Path jar) throws IOException {
        try (URLClassLoader loader = declaring(jar, ThirdPartyPolicy.class, OtherPolicy.class)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DefaultPolicyProvider.create(loader));
            assertTrue(e.getMessage().contains(ThirdPartyPolicy.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains(OtherPolicy.class.getName()), e.getMessage());
        }
    }

    private static URLClassLoader declaring(Path root, Class<?>... providers) throws IOException {
        Path services = Files.createDirectories(root.resolve("META-INF/services"));
        StringBuilder names = new StringBuilder();
        for (Class<?> p : providers) {
            names.append(p.getName()).append('\n');
        }
        Files.writeString(services.resolve(EventLoopPolicy.class.getName()), names);
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, DefaultPolicyProviderTest.class.getClassLoader());
    }
}
