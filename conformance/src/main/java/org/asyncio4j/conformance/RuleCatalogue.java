package org.asyncio4j.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Example;
import net.jqwik.api.Property;

/**
 * The one catalogue of the rules this project follows (ID and statement, {@code rules.tsv}) and of the kit's
 * coverage of them: which properties check each rule (from the {@link Rule} annotations), why the others
 * are not checked ({@code unchecked.tsv}), and which rules or parts of rules have no Java counterpart at all
 * ({@code not-applicable.tsv}). Generates {@code RULES.md}.
 */
public final class RuleCatalogue {
    private static final List<String> SECTIONS = List.of("POL", "LOOP", "FUT", "WCH", "SAFE", "FAST", "THR", "MLW", "PFD", "RACE", "TRN", "STR", "SUB", "SCK");

    /** Catalogue order: by section, then number. */
    public static final Comparator<String> ORDER = Comparator
            .<String>comparingInt(id -> SECTIONS.indexOf(id.substring(0, id.indexOf('-'))))
            .thenComparingInt(id -> Integer.parseInt(id.substring(id.indexOf('-') + 1)));

    /** The kits whose properties are catalogued: the classes users extend, one per {@link KitRun.Kit}. */
    public static final List<Class<?>> KITS = Arrays.stream(KitRun.Kit.values()).<Class<?>>map(k -> k.abstractKit).toList();

    /** One rule of the catalogue. */
    public static final class Entry {
        public final String id;
        public final String sentence;
        public final String source;

        Entry(String id, String sentence, String source) {
            this.id = id;
            this.sentence = sentence;
            this.source = source;
        }
    }

    private RuleCatalogue() {}

    /** Every rule, in Catalogue order. */
    public static Map<String, Entry> rules() {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String[] f : tsv("rules.tsv", 3)) {
            out.put(f[0], new Entry(f[0], f[1], f[2]));
        }
        return out;
    }

    /** Rules, or parts of rules (the key says which), that have no Java counterpart, and why. */
    public static Map<String, String> notApplicable() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] f : tsv("not-applicable.tsv", 2)) {
            out.put(f[0], f[1]);
        }
        return out;
    }

    /**
     * Twins: rule ID to the ID of its twin that the kit's checks name ({@code twins.tsv}). Twins state one behaviour
     * for different watchers; a property checks both, but the kit cannot tell from the declared capabilities
     * which watcher it runs, so its check names the first. A failure on that ID is a failure of each twin.
     */
    public static Map<String, String> twins() {
        Map<String, String> out = new TreeMap<>(ORDER);
        Map<String, Entry> rules = rules();
        for (String[] f : tsv("twins.tsv", 3)) {
            if (!rules.containsKey(f[0]) || !rules.containsKey(f[1]) || f[0].equals(f[1])) {
                throw new IllegalStateException("twins.tsv: not two rules of the catalogue: " + f[0] + ", " + f[1]);
            }
            out.put(f[0], f[1]);
        }
        return out;
    }

    /** The ID a check names when {@code rule} is broken: its twin's ({@link #twins()}), or its own. */
    public static String checkedAs(String rule) {
        return twins().getOrDefault(rule, rule);
    }

    /** Why each unchecked rule is not checked: "not observable: ..." or "not checked: ...". */
    public static Map<String, String> uncheckedReasons() {
        Map<String, String> out = new TreeMap<>(ORDER);
        for (String[] f : tsv("unchecked.tsv", 2)) {
            for (String id : f[0].split(",")) {
                out.put(id.trim(), f[1]);
            }
        }
        return out;
    }

    /** Rule ID to the properties that check it, as Class#method (the class or contract that declares it), by method name. */
    public static Map<String, List<String>> coverage() {
        Map<String, List<String>> out = new TreeMap<>(ORDER);
        for (Class<?> kit : KITS) {
            for (Method m : propertyMethods(kit)) {
                for (String id : m.getAnnotation(Rule.class).value()) {
                    out.computeIfAbsent(id, k -> new ArrayList<>()).add(m.getDeclaringClass().getSimpleName() + "#" + m.getName());
                }
            }
        }
        for (List<String> props : out.values()) {
            props.sort(Comparator.comparing((String p) -> p.substring(p.indexOf('#') + 1)));
        }
        return out;
    }

    /**
     * The property methods of a kit (those annotated with jqwik's {@code @Property} or {@code @Example}), declared
     * in it, its superclasses or the contracts it implements; sorted by name.
     */
    public static List<Method> propertyMethods(Class<?> kit) {
        Map<String, Method> byName = new TreeMap<>();
        for (Class<?> type : ConformanceBase.typesOf(kit)) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Property.class) || m.isAnnotationPresent(Example.class)) {
                    byName.putIfAbsent(m.getName(), m);
                }
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** The text of RULES.md. */
    public static String markdown() {
        Map<String, Entry> rules = rules();
        Map<String, List<String>> coverage = coverage();
        Map<String, String> reasons = uncheckedReasons();
        Map<String, String> twins = twins();
        StringBuilder md = new StringBuilder();
        md.append("# Conformance rule catalogue\n\n")
                .append("The rules asyncio4j follows: CPython 3.11's asyncio behaviour (policies, loops, futures, child watchers,\n")
                .append("transports, protocols, streams and subprocesses),\n")
                .append("numbered by section, each stated here in full in one to three sentences. Generated from the `@Rule` annotations of the kit's\n")
                .append("properties and four files under `src/main/resources/org/asyncio4j/conformance/`: `rules.tsv` (the\n")
                .append("statements), `unchecked.tsv` (why a rule is not checked), `not-applicable.tsv` (what has no Java\n")
                .append("counterpart) and `twins.tsv` (twins: one behaviour stated for different watchers, checked as one rule; the\n")
                .append("kit cannot tell those watchers apart from their declared capabilities, so a twin's checks name the first twin,\n")
                .append("and a mutant breaking a twin is caught on that ID). `RuleCatalogueTest` fails when this file is stale; regenerate it with\n")
                .append("`mvn -o -pl conformance test -Dtest=RuleCatalogueTest -Dasyncio4j.conformance.writeRules=true`.\n\n");
        long checked = rules.keySet().stream().filter(coverage::containsKey).count();
        md.append("Checked: ").append(checked).append(" of ").append(rules.size()).append(" rules.\n\n");
        md.append("## Checked rules\n\n| Rule | Behaviour | Property |\n| --- | --- | --- |\n");
        for (Entry e : rules.values()) {
            List<String> props = coverage.get(e.id);
            if (props != null) {
                String twin = twins.containsKey(e.id) ? " (twin of " + twins.get(e.id) + ": its checks name " + twins.get(e.id) + ")" : "";
                md.append("| ").append(e.id).append(" | ").append(e.sentence).append(" | ")
                        .append(String.join("<br>", props)).append(twin).append(" |\n");
            }
        }
        md.append("\n## Rules not checked\n\n| Rule | Behaviour | Why not |\n| --- | --- | --- |\n");
        for (Entry e : rules.values()) {
            if (!coverage.containsKey(e.id)) {
                md.append("| ").append(e.id).append(" | ").append(e.sentence).append(" | ")
                        .append(reasons.getOrDefault(e.id, "MISSING REASON")).append(" |\n");
            }
        }
        md.append("\n## Rules and parts of rules with no Java counterpart\n\n")
                .append("Neither the kit nor impl's tests can exercise these; where only part of a rule is listed, the rest is tested.\n\n")
                .append("| Rule | Why |\n| --- | --- |\n");
        notApplicable().forEach((rule, why) -> md.append("| ").append(rule).append(" | ").append(why).append(" |\n"));
        return md.toString();
    }

    private static List<String[]> tsv(String resource, int columns) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = RuleCatalogue.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != columns) {
                    throw new IllegalStateException(resource + ": expected " + columns + " tab-separated columns in: " + line);
                }
                rows.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
