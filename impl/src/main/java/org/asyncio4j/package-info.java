/**
 * The contract: policies, loops, futures, handles, the Runner, child watchers and subprocess options (asyncio's
 * events module).
 *
 * <p>Null-marked: a parameter, return value or type argument may be null only where it is declared
 * {@code @Nullable}.
 */
@NullMarked
package org.asyncio4j;

import org.jspecify.annotations.NullMarked;
