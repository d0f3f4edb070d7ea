package org.asyncio4j.conformance;

/** An unchecked exception no implementation knows: a future of the kit fails with it. */
final class KitFailure extends RuntimeException {
    KitFailure(String message) {
        super(message, null, false, false);
    }
}
