/**
 * What every loop shares: the ready queue, timers, life cycle, exception handler, executor and signals
 * (asyncio's base_events and futures), the pipe and subprocess transports, and the policy that holds the
 * process's child watcher ({@link org.asyncio4j.base.ChildWatcherEventLoopPolicy}). It knows no loop: each loop's
 * package ({@code unix}, {@code proactor}) builds on it and knows nothing of the other.
 *
 * <p>Null-marked: a parameter, return value or type argument may be null only where it is declared
 * {@code @Nullable}.
 */
@NullMarked
package org.asyncio4j.base;

import org.jspecify.annotations.NullMarked;
