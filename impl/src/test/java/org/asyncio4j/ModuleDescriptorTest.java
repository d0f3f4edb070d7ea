package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compiled {@code module-info.class} of impl: tests run on the class path, so this is where the module
 * boundary is checked. Only the API packages are exported; internal packages stay hidden, except the
 * package of the libc binding interface, which jnr-ffi implements in an unnamed module of its own class loader
 * (ModulePathConsumerIT runs the module on the module path).
 */
class ModuleDescriptorTest {
    /** The one internal package exported: it holds the jnr-ffi binding interface and nothing else. */
    private static final String LIBC_BINDING = "org.asyncio4j.internal.libc";

    private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
        Path classes = Path.of(EventLoops.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    @DisplayName("MODULE org.asyncio4j exports exactly the API packages")
    void exportsExactlyTheApiPackages() throws Exception {
        ModuleDescriptor module = descriptor();
        assertEquals("org.asyncio4j", module.name());
        Set<String> expected = new HashSet<>(Set.of("org.asyncio4j", "org.asyncio4j.base", "org.asyncio4j.unix",
                LIBC_BINDING));
        if (module.packages().contains("org.asyncio4j.proactor")) {
            expected.add("org.asyncio4j.proactor");
        }
        Set<String> unqualified = module.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(expected), unqualified);
    }

    @Test
    @DisplayName("MODULE internal packages are not exported, except the libc binding interface's")
    void internalPackagesStayInternal() throws Exception {
        ModuleDescriptor module = descriptor();
        assertTrue(module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified),
                "qualified exports: " + module.exports());
        Set<String> internal = compiledPackages().stream().filter(p -> p.contains(".internal"))
                .collect(Collectors.toSet());
        assertTrue(internal.contains("org.asyncio4j.internal.posix"), "packages: " + internal);
        assertEquals(Set.of(LIBC_BINDING), module.exports().stream().map(ModuleDescriptor.Exports::source)
                .filter(internal::contains).collect(Collectors.toSet()));
        assertTrue(module.opens().isEmpty(), "opens: " + module.opens());
    }

    @Test
    @DisplayName("MODULE the exported binding package holds the jnr binding interfaces alone (libc, the signal library)")
    void bindingPackageHoldsTheBindingInterfacesAlone() throws Exception {
        Path classes = Path.of(EventLoops.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (var files = Files.list(classes.resolve(LIBC_BINDING.replace('.', '/')))) {
            assertEquals(List.of("LibC.class", "SignalLib.class"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    /** The packages of impl's compiled classes (javac writes no ModulePackages attribute to read them from). */
    private static Set<String> compiledPackages() throws IOException, URISyntaxException {
        Path classes = Path.of(EventLoops.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (var files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class") && !f.endsWith("module-info.class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
