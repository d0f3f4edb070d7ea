package org.asyncio4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering the README's layout section states, checked over impl's compiled main classes: the
 * contracts know no implementation, {@code base} knows no loop, the selector loop knows nothing of the
 * proactor, and no class starts a process through the JDK (whose reaper thread would race the watchers).
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
                .orShould().callMethod(Runtime.class, "exec", String.class, String[].class, java.io.File.class)
                .orShould().callMethod(Runtime.class, "exec", String[].class, String[].class, java.io.File.class));
    }

    private static void check(ArchRule rule) {
        rule.check(impl);
    }
}
