package org.asyncio4j.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.asyncio4j.EventLoopPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Certifies an event-loop policy from the class path: runs the five kits on it (policy, loop, watcher, transport, socket) through the JUnit Platform
 * Launcher, with loops from {@code policy.newEventLoop()} and watchers from {@code policy.getChildWatcher()}
 * (skipped when the policy has none). {@code --help} lists the options.
 *
 * <p>Prints each failure with its rule, jqwik's shrunk and original samples and a replay line, then a
 * closing line {@code N passed, N failed, N errors, N skipped}; writes {@code DIR/conformance.md} and JUnit
 * XML under {@code DIR}; exits with 1 on any failure or error, 2 on a usage error. picocli is an optional
 * dependency of the kit: put it on the class path to run Certify.
 */
@Command(name = "Certify", mixinStandardHelpOptions = true, versionProvider = Certify.KitVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs the asyncio4j conformance kits on an event-loop policy, its loops and its child watcher.")
public final class Certify implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--policy", required = true, paramLabel = "CLASS",
            description = "the EventLoopPolicy to certify (a public class with a public no-argument constructor)")
    private String policy;

    @Option(names = "--tries", paramLabel = "N",
            description = "tries per model property (default ${DEFAULT-VALUE}); properties with real children run N/10, at least 2-3;"
                    + " socket properties that move MiBs N/5, at least 5 or N")
    private int tries = Settings.DEFAULT_TRIES;

    @Option(names = "--seed", paramLabel = "S", description = "the seed printed for a failure, to replay it (with --property)")
    private String seed;

    @Option(names = "--time-scale", paramLabel = "X",
            description = "multiply every deadline by X (default ${DEFAULT-VALUE}; 3 for a slow or busy machine)")
    private double timeScale = 1.0;

    @Option(names = "--property", paramLabel = "NAME", description = "run only this property (its method name, as printed)")
    private String property;

    @Option(names = "--reports", paramLabel = "DIR", description = "where conformance.md and the JUnit XML go (default ${DEFAULT-VALUE})")
    private Path reports = Path.of("reports");

    @Option(names = "--kits", split = ",", paramLabel = "KIT", description = "run only some kits: ${COMPLETION-CANDIDATES}")
    private List<KitRun.Kit> kits = new ArrayList<>(EnumSet.allOf(KitRun.Kit.class));

    @Option(names = "--claim", paramLabel = "CAPABILITY", description = "declare a capability: ${COMPLETION-CANDIDATES}")
    private List<Capability> claims = new ArrayList<>();

    @Option(names = "--lack", paramLabel = "CAPABILITY", description = "declare a capability missing")
    private List<Capability> lacks = new ArrayList<>();

    private PrintWriter out;

    /** Used by picocli. */
    public Certify() {}

    /** Runs Certify and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs Certify; returns the exit status (0: all passed or skipped, 1: a property failed or errored, 2: usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Certify certify = new Certify();
        certify.out = out;
        return new CommandLine(certify).setCaseInsensitiveEnumValuesAllowed(true).setOut(out).setErr(err).execute(args);
    }

    @Override
    public Integer call() {
        if (tries < 1) {
            throw new ParameterException(spec.commandLine(), "--tries must be at least 1, got " + tries);
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new ParameterException(spec.commandLine(), "--time-scale must be a positive number, got " + timeScale);
        }
        if (kits.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--kits names no kit");
        }
        Class<? extends EventLoopPolicy> policyClass = loadPolicy();
        try {
            Files.createDirectories(reports);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--reports " + reports + " cannot be created: " + e.getMessage(), e);
        }
        Set<Capability> claimed = claims.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(claims);
        Set<Capability> lacked = lacks.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(lacks);
        KitRun.Request request;
        try {
            request = new KitRun.Request(policyClass, EnumSet.copyOf(kits), claimed, lacked, reports, true, tries, seed, timeScale, property);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        CertificationFacts facts = CertificationFacts.of(request, kitVersion());
        for (String unknown : facts.unknowns()) {
            out.println("NOTE: " + unknown);
        }
        List<PropertyOutcome> outcomes;
        try {
            outcomes = KitRun.run(request);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--property " + property + ": " + e.getMessage(), e);
        }
        for (PropertyOutcome o : outcomes) {
            if (o.broken()) {
                out.println((o.status() == PropertyOutcome.Status.FAILED ? "FAILED " : "ERROR ") + o.kit() + "#" + o.property()
                        + (o.violatedRule() == null ? " (no rule verdict)" : " [" + o.violatedRule() + "]") + ": " + firstLine(o.message()));
                for (String line : o.report().split("\n")) {
                    if (!line.isBlank()) {
                        out.println("    " + line);
                    }
                }
                out.println("  replay: --property " + o.property() + (o.seed() == null ? "" : " --seed " + o.seed()));
            }
        }
        Path report = reports.resolve("conformance.md");
        try {
            Files.writeString(report, ConformanceReport.markdown(facts, outcomes), StandardCharsets.UTF_8);
            facts.addToJUnitXml(reports, outcomes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reports in " + reports, e);
        }
        out.println("report: " + report.toAbsolutePath());
        out.println(ConformanceReport.summary(outcomes));
        return outcomes.stream().anyMatch(PropertyOutcome::broken) ? 1 : 0;
    }

    private Class<? extends EventLoopPolicy> loadPolicy() {
        Class<?> c;
        try {
            c = Class.forName(policy, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ParameterException(spec.commandLine(), "--policy " + policy + " is not on the class path", e);
        }
        if (!EventLoopPolicy.class.isAssignableFrom(c)) {
            throw new ParameterException(spec.commandLine(), "--policy " + policy + " does not implement " + EventLoopPolicy.class.getName());
        }
        return c.asSubclass(EventLoopPolicy.class);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The kit's version, from the {@code kit.properties} the build writes. */
    static String kitVersion() {
        try (InputStream in = Certify.class.getResourceAsStream("kit.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code --version}: the kit's version. */
    static final class KitVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"asyncio4j-conformance " + kitVersion()};
        }
    }
}
