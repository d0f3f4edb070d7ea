package org.asyncio4j.conformance;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Example;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

/**
 * The kit's jqwik lifecycle hook, registered by {@link ConformanceBase} on every class that extends it; it knows
 * its hosts only through that base:
 * <ul>
 *   <li>skips a property whose {@link Requires} capabilities (on the property, its class or its contract) the
 *       implementation does not declare, and an {@link OnMainThread} property that the engine does not run on
 *       the implementation's main thread ({@link ConformanceBase#mainThread()});</li>
 *   <li>sets the tries from {@link Settings} ({@link RealChildren} properties run fewer and never shrink,
 *       {@link BulkTransfer} properties run fewer)
 *       and a fixed seed when one is configured;</li>
 *   <li>gives every try and every property a deadline ({@link Settings#timeScale()} scales them): at a try's
 *       deadline a watchdog asks the loops the try opened to stop, and the try fails on the property's first
 *       rule, whatever it did after; a property past its own deadline fails its next try the same way, also
 *       in jqwik's shrinking thread;</li>
 *   <li>runs nothing for a try that comes after its property ended: jqwik's bounded shrinking abandons its
 *       thread at the time bound, and that thread would otherwise go on opening loops beside later properties
 *       (a closed loop's descriptor reused by one of them hung a later property).</li>
 * </ul>
 */
public final class KitHook implements SkipExecutionHook, AroundPropertyHook, AroundTryHook {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conformance-deadline-watchdog");
        t.setDaemon(true);
        return t;
    });
    /**
     * When each running property started, by its test instance (jqwik makes one per property). Not a thread
     * local: jqwik shrinks in a thread of its own, and leaves that thread running when its shrinking time is up.
     */
    private static final Map<Object, Long> PROPERTY_START = Collections.synchronizedMap(new IdentityHashMap<>());

    /** Created by jqwik. */
    public KitHook() {}

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Optional<AnnotatedElement> element = context.optionalElement();
        Optional<Class<?>> container = context.optionalContainerClass();
        if (element.isEmpty() || !(element.get() instanceof Method method) || container.isEmpty()) {
            return SkipResult.doNotSkip();
        }
        Set<Capability> needed = required(method, container.get());
        boolean onMainThread = method.isAnnotationPresent(OnMainThread.class);
        if (needed.isEmpty() && !onMainThread) {
            return SkipResult.doNotSkip();
        }
        if (!(context.newInstance(container.get()) instanceof ConformanceBase probe)) {
            return SkipResult.doNotSkip();
        }
        List<String> missing = new ArrayList<>();
        for (Capability c : needed) {
            if (!probe.has(c)) {
                missing.add(c + " (" + c.declaredBy() + ")");
            }
        }
        if (!missing.isEmpty()) {
            return SkipResult.skip("the implementation does not declare " + String.join(", ", missing));
        }
        if (needed.contains(Capability.REFERENCE_LOG_TEXTS) && LogSink.unroutedReason() != null) {
            return SkipResult.skip(LogSink.unroutedReason());
        }
        String elsewhere = onMainThread ? notOnMainThread(probe.mainThread()) : null;
        return elsewhere == null ? SkipResult.doNotSkip() : SkipResult.skip(elsewhere);
    }

    /** What {@code @Requires} asks for on the property and on every class and contract above it. */
    private static Set<Capability> required(Method property, Class<?> container) {
        Set<Capability> needed = EnumSet.noneOf(Capability.class);
        for (Class<?> type : ConformanceBase.typesOf(container)) {
            Requires onType = type.getAnnotation(Requires.class);
            if (onType != null) {
                needed.addAll(Arrays.asList(onType.value()));
            }
        }
        Requires onProperty = property.getAnnotation(Requires.class);
        if (onProperty != null) {
            needed.addAll(Arrays.asList(onProperty.value()));
        }
        return needed;
    }

    /** Null if the calling thread is {@code main}, else why a main-thread property cannot run here. */
    private static String notOnMainThread(Thread main) {
        Thread here = Thread.currentThread();
        if (main == null) {
            return "the implementation names no main thread (mainThread())";
        }
        return main == here ? null : "it must run on the policy's main thread '" + main.getName()
                + "', and the test engine runs it on '" + here.getName() + "'";
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        RealChildren real = context.targetMethod().getAnnotation(RealChildren.class);
        BulkTransfer bulk = context.targetMethod().getAnnotation(BulkTransfer.class);
        if (context.targetMethod().isAnnotationPresent(Example.class)) {
            // a fixed scenario: one try
        } else if (real != null) {
            context.attributes().setTries(Settings.realChildTries(real.minTries()));
            context.attributes().setShrinking(ShrinkingMode.OFF);
        } else if (bulk != null) {
            context.attributes().setTries(Math.min(Settings.tries(), Math.max(bulk.minTries(), Settings.tries() / 5)));
        } else {
            context.attributes().setTries(Settings.tries());
        }
        String seed = Settings.seed();
        if (seed != null) {
            context.attributes().setSeed(seed);
        }
        Object instance = context.testInstance();
        PROPERTY_START.put(instance, System.nanoTime());
        try {
            return property.execute();
        } finally {
            PROPERTY_START.remove(instance);
        }
    }

    @Override
    public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
        Method method = context.targetMethod();
        Rule rule = method.getAnnotation(Rule.class);
        String ruleId = rule == null || rule.value().length == 0 ? "?" : rule.value()[0];
        double scale = Settings.timeScale();
        Object instance = context.testInstance();
        Long propertyStart = PROPERTY_START.get(instance);
        if (propertyStart == null) {
            // the property has ended: a shrinking thread jqwik abandoned at its time bound, trying on. It runs nothing
            // more (it would open loops and children beside the properties that run now), and its shrinking ends.
            return TryExecutionResult.satisfied();
        }
        long propertyNanos = (long) (Settings.PROPERTY_SECONDS * scale * 1e9);
        if (System.nanoTime() - propertyStart > propertyNanos) {
            return TryExecutionResult.falsified(new RuleViolation(ruleId, method.getName() + " overran its deadline of "
                    + seconds(propertyNanos) + " (" + Settings.TIME_SCALE + " = " + scale + ")"));
        }
        long tryNanos = (long) ((method.isAnnotationPresent(RealChildren.class) ? Settings.REAL_CHILD_TRY_SECONDS : Settings.TRY_SECONDS)
                * scale * 1e9);
        AtomicBoolean overran = new AtomicBoolean();
        // at the deadline, and then every tenth of it until the try ends: a loop opened late is stopped too
        ScheduledFuture<?> watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
            overran.set(true);
            if (instance instanceof ConformanceBase base) {
                base.stopWhatTheTryRuns();
            }
        }, tryNanos, Math.max(tryNanos / 10, 10_000_000L), TimeUnit.NANOSECONDS);
        TryExecutionResult result;
        try {
            result = aTry.execute(parameters);
        } finally {
            watchdog.cancel(false);
        }
        if (overran.get()) {
            return TryExecutionResult.falsified(new RuleViolation(ruleId, "a try of " + method.getName() + " overran its deadline of "
                    + seconds(tryNanos) + " (" + Settings.TIME_SCALE + " = " + scale + "): the implementation hung, and the kit stopped"
                    + " its loops to go on"));
        }
        return result;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.0f s", nanos / 1e9);
    }
}
