package org.asyncio4j;

/** A transport that both receives and sends: CPython's {@code asyncio.Transport}. */
public interface Transport extends ReadTransport, WriteTransport {}
