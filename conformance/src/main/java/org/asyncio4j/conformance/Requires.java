package org.asyncio4j.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The capabilities a property needs; on a class or contract, the capabilities every property in it needs. When
 * the implementation under test does not declare one of them ({@link ConformanceBase#has}), the engine
 * reports the property as skipped, never as passed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Requires {
    /** The capabilities needed. */
    Capability[] value();
}
