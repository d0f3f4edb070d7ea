package org.asyncio4j.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The rule of the catalogue (RULES.md) IDs a conformance property checks. Every property of the kit carries one; a
 * failure names the exact rule it caught through {@link RuleViolation}, and {@code RULES.md} is generated
 * from these annotations.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Rule {
    /** Rule IDs such as {@code "LOOP-23"}. */
    String[] value();
}
