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
 * reference implementation with one behaviour broken) and must fail on exactly the rule the mutant breaks,
 * through a check of that rule (for a twin, {@code RuleCatalogue.twins()}, the check of the twin it names): a failure with no rule verdict (a crash) fails the test, and so does any other
 * rule, unless the mutant declares it among its {@link Breaks#consequences()}, the rules that breaking its rule
 * breaks by definition, with the reason. On the reference policy the kit must
 * pass every property it does not skip. Progress goes to standard output, one line per mutant. The table of mutants against the
 * rules caught goes to {@code target/reports/mutants.md} (a snapshot is committed as {@code reports/mutants.md}).
 */
class MutantsTest {
    private static final Map<Class<?>, Set<String>> CAUGHT = new ConcurrentHashMap<>();

    static List<Class<?>> mutants() {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> holder : List.of(PolicyMutants.class, LoopMutants.class, WatcherMutants.class, TransportMutants.class,
                SocketMutants.class)) {
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

    /**
     * The jqwik seed of every mutant run: a verdict of this meta-test must not depend on which samples a random
     * seed happened to draw, since it decides whether CI passes. {@code -Dasyncio4j.conformance.mutantSeed=random}
     * draws a new seed per run, to look for mutants that only some samples catch.
     */
    private static final String SEED_FOR_MUTANTS = "random".equals(System.getProperty("asyncio4j.conformance.mutantSeed"))
            ? null : System.getProperty("asyncio4j.conformance.mutantSeed", "20261202");

    /**
     * Tries per model property in a mutant run (properties with real children run their minimum of 2-3): a mutant
     * is caught in its first tries, and the properties it does not break need not run the default 50 to prove
     * that; {@code -Dasyncio4j.conformance.mutantTries=N} changes it. The reference run keeps the default.
     */
    private static final int TRIES_FOR_MUTANTS = Integer.getInteger("asyncio4j.conformance.mutantTries", 15);

    @TestFactory
    @DisplayName("every mutant fails the kit on the rule it breaks")
    Stream<DynamicTest> everyMutantIsCaughtOnItsRule() {
        String only = System.getProperty("asyncio4j.conformance.mutant", "");
        List<String> chosen = Arrays.asList(only.split(","));
        return mutants().stream().filter(m -> only.isEmpty() || chosen.contains(m.getSimpleName())).map(m -> {
            Breaks breaks = m.getAnnotation(Breaks.class);
            return DynamicTest.dynamicTest(breaks.rule() + " " + m.getSimpleName() + ": " + breaks.how(), () -> {
                assertEquals(breaks.consequences().length == 0, breaks.because().isBlank(), m.getSimpleName()
                        + ": consequences and the reason they cannot be kept apart from the rule (because) go together");
                Set<Capability> claims = breaks.claims().length == 0 ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(Arrays.asList(breaks.claims()));
                Set<Capability> lacks = breaks.lacks().length == 0 ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(Arrays.asList(breaks.lacks()));
                long start = System.nanoTime();
                List<PropertyOutcome> outcomes = KitRun.run(new KitRun.Request(m.asSubclass(EventLoopPolicy.class), EnumSet.of(breaks.kit()),
                        claims, lacks, runDirectory(m.getSimpleName()), false, triesFor(breaks.kit()), SEED_FOR_MUTANTS,
                        null, null));
                Set<String> failed = new TreeSet<>(RuleCatalogue.ORDER);
                outcomes.forEach(o -> failed.addAll(o.failedRules()));
                CAUGHT.put(m, failed);
                System.out.printf("mutant %-28s %-8s caught %-40s %5.1f s%n", m.getSimpleName(), breaks.rule(), failed,
                        (System.nanoTime() - start) / 1e9);
                String detail = outcomes.stream().filter(PropertyOutcome::broken)
                        .map(o -> o + " " + o.message()).collect(Collectors.joining("; "));
                List<PropertyOutcome> errors = outcomes.stream().filter(o -> o.status() == PropertyOutcome.Status.ERROR).collect(Collectors.toList());
                assertEquals(List.of(), errors, m.getSimpleName() + " made properties fail without a rule verdict: " + detail);
                // a twin's check names the first twin (RuleCatalogue.twins()): a failure on that ID is the twin's own
                String checkedAs = RuleCatalogue.checkedAs(breaks.rule());
                assertTrue(failed.contains(checkedAs), m.getSimpleName() + " breaks " + breaks.rule()
                        + (checkedAs.equals(breaks.rule()) ? "" : " (checked as its twin " + checkedAs + ")")
                        + " but the kit caught " + failed + ": " + detail);
                Set<String> undeclared = new TreeSet<>(failed);
                undeclared.remove(checkedAs);
                undeclared.removeAll(Arrays.asList(breaks.consequences()));
                assertEquals(Set.of(), undeclared, m.getSimpleName() + " breaks " + breaks.rule()
                        + " but the kit also blamed other rules: " + detail);
            });
        });
    }

    /** Tries per property for a mutant of {@code kit}: fewer for the transport and socket kits, whose tries move real bytes. */
    private static int triesFor(KitRun.Kit kit) {
        return kit == KitRun.Kit.TRANSPORT || kit == KitRun.Kit.SOCKET ? Math.min(TRANSPORT_MUTANT_TRIES, TRIES_FOR_MUTANTS) : TRIES_FOR_MUTANTS;
    }

    private static final int TRANSPORT_MUTANT_TRIES = 10;

    /** A fresh directory under target/reports for one kit run's jqwik database. */
    static Path runDirectory(String name) throws IOException {
        return Files.createDirectories(Path.of("target", "reports", "kit-runs", name));
    }

    @Test
    @DisplayName("the reference policy, its loops and its watcher pass every property that is not skipped")
    void theReferencePassesEveryRule() throws IOException {
        List<PropertyOutcome> outcomes = KitRun.run(new KitRun.Request(DefaultEventLoopPolicy.class, EnumSet.allOf(KitRun.Kit.class),
                EnumSet.noneOf(Capability.class), EnumSet.noneOf(Capability.class), runDirectory("reference"), false, null, null, null, null));
        List<PropertyOutcome> failed = outcomes.stream().filter(PropertyOutcome::broken).collect(Collectors.toList());
        assertEquals(List.of(), failed);
        assertTrue(outcomes.stream().anyMatch(o -> o.status() == PropertyOutcome.Status.PASSED), "nothing ran: " + outcomes);
    }

    @AfterAll
    static void writeTheMutantTable() throws IOException {
        StringBuilder md = new StringBuilder("# Mutants against the rules the kit caught\n\n")
                .append("Written by `MutantsTest` (conformance/src/test/java/org/asyncio4j/conformance/mutants) to target/reports on each run;\n")
                .append("the copy in conformance/reports is a snapshot. Each mutant is a reference implementation with one behaviour\n")
                .append("broken; the kit must fail on its rule and no other. \"Also failed\" may only list a rule that breaking the mutant's\n")
                .append("rule breaks by definition (declared in its `@Breaks`, with the reason).\n\n")
                .append("| Mutant | Kit | Breaks | How | Caught | Also failed |\n| --- | --- | --- | --- | --- | --- |\n");
        for (Class<?> m : mutants()) {
            Breaks b = m.getAnnotation(Breaks.class);
            Set<String> failed = CAUGHT.get(m);
            String checkedAs = RuleCatalogue.checkedAs(b.rule());
            String caught = failed == null ? "not run" : failed.contains(checkedAs)
                    ? (checkedAs.equals(b.rule()) ? "yes" : "yes, as its twin " + checkedAs) : "**NO**";
            List<String> others = new ArrayList<>();
            if (failed != null) {
                failed.stream().filter(r -> !r.equals(checkedAs)).forEach(others::add);
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
