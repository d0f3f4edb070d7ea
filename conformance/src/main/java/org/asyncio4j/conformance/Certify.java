package org.asyncio4j.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.asyncio4j.EventLoopPolicy;

/**
 * Certifies an event-loop policy from the class path: runs the three kits on it through the JUnit Platform
 * Launcher, with loops from {@code policy.newEventLoop()} and watchers from {@code policy.getChildWatcher()}
 * (skipped when the policy has none).
 *
 * <pre>
 * java -cp asyncio4j-conformance.jar:DEPENDENCIES:your.jar org.asyncio4j.conformance.Certify \
 *     --policy com.acme.MyPolicy [--tries N] [--seed S] [--reports DIR] [--kits policy,loop,watcher]
 *     [--claim CAPABILITY]... [--lack CAPABILITY]...
 * </pre>
 * Prints each failure with its rule and jqwik seed, then a closing line {@code N passed, N failed, N skipped};
 * writes {@code DIR/conformance.md} and JUnit XML under {@code DIR}; exits with 1 on any failure, 2 on a
 * usage error.
 */
public final class Certify {
    private Certify() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("Certify: " + e.getMessage());
            System.err.println(usage());
            status = 2;
        }
        System.exit(status);
    }

    /** Runs a certification; returns the exit status (0: all passed or skipped, 1: a property failed). */
    public static int run(String[] args, PrintStream out) {
        String policyName = null;
        Path reports = Path.of("reports");
        Set<KitRun.Kit> kits = EnumSet.allOf(KitRun.Kit.class);
        Set<Capability> claims = EnumSet.noneOf(Capability.class);
        Set<Capability> lacks = EnumSet.noneOf(Capability.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--policy":
                    policyName = required(arg, value);
                    i++;
                    break;
                case "--tries":
                    System.setProperty(Settings.TRIES, required(arg, value));
                    Settings.tries(); // validates
                    i++;
                    break;
                case "--seed":
                    System.setProperty(Settings.SEED, required(arg, value));
                    i++;
                    break;
                case "--reports":
                    reports = Path.of(required(arg, value));
                    i++;
                    break;
                case "--kits":
                    kits = EnumSet.noneOf(KitRun.Kit.class);
                    for (String k : required(arg, value).split(",")) {
                        kits.add(enumValue(KitRun.Kit.class, "--kits", k));
                    }
                    i++;
                    break;
                case "--claim":
                    claims.add(enumValue(Capability.class, arg, required(arg, value)));
                    i++;
                    break;
                case "--lack":
                    lacks.add(enumValue(Capability.class, arg, required(arg, value)));
                    i++;
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (policyName == null) {
            throw new IllegalArgumentException("--policy is required");
        }
        Class<? extends EventLoopPolicy> policyClass = loadPolicy(policyName);
        try {
            Files.createDirectories(reports);
        } catch (IOException e) {
            throw new IllegalArgumentException("--reports " + reports + " cannot be created: " + e.getMessage(), e);
        }
        List<PropertyOutcome> outcomes = KitRun.run(policyClass, kits, claims, lacks, reports);
        for (PropertyOutcome o : outcomes) {
            if (o.status() == PropertyOutcome.Status.FAILED) {
                out.println("FAILED " + o.kit() + "#" + o.property() + " [" + String.join(", ", o.failedRules()) + "]: " + firstLine(o.message()));
                out.println("  replay: --seed " + (o.seed() == null ? "(no seed reported)" : o.seed()));
            }
        }
        Path report = reports.resolve("conformance.md");
        try {
            Files.writeString(report, ConformanceReport.markdown(policyClass.getName(), outcomes, Settings.tries()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + report, e);
        }
        out.println("report: " + report.toAbsolutePath());
        out.println(ConformanceReport.summary(outcomes));
        return outcomes.stream().anyMatch(o -> o.status() == PropertyOutcome.Status.FAILED) ? 1 : 0;
    }

    private static Class<? extends EventLoopPolicy> loadPolicy(String name) {
        Class<?> c;
        try {
            c = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--policy " + name + " is not on the class path", e);
        }
        if (!EventLoopPolicy.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("--policy " + name + " does not implement " + EventLoopPolicy.class.getName());
        }
        return c.asSubclass(EventLoopPolicy.class);
    }

    private static String required(String option, String value) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + value + " is not one of " + EnumSet.allOf(type), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String usage() {
        return "usage: Certify --policy CLASS [--tries N] [--seed S] [--reports DIR] [--kits policy,loop,watcher]"
                + " [--claim CAPABILITY]... [--lack CAPABILITY]...\n  capabilities: " + EnumSet.allOf(Capability.class);
    }
}
