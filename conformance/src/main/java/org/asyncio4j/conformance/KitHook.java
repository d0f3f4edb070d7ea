package org.asyncio4j.conformance;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The kit's jqwik lifecycle hook, registered on the three conformance classes:
 * <ul>
 *   <li>skips a property whose {@link Requires} capabilities the implementation does not declare, and an
 *       {@link OnMainThread} property that the engine does not run on the policy's main thread;</li>
 *   <li>sets the tries from {@link Settings} ({@link RealChildren} properties run fewer and never shrink)
 *       and a fixed seed when one is configured.</li>
 * </ul>
 */
public final class KitHook implements SkipExecutionHook, AroundPropertyHook {

    public KitHook() {}

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Optional<AnnotatedElement> element = context.optionalElement();
        Optional<Class<?>> container = context.optionalContainerClass();
        if (element.isEmpty() || !(element.get() instanceof Method) || container.isEmpty()) {
            return SkipResult.doNotSkip();
        }
        Requires requires = ((Method) element.get()).getAnnotation(Requires.class);
        boolean watcherKit = ChildWatcherConformance.class.isAssignableFrom(container.get());
        if (requires == null && !watcherKit) {
            return SkipResult.doNotSkip();
        }
        Object probe = context.newInstance(container.get());
        if (!(probe instanceof CapabilityOwner)) {
            return SkipResult.doNotSkip();
        }
        List<Capability> needed = new ArrayList<>();
        if (watcherKit) {
            needed.add(Capability.CHILD_WATCHERS); // every watcher property needs a watcher
        }
        if (requires != null) {
            needed.addAll(Arrays.asList(requires.value()));
        }
        List<String> missing = new ArrayList<>();
        for (Capability c : needed) {
            if (!((CapabilityOwner) probe).has(c)) {
                missing.add(c + " (" + c.declaredBy() + ")");
            }
        }
        if (!missing.isEmpty()) {
            return SkipResult.skip("the implementation does not declare " + String.join(", ", missing));
        }
        if (needed.contains(Capability.REFERENCE_LOG_TEXTS) && LogSink.unroutedReason() != null) {
            return SkipResult.skip(LogSink.unroutedReason());
        }
        if (((Method) element.get()).isAnnotationPresent(OnMainThread.class) && probe instanceof EventLoopPolicyConformance) {
            String elsewhere = ((EventLoopPolicyConformance) probe).notOnMainThread();
            if (elsewhere != null) {
                return SkipResult.skip(elsewhere);
            }
        }
        return SkipResult.doNotSkip();
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        RealChildren real = context.targetMethod().getAnnotation(RealChildren.class);
        if (context.targetMethod().isAnnotationPresent(net.jqwik.api.Example.class)) {
            // a fixed scenario: one try
        } else if (real != null) {
            context.attributes().setTries(Settings.realChildTries(real.minTries()));
            context.attributes().setShrinking(ShrinkingMode.OFF);
        } else {
            context.attributes().setTries(Settings.tries());
        }
        String seed = Settings.seed();
        if (seed != null) {
            context.attributes().setSeed(seed);
        }
        return property.execute();
    }
}
