package org.asyncio4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering the README's layout section states, checked over impl's compiled main classes: the
 * contracts know no implementation, {@code base} knows no loop, the two loops' packages ({@code unix} and
 * {@code proactor}) know nothing of each other, no class reaches another package by reflection, and no class
 * starts a process through the JDK (whose reaper thread would race the watchers).
 */
class LayeringTest {
    private static JavaClasses impl;

    @BeforeAll
    static void importMainClasses() {
        impl = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.asyncio4j");
    }

    @Test
    void theContractPackageKnowsNoImplementation() {
        check(noClasses().that().resideInAPackage("org.asyncio4j")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.asyncio4j.base..", "org.asyncio4j.unix..", "org.asyncio4j.proactor..",
                        "org.asyncio4j.internal.."));
    }

    @Test
    void baseKnowsNoLoop() {
        check(noClasses().that().resideInAPackage("org.asyncio4j.base..")
                .should().dependOnClassesThat().resideInAnyPackage("org.asyncio4j.unix..", "org.asyncio4j.proactor.."));
    }

    @Test
    void unixKnowsNothingOfTheProactor() {
        check(noClasses().that().resideInAPackage("org.asyncio4j.unix..")
                .should().dependOnClassesThat().resideInAPackage("org.asyncio4j.proactor.."));
    }

    @Test
    void theProactorKnowsNothingOfUnix() {
        check(noClasses().that().resideInAPackage("org.asyncio4j.proactor..")
                .should().dependOnClassesThat().resideInAPackage("org.asyncio4j.unix.."));
    }

    @Test
    void internalPackagesServeTheLoopsAndNeverCallBackIntoThem() {
        check(noClasses().that().resideInAPackage("org.asyncio4j.internal..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.asyncio4j.base..", "org.asyncio4j.unix..", "org.asyncio4j.proactor.."));
    }

    @Test
    void noProcessIsStartedThroughTheJdk() {
        check(noClasses().should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
                .orShould().callMethod(Runtime.class, "exec", String.class)
                .orShould().callMethod(Runtime.class, "exec", String[].class)
                .orShould().callMethod(Runtime.class, "exec", String.class, String[].class)
                .orShould().callMethod(Runtime.class, "exec", String[].class, String[].class)
                .orShould().callMethod(Runtime.class, "exec", String.class, String[].class, File.class)
                .orShould().callMethod(Runtime.class, "exec", String[].class, String[].class, File.class));
    }

    /**
     * No class loads another package's class by name (the old {@code internal.UnixAccess} did, to reach the Unix
     * launcher): every class that calls {@code Class.forName} names, among the dotted string constants of its
     * class file, no class of this module outside its own package. JDK classes may still be named.
     */
    @Test
    void noReflectionReachesAnotherPackageOfTheModule() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (JavaClass c : impl) {
            boolean loadsByName = c.getMethodCallsFromSelf().stream().anyMatch(call ->
                    call.getTargetOwner().isEquivalentTo(Class.class) && call.getName().equals("forName"));
            if (!loadsByName) {
                continue;
            }
            String own = c.getPackageName() + ".";
            for (String name : moduleNamesIn(c)) {
                boolean samePackage = name.startsWith(own) && name.indexOf('.', own.length()) < 0;
                if (!samePackage) {
                    offenders.add(c.getName() + " -> " + name);
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    /** The dotted {@code org.asyncio4j...} class names (last part capitalised) among the string constants of {@code c}'s class file. */
    private static List<String> moduleNamesIn(JavaClass c) throws IOException {
        String resource = "/" + c.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = LayeringTest.class.getResourceAsStream(resource)) {
            bytes = in.readAllBytes();
        }
        Matcher m = MODULE_NAME.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static final Pattern MODULE_NAME = Pattern.compile("org\\.asyncio4j(\\.[a-z0-9_]+)*\\.[A-Z][A-Za-z0-9_$]*");

    private static void check(ArchRule rule) {
        rule.check(impl);
    }
}
