package org.asyncio4j.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A policy property about the main thread: {@link KitHook} runs it only when the engine runs it on the thread
 * the implementation names in {@link ConformanceBase#mainThread()}, and reports it skipped otherwise.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnMainThread {}
