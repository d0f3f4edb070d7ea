/**
 * What every loop shares: the ready queue, timers, life cycle, exception handler, executor and signals
 * (asyncio's base_events and futures).
 *
 * <p>Null-marked: a parameter, return value or type argument may be null only where it is declared
 * {@code @Nullable}.
 */
@NullMarked
package org.asyncio4j.base;

import org.jspecify.annotations.NullMarked;
