package org.asyncio4j.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a property that starts real child processes: it runs a tenth of the configured tries (at least
 * {@link #minTries()}) and does not shrink, since every try costs process spawns.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RealChildren {
    int minTries() default 3;
}
