package org.asyncio4j.conformance;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.asyncio4j.EventLoopPolicy;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Runs the kit on a policy through the JUnit Platform Launcher: the one path {@link Certify} and the kit's
 * own mutant tests share. Properties are bound to the policy through {@link Binding}.
 */
public final class KitRun {
    /** The kits. */
    public enum Kit {
        POLICY(CertifiedPolicyKit.class, EventLoopPolicyConformance.class),
        LOOP(CertifiedLoopKit.class, EventLoopConformance.class),
        WATCHER(CertifiedWatcherKit.class, ChildWatcherConformance.class),
        TRANSPORT(CertifiedTransportKit.class, TransportConformance.class),
        SOCKET(CertifiedSocketKit.class, SocketConformance.class);

        final Class<?> certified;
        final Class<?> abstractKit;

        Kit(Class<?> certified, Class<?> abstractKit) {
            this.certified = certified;
            this.abstractKit = abstractKit;
        }
    }

    private static final Pattern SEED = Pattern.compile("seed\\s*=\\s*(-?\\d+)");
    private static final AtomicInteger RUNS = new AtomicInteger();

    private KitRun() {}

    /**
     * What to run: {@code kits} on {@code policy}, capabilities inferred and then overridden by {@code claims}
     * and {@code lacks}; {@code reports} holds this run's jqwik database (and the JUnit XML if {@code xml});
     * {@code tries}, {@code seed} and {@code timeScale} (null: the {@link Settings} defaults) hold for this
     * run only;
     * {@code property} (null: all) names the one property to run.
     */
    public record Request(Class<? extends EventLoopPolicy> policy, Set<Kit> kits, Set<Capability> claims,
                          Set<Capability> lacks, Path reports, boolean xml, Integer tries, String seed, Double timeScale,
                          String property) {
        /** Checks the request. */
        public Request {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(reports, "reports");
            if (kits.isEmpty()) {
                throw new IllegalArgumentException("kits must not be empty");
            }
            if (tries != null && tries < 1) {
                throw new IllegalArgumentException("tries must be at least 1, got " + tries);
            }
            if (timeScale != null && (!(timeScale > 0) || timeScale.isInfinite())) {
                throw new IllegalArgumentException("timeScale must be a positive number, got " + timeScale);
            }
            for (Capability c : claims) {
                if (lacks.contains(c)) {
                    throw new IllegalArgumentException("capability " + c + " is both claimed and lacked");
                }
            }
            kits = Set.copyOf(kits);
            claims = Set.copyOf(claims);
            lacks = Set.copyOf(lacks);
        }
    }

    /** Runs the request and returns one outcome per property. */
    public static List<PropertyOutcome> run(Request request) {
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                .configurationParameter("jqwik.failures.after.default", "RANDOM_SEED")
                .configurationParameter("jqwik.shrinking.bounded.seconds", "4") // jqwik's 10 s is most of a mutant run
                .configurationParameter("jqwik.database", request.reports().resolve(
                        "jqwik-database-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet()).toString())
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false");
        selectProperties(builder, request);
        Collector collector = new Collector();
        List<TestExecutionListener> listeners = new ArrayList<>();
        listeners.add(collector);
        if (request.xml()) {
            listeners.add(new LegacyXmlReportGeneratingListener(request.reports(), new PrintWriter(System.err, true)));
        }
        Binding.install(new Binding(request.policy(), request.claims(), request.lacks()));
        Settings.Scope scope = Settings.scope(request.tries(), request.seed(), request.timeScale());
        // the kit provokes errors on purpose: what the implementation logs about them is not for the console
        Logger implementationLog = Logger.getLogger(LogSink.LOGGER);
        boolean useParentHandlers = implementationLog.getUseParentHandlers();
        implementationLog.setUseParentHandlers(false);
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(builder.build(), listeners.toArray(new TestExecutionListener[0]));
        } finally {
            implementationLog.setUseParentHandlers(useParentHandlers);
            scope.close();
            Binding.install(null);
        }
        return collector.outcomes();
    }

    private static void selectProperties(LauncherDiscoveryRequestBuilder builder, Request request) {
        boolean found = false;
        for (Kit kit : EnumSet.copyOf(request.kits())) {
            if (request.property() == null) {
                builder.selectors(selectClass(kit.certified));
            } else {
                Optional<Method> method = propertyMethod(kit.certified, request.property());
                if (method.isPresent()) {
                    // by Method: JUnit's lookup by name does not see the kit's package-private properties
                    builder.selectors(selectMethod(kit.certified, method.get()));
                    found = true;
                }
            }
        }
        if (request.property() != null && !found) {
            throw new IllegalArgumentException("property " + request.property() + " is not a property of the kits " + request.kits());
        }
    }

    /**
     * Per rule: FAILED if a property's check of it failed, else PASSED if a property checking it passed, else
     * ERROR if a property checking it errored, else SKIPPED.
     */
    public static Map<String, PropertyOutcome.Status> ruleStatus(List<PropertyOutcome> outcomes) {
        Map<String, PropertyOutcome.Status> status = new TreeMap<>(RuleCatalogue.ORDER);
        for (PropertyOutcome o : outcomes) {
            for (String rule : o.rules()) {
                status.putIfAbsent(rule, PropertyOutcome.Status.SKIPPED);
                if (o.status() == PropertyOutcome.Status.ERROR && status.get(rule) != PropertyOutcome.Status.PASSED) {
                    status.put(rule, PropertyOutcome.Status.ERROR);
                } else if (o.status() == PropertyOutcome.Status.PASSED && status.get(rule) != PropertyOutcome.Status.PASSED) {
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

    /** The property of {@code type} named {@code name}: declared in it, a superclass or a contract it implements. */
    static Optional<Method> propertyMethod(Class<?> type, String name) {
        return RuleCatalogue.propertyMethods(type).stream().filter(m -> m.getName().equals(name)).findFirst();
    }

    private static final class Collector implements TestExecutionListener {
        private final Map<String, String> seeds = new ConcurrentHashMap<>();
        private final Map<String, StringBuilder> reports = new ConcurrentHashMap<>();
        private final List<PropertyOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            for (String value : entry.getKeyValuePairs().values()) {
                reports.computeIfAbsent(id.getUniqueId(), k -> new StringBuilder()).append(value.strip()).append('\n');
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
                case SUCCESSFUL -> record(id, PropertyOutcome.Status.PASSED, null, null);
                case ABORTED -> record(id, PropertyOutcome.Status.SKIPPED, null, t == null ? null : t.getMessage());
                default -> {
                    RuleViolation v = violation(t);
                    if (v != null) {
                        record(id, PropertyOutcome.Status.FAILED, t, v.getMessage());
                    } else {
                        record(id, PropertyOutcome.Status.ERROR, t, "no rule verdict: " + (t == null ? "failed" : String.valueOf(t)));
                    }
                }
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
            boolean broken = status == PropertyOutcome.Status.FAILED || status == PropertyOutcome.Status.ERROR;
            StringBuilder report = reports.get(id.getUniqueId());
            outcomes.add(new PropertyOutcome(kit, source.get().getMethodName(), rules, status, violatedRule(failure), message,
                    broken ? seeds.get(id.getUniqueId()) : null, broken && report != null ? report.toString() : null));
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
