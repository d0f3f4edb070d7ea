package org.asyncio4j.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoopPolicy;

/**
 * What a certification is of and how to reproduce it: the kit's version, the implementation's classes, the
 * JDK and kernel, the capabilities declared and inferred per kit, and the seeds. {@link Certify} writes them
 * at the head of {@code conformance.md} and as properties of each JUnit XML file.
 */
final class CertificationFacts {
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<String> unknowns = new ArrayList<>();

    private CertificationFacts() {}

    /** Collects the facts of {@code request}, probing the policy for its loop and watcher classes. */
    static CertificationFacts of(KitRun.Request request, String kitVersion) {
        CertificationFacts f = new CertificationFacts();
        f.facts.put("kit version", kitVersion);
        f.facts.put("policy", request.policy().getName());
        f.facts.put("JDK", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        f.facts.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        f.facts.put("kits", new TreeSet<>(request.kits()).toString());
        f.facts.put("capabilities claimed", new TreeSet<>(request.claims()).toString());
        f.facts.put("capabilities lacked", new TreeSet<>(request.lacks()).toString());
        f.facts.put("tries", String.valueOf(request.tries() == null ? Settings.tries() : request.tries()));
        f.facts.put("time scale", String.valueOf(request.timeScale() == null ? Settings.timeScale() : request.timeScale()));
        f.facts.put("seed", request.seed() == null ? "random (each failure prints its own)" : request.seed());
        if (request.property() != null) {
            f.facts.put("property", request.property());
        }
        Binding.install(new Binding(request.policy(), request.claims(), request.lacks()));
        try {
            f.probe(request);
        } finally {
            Binding.install(null);
        }
        return f;
    }

    private void probe(KitRun.Request request) {
        EventLoopPolicy policy = Binding.current().newPolicy();
        EventLoop loop = policy.newEventLoop();
        try {
            facts.put("loop", loop.getClass().getName());
            if (Binding.traitsOf(loop) == null && request.kits().contains(KitRun.Kit.LOOP)) {
                unknowns.add("the capabilities of the loop " + loop.getClass().getName() + " are unknown (no ImplementationTraits "
                        + "provider knows it): only what --claim declares is assumed; properties needing more are skipped");
            }
        } finally {
            loop.close();
        }
        if (Binding.current().hasWatchers()) {
            ChildWatcher watcher = Binding.current().newPolicy().getChildWatcher();
            try {
                facts.put("watcher", watcher.getClass().getName());
                if (Binding.traitsOf(watcher) == null && request.kits().contains(KitRun.Kit.WATCHER)) {
                    unknowns.add("the capabilities of the watcher " + watcher.getClass().getName() + " are unknown (no ImplementationTraits "
                            + "provider knows it): only what --claim declares is assumed; properties needing more are skipped");
                }
            } finally {
                watcher.close();
            }
        } else {
            facts.put("watcher", "none");
        }
        List<ConformanceBase> owners = List.of(new CertifiedPolicyKit(), new CertifiedLoopKit(), new CertifiedWatcherKit(),
                new CertifiedTransportKit(), new CertifiedSocketKit());
        for (KitRun.Kit kit : KitRun.Kit.values()) {
            if (!request.kits().contains(kit)) {
                continue;
            }
            ConformanceBase owner = owners.get(kit.ordinal());
            Set<Capability> has = EnumSet.noneOf(Capability.class);
            for (Capability c : Capability.values()) {
                if (c.opposite() == null && owner.has(c)) { // the opposites follow from the others
                    has.add(c);
                }
            }
            facts.put("capabilities in effect, " + kit.name().toLowerCase() + " kit", has.toString());
        }
    }

    /** Plain sentences about capabilities the kit could not infer. */
    List<String> unknowns() {
        return List.copyOf(unknowns);
    }

    /** The facts in order, as name and value. */
    Map<String, String> facts() {
        return Map.copyOf(facts);
    }

    /** A Markdown table of the facts, then the seeds of the broken properties. */
    String markdown(List<PropertyOutcome> outcomes) {
        StringBuilder md = new StringBuilder("| Fact | Value |\n| --- | --- |\n");
        facts.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        for (PropertyOutcome o : outcomes) {
            if (o.broken() && o.seed() != null) {
                md.append("| seed of ").append(o.property()).append(" | ").append(o.seed()).append(" |\n");
            }
        }
        unknowns.forEach(u -> md.append("\n**Note:** ").append(u).append('\n'));
        return md.toString();
    }

    /** Adds the facts as {@code asyncio4j.*} properties to every JUnit XML file in {@code dir}. */
    void addToJUnitXml(Path dir, List<PropertyOutcome> outcomes) throws IOException {
        StringBuilder props = new StringBuilder("<properties>\n");
        facts.forEach((k, v) -> props.append("    <property name=\"asyncio4j.").append(k.replace(' ', '.').replace(",", ""))
                .append("\" value=\"").append(xml(v)).append("\"/>\n"));
        for (PropertyOutcome o : outcomes) {
            if (o.broken() && o.seed() != null) {
                props.append("    <property name=\"asyncio4j.seed.").append(o.property()).append("\" value=\"").append(xml(o.seed())).append("\"/>\n");
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "TEST-*.xml")) {
            for (Path file : files) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Files.writeString(file, text.replaceFirst("<properties>\\s*", props.toString().replace("$", "\\$")), StandardCharsets.UTF_8);
            }
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
