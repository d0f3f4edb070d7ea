package org.asyncio4j.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a property whose tries move MiBs through real loopback sockets (to get past what the OS buffers, about
 * 4 MiB a connection): it runs a fifth of the configured tries, at least {@link #minTries()} but never more than
 * configured.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BulkTransfer {
    /** The fewest tries. */
    int minTries() default 5;
}
