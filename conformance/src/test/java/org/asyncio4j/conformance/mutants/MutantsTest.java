package org.asyncio4j.conformance.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.asyncio4j.EventLoopPolicy;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.KitRun;
import org.asyncio4j.conformance.PropertyOutcome;
import org.asyncio4j.conformance.RuleCatalogue;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The kit proves itself: it runs, through the same launcher path as {@code Certify}, on every mutant (a
 * reference implementation with one behaviour broken) and must fail on exactly the rule the mutant breaks;
 * on the reference policy it must pass every property it does not skip. The table of mutants against the
 * rules caught goes to {@code target/reports/mutants.md} (a snapshot is committed as {@code reports/mutants.md}).
 */
class MutantsTest {
    private static final Map<Class<?>, Set<String>> CAUGHT = new ConcurrentHashMap<>();

    static List<Class<?>> mutants() {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> holder : List.of(PolicyMutants.class, LoopMutants.class, WatcherMutants.class)) {
            Arrays.stream(holder.getDeclaredClasses()).filter(c -> c.isAnnotationPresent(Breaks.class)).forEach(out::add);
        }
        out.sort((a, b) -> RuleCatalogue.ORDER.compare(a.getAnnotation(Breaks.class).rule(), b.getAnnotation(Breaks.class).rule()));
        return out;
    }

    @Test
    @DisplayName("at least 30 mutants, each breaking a rule of the catalogue that a property checks")
    void thereAreEnoughMutantsOnCatalogueRules() {
        List<Class<?>> all = mutants();
        assertTrue(all.size() >= 30, "only " + all.size() + " mutants");
        Map<String, List<String>> coverage = RuleCatalogue.coverage();
        for (Class<?> m : all) {
            String rule = m.getAnnotation(Breaks.class).rule();
            assertTrue(coverage.containsKey(rule), m.getSimpleName() + " breaks " + rule + ", which no property checks");
        }
    }

    @TestFactory
    @DisplayName("every mutant fails the kit on the rule it breaks")
    Stream<DynamicTest> everyMutantIsCaughtOnItsRule() {
        String only = System.getProperty("asyncio4j.conformance.mutant", "");
        return mutants().stream().filter(m -> only.isEmpty() || m.getSimpleName().equals(only)).map(m -> {
            Breaks breaks = m.getAnnotation(Breaks.class);
            return DynamicTest.dynamicTest(breaks.rule() + " " + m.getSimpleName() + ": " + breaks.how(), () -> {
                Set<Capability> claims = breaks.claims().length == 0 ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(Arrays.asList(breaks.claims()));
                List<PropertyOutcome> outcomes = KitRun.run(m.asSubclass(EventLoopPolicy.class), EnumSet.of(breaks.kit()),
                        claims, EnumSet.noneOf(Capability.class), null);
                Set<String> failed = new TreeSet<>(RuleCatalogue.ORDER);
                outcomes.forEach(o -> failed.addAll(o.failedRules()));
                CAUGHT.put(m, failed);
                assertTrue(failed.contains(breaks.rule()), m.getSimpleName() + " breaks " + breaks.rule()
                        + " but the kit caught " + failed + ": " + outcomes.stream().filter(o -> o.status() == PropertyOutcome.Status.FAILED)
                        .map(o -> o + " " + o.message()).collect(Collectors.joining("; ")));
            });
        });
    }

    @Test
    @DisplayName("the reference policy, its loops and its watcher pass every property that is not skipped")
    void theReferencePassesEveryRule() {
        List<PropertyOutcome> outcomes = KitRun.run(DefaultEventLoopPolicy.class, EnumSet.allOf(KitRun.Kit.class),
                EnumSet.noneOf(Capability.class), EnumSet.noneOf(Capability.class), null);
        List<PropertyOutcome> failed = outcomes.stream().filter(o -> o.status() == PropertyOutcome.Status.FAILED).collect(Collectors.toList());
        assertEquals(List.of(), failed);
        assertTrue(outcomes.stream().anyMatch(o -> o.status() == PropertyOutcome.Status.PASSED), "nothing ran: " + outcomes);
    }

    @AfterAll
    static void writeTheMutantTable() throws IOException {
        StringBuilder md = new StringBuilder("# Mutants against the rules the kit caught\n\n")
                .append("Written by `MutantsTest` (conformance/src/test/java/org/asyncio4j/conformance/mutants) to target/reports on each run;\n")
                .append("the copy in conformance/reports is a snapshot. \"Also failed\" varies from run to run: it lists other rules the\n")
                .append("random sequences happened to trip over as a consequence of the broken behaviour.\n")
                .append("Each mutant is a reference implementation with one behaviour broken; the kit must fail on its rule.\n\n")
                .append("| Mutant | Kit | Breaks | How | Caught | Also failed |\n| --- | --- | --- | --- | --- | --- |\n");
        for (Class<?> m : mutants()) {
            Breaks b = m.getAnnotation(Breaks.class);
            Set<String> failed = CAUGHT.get(m);
            String caught = failed == null ? "not run" : failed.contains(b.rule()) ? "yes" : "**NO**";
            List<String> others = new ArrayList<>();
            if (failed != null) {
                failed.stream().filter(r -> !r.equals(b.rule())).forEach(others::add);
            }
            md.append("| ").append(m.getEnclosingClass().getSimpleName()).append('.').append(m.getSimpleName())
                    .append(" | ").append(b.kit().name().toLowerCase()).append(" | ").append(b.rule()).append(" | ").append(b.how())
                    .append(" | ").append(caught).append(" | ").append(String.join(", ", others)).append(" |\n");
        }
        Path reports = Path.of("target", "reports");
        Files.createDirectories(reports);
        Files.writeString(reports.resolve("mutants.md"), md.toString(), StandardCharsets.UTF_8);
    }
}
