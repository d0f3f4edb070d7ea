package org.asyncio4j.conformance.mutants;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.KitRun;

/**
 * Declares what a mutant breaks: the one rule the kit must catch, the kit that catches it, and the capabilities
 * the mutant claims or lacks (as the implementation it imitates would). The kit must fail on that rule and no other,
 * except where breaking it breaks another rule by definition: such a rule is listed in {@link #consequences()},
 * with {@link #because()} saying why no narrower mutant or more precise check can keep the two apart.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Breaks {
    String rule();

    KitRun.Kit kit();

    String how();

    Capability[] claims() default {};

    /** The capabilities the mutant declares it lacks (a loop without pipe transports, say). */
    Capability[] lacks() default {};

    /** Rules that breaking {@link #rule()} breaks by definition; the kit may (not must) report them too. */
    String[] consequences() default {};

    /** Why each of the {@link #consequences()} cannot be kept apart from {@link #rule()}; required with them. */
    String because() default "";
}
