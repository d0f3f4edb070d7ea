/**
 * A completion-based loop on NIO.2's AsynchronousChannelGroup and its policy (asyncio's proactor_events).
 * It builds on {@code base} alone and knows nothing of the Unix package: its policy gets its default child
 * watcher as the {@link org.asyncio4j.ChildWatcher} service provider.
 *
 * <p>Null-marked: a parameter, return value or type argument may be null only where it is declared
 * {@code @Nullable}.
 */
@NullMarked
package org.asyncio4j.proactor;

import org.jspecify.annotations.NullMarked;
