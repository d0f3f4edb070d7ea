package org.asyncio4j.conformance;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asyncio4j.EventLoopPolicy;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs the kit on a policy through the JUnit Platform Launcher: the one path {@link Certify} and the kit's
 * own mutant tests share. Properties are bound to the policy through {@link Binding}.
 */
public final class KitRun {
    /** The three kits. */
    public enum Kit {
        POLICY(CertifiedPolicyKit.class, EventLoopPolicyConformance.class),
        LOOP(CertifiedLoopKit.class, EventLoopConformance.class),
        WATCHER(CertifiedWatcherKit.class, ChildWatcherConformance.class);

        final Class<?> certified;
        final Class<?> abstractKit;

        Kit(Class<?> certified, Class<?> abstractKit) {
            this.certified = certified;
            this.abstractKit = abstractKit;
        }
    }

    private static final Pattern SEED = Pattern.compile("seed\\s*=\\s*(-?\\d+)");

    private KitRun() {}

    /**
     * Runs {@code kits} on {@code policyClass}; capabilities are inferred and then overridden by
     * {@code claims} and {@code lacks}. With {@code xmlReports} non-null, JUnit XML is written there.
     */
    public static List<PropertyOutcome> run(Class<? extends EventLoopPolicy> policyClass, Set<Kit> kits,
                                            Set<Capability> claims, Set<Capability> lacks, Path xmlReports) {
        Binding.install(new Binding(policyClass, claims, lacks));
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                .configurationParameter("jqwik.failures.after.default", "RANDOM_SEED")
                .configurationParameter("jqwik.database", System.getProperty("java.io.tmpdir") + "/asyncio4j-conformance-jqwik-database")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false");
        for (Kit kit : EnumSet.copyOf(kits)) {
            request.selectors(selectClass(kit.certified));
        }
        LauncherDiscoveryRequest discovery = request.build();
        Collector collector = new Collector();
        Launcher launcher = LauncherFactory.create();
        List<TestExecutionListener> listeners = new ArrayList<>();
        listeners.add(collector);
        if (xmlReports != null) {
            listeners.add(new LegacyXmlReportGeneratingListener(xmlReports, new PrintWriter(System.err, true)));
        }
        try {
            launcher.execute(discovery, listeners.toArray(new TestExecutionListener[0]));
        } finally {
            Binding.install(null);
        }
        return collector.outcomes();
    }

    /** Per rule: FAILED if any property caught it, else PASSED if a property checking it passed, else SKIPPED. */
    public static Map<String, PropertyOutcome.Status> ruleStatus(List<PropertyOutcome> outcomes) {
        Map<String, PropertyOutcome.Status> status = new TreeMap<>(RuleCatalogue.ORDER);
        for (PropertyOutcome o : outcomes) {
            for (String rule : o.rules()) {
                status.putIfAbsent(rule, PropertyOutcome.Status.SKIPPED);
                if (o.status() == PropertyOutcome.Status.PASSED && status.get(rule) == PropertyOutcome.Status.SKIPPED) {
                    status.put(rule, PropertyOutcome.Status.PASSED);
                }
            }
        }
        for (PropertyOutcome o : outcomes) {
            for (String rule : o.failedRules()) {
                status.put(rule, PropertyOutcome.Status.FAILED);
            }
        }
        return status;
    }

    /** Finds the @Rule of a kit method by name, in the class or its superclasses. */
    static Optional<Method> propertyMethod(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.isAnnotationPresent(Rule.class)) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    private static final class Collector implements TestExecutionListener {
        private final Map<String, String> seeds = new ConcurrentHashMap<>();
        private final List<PropertyOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            for (String value : entry.getKeyValuePairs().values()) {
                Matcher m = SEED.matcher(value);
                if (m.find()) {
                    seeds.put(id.getUniqueId(), m.group(1));
                }
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                record(id, PropertyOutcome.Status.SKIPPED, null, reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
                return;
            }
            Throwable t = result.getThrowable().orElse(null);
            switch (result.getStatus()) {
                case SUCCESSFUL:
                    record(id, PropertyOutcome.Status.PASSED, null, null);
                    break;
                case ABORTED:
                    record(id, PropertyOutcome.Status.SKIPPED, null, t == null ? null : t.getMessage());
                    break;
                default:
                    RuleViolation v = violation(t);
                    record(id, PropertyOutcome.Status.FAILED, t, v != null ? v.getMessage() : t == null ? "failed" : String.valueOf(t));
            }
        }

        private void record(TestIdentifier id, PropertyOutcome.Status status, Throwable failure, String message) {
            Optional<MethodSource> source = id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast);
            if (source.isEmpty()) {
                return;
            }
            Class<?> type = source.get().getJavaClass();
            Method method = propertyMethod(type, source.get().getMethodName()).orElse(null);
            List<String> rules = method == null ? List.of() : List.of(method.getAnnotation(Rule.class).value());
            String kit = method == null ? type.getSimpleName() : method.getDeclaringClass().getSimpleName();
            outcomes.add(new PropertyOutcome(kit, source.get().getMethodName(), rules, status, violatedRule(failure), message,
                    status == PropertyOutcome.Status.FAILED ? seeds.get(id.getUniqueId()) : null));
        }

        private static String violatedRule(Throwable failure) {
            RuleViolation v = violation(failure);
            return v == null ? null : v.ruleId();
        }

        private static RuleViolation violation(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof RuleViolation) {
                    return (RuleViolation) t;
                }
            }
            return null;
        }

        List<PropertyOutcome> outcomes() {
            synchronized (outcomes) {
                return new ArrayList<>(outcomes);
            }
        }
    }
}
