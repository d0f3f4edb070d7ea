package org.asyncio4j.conformance.reference;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.asyncio4j.base.BaseEventLoop;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.ImplementationTraits;
import org.asyncio4j.unix.FastChildWatcher;
import org.asyncio4j.unix.MultiLoopChildWatcher;
import org.asyncio4j.unix.PidfdChildWatcher;
import org.asyncio4j.unix.SafeChildWatcher;
import org.asyncio4j.unix.ThreadedChildWatcher;

/**
 * The documented traits of asyncio4j's own loops and watchers, declared next to their conformance tests
 * and offered to {@code Certify} and the mutant runs through {@code META-INF/services}.
 */
public final class ReferenceTraits implements ImplementationTraits {
    private static final Map<Class<?>, Set<Capability>> WATCHERS = Map.of(
            SafeChildWatcher.class, EnumSet.of(Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.REFERENCE_LOG_TEXTS, Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS,
                    Capability.DELIVERS_EXITED_CHILD_ON_REGISTRATION),
            FastChildWatcher.class, EnumSet.of(Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.NEEDS_SPAWNING_WINDOW, Capability.REAPS_EVERY_CHILD, Capability.REFERENCE_LOG_TEXTS,
                    Capability.CALLBACK_ERRORS_AS_SWEEP_ERRORS),
            ThreadedChildWatcher.class, EnumSet.of(Capability.NEEDS_RUNNING_LOOP_TO_REGISTER, Capability.REFERENCE_LOG_TEXTS),
            MultiLoopChildWatcher.class, EnumSet.of(Capability.NEEDS_RUNNING_LOOP_TO_REGISTER, Capability.REFERENCE_LOG_TEXTS),
            PidfdChildWatcher.class, EnumSet.of(Capability.NEEDS_ATTACHED_LOOP, Capability.ACTIVE_ONLY_WHILE_LOOP_RUNS,
                    Capability.DROPS_REGISTRATIONS_ON_ATTACH, Capability.REFERENCE_LOG_TEXTS, Capability.CLOSE_IS_DETACH));

    /** Created by the service loader. */
    public ReferenceTraits() {}

    @Override
    public Set<Capability> traitsOf(Object implementation) {
        if (implementation instanceof BaseEventLoop) {
            return EnumSet.of(Capability.TIMER_TIES_IN_SCHEDULING_ORDER, Capability.REFERENCE_LOG_TEXTS);
        }
        return WATCHERS.get(implementation.getClass());
    }
}
