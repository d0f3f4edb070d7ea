package org.asyncio4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps RULES.md honest: every property names rules of the catalogue, every rule is either checked or
 * explained, and the committed file is what the annotations generate. Run with
 * {@code -Dasyncio4j.conformance.writeRules=true} to regenerate it.
 */
class RuleCatalogueTest {
    private static final Path RULES_MD = Path.of("RULES.md");

    @Test
    @DisplayName("every property carries @Rule with IDs that exist in the catalogue")
    void everyPropertyNamesKnownRules() {
        Map<String, RuleCatalogue.Entry> rules = RuleCatalogue.rules();
        List<String> problems = new ArrayList<>();
        for (Class<?> kit : RuleCatalogue.KITS) {
            for (Method m : RuleCatalogue.propertyMethods(kit)) {
                Rule rule = m.getAnnotation(Rule.class);
                if (rule == null || rule.value().length == 0) {
                    problems.add(kit.getSimpleName() + "#" + m.getName() + " has no @Rule");
                    continue;
                }
                for (String id : rule.value()) {
                    if (!rules.containsKey(id)) {
                        problems.add(kit.getSimpleName() + "#" + m.getName() + " names unknown rule " + id);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    @DisplayName("each twin is checked by a property that also checks the twin its checks name (twins.tsv)")
    void twinsShareAProperty() {
        Map<String, List<String>> coverage = RuleCatalogue.coverage();
        List<String> problems = new ArrayList<>();
        RuleCatalogue.twins().forEach((twin, checkedAs) -> {
            List<String> shared = new ArrayList<>(coverage.getOrDefault(twin, List.of()));
            shared.retainAll(coverage.getOrDefault(checkedAs, List.of()));
            if (shared.isEmpty() || RuleCatalogue.twins().containsKey(checkedAs)) {
                problems.add(twin + " is declared a twin of " + checkedAs + ", but no property checks both, or " + checkedAs + " is itself a twin");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    @DisplayName("every rule is checked by a property or has a reason in unchecked.tsv, never both")
    void everyRuleIsCheckedOrExplained() {
        Map<String, List<String>> coverage = RuleCatalogue.coverage();
        Map<String, String> reasons = RuleCatalogue.uncheckedReasons();
        List<String> problems = new ArrayList<>();
        for (String id : RuleCatalogue.rules().keySet()) {
            boolean checked = coverage.containsKey(id);
            boolean explained = reasons.containsKey(id);
            if (checked == explained) {
                problems.add(id + (checked ? " is checked and also listed as unchecked" : " is neither checked nor explained"));
            }
        }
        for (String id : reasons.keySet()) {
            if (!RuleCatalogue.rules().containsKey(id)) {
                problems.add("unchecked.tsv names unknown rule " + id);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    @DisplayName("RULES.md is what the annotations generate")
    void rulesMarkdownIsInSync() throws IOException {
        String generated = RuleCatalogue.markdown();
        if (Boolean.getBoolean("asyncio4j.conformance.writeRules")) {
            Files.writeString(RULES_MD, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(RULES_MD), "RULES.md is missing: regenerate it with -Dasyncio4j.conformance.writeRules=true");
        assertEquals(generated, Files.readString(RULES_MD, StandardCharsets.UTF_8),
                "RULES.md is stale: regenerate it with -Dasyncio4j.conformance.writeRules=true");
    }
}
