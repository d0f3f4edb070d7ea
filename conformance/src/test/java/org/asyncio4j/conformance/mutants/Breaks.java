package org.asyncio4j.conformance.mutants;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.asyncio4j.conformance.Capability;
import org.asyncio4j.conformance.KitRun;

/**
 * Declares what a mutant breaks: the one rule the kit must catch, the kit that catches it, the capabilities
 * the mutant claims (as the implementation it imitates would), and the rules that its one broken behaviour
 * also breaks by consequence (the kit may report those too, and nothing else).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Breaks {
    String rule();

    KitRun.Kit kit();

    String how();

    Capability[] claims() default {};

    /** Rules the broken behaviour also breaks, which the kit may (not must) report besides {@link #rule()}. */
    String[] consequences() default {};
}
