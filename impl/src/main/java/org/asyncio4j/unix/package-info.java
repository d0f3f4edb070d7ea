/**
 * The Unix event loop over epoll, the default policy, the five child watchers and subprocesses (asyncio's
 * selector_events and unix_events).
 *
 * <p>Null-marked: a parameter, return value or type argument may be null only where it is declared
 * {@code @Nullable}.
 */
@NullMarked
package org.asyncio4j.unix;

import org.jspecify.annotations.NullMarked;
