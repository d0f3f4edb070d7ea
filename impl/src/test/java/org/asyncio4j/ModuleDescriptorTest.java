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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compiled {@code module-info.class} of impl: tests run on the class path, so this is where the module
 * boundary is checked. Only the API packages are exported; internal packages stay hidden, except the
 * libc binding, which jnr-ffi must see to generate its implementation.
 */
class ModuleDescriptorTest {

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
        Set<String> expected = new HashSet<>(Set.of("org.asyncio4j", "org.asyncio4j.base", "org.asyncio4j.unix"));
        if (module.packages().contains("org.asyncio4j.proactor")) {
            expected.add("org.asyncio4j.proactor");
        }
        Set<String> unqualified = module.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(expected), unqualified);
    }

    @Test
    @DisplayName("MODULE internal packages are not exported, except internal.posix to org.jnrproject.ffi")
    void internalPackagesStayInternal() throws Exception {
        ModuleDescriptor module = descriptor();
        Map<String, Set<String>> qualified = new TreeMap<>();
        module.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .forEach(e -> qualified.put(e.source(), new TreeSet<>(e.targets())));
        assertEquals(Map.of("org.asyncio4j.internal.posix", Set.of("org.jnrproject.ffi")), qualified);
        Set<String> internal = module.packages().stream().filter(p -> p.contains(".internal"))
                .collect(Collectors.toSet());
        assertTrue(internal.contains("org.asyncio4j.internal.posix"), "packages: " + module.packages());
        assertTrue(module.exports().stream().noneMatch(e -> !e.isQualified() && internal.contains(e.source())));
        assertTrue(module.opens().isEmpty(), "opens: " + module.opens());
    }
}
