package org.asyncio4j.proactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Makes the JDK create its process-wide NIO descriptors before a test's leak snapshot: on JDK 17 the first
 * channel close creates the "pre-close" socket that NIO keeps for the JVM's lifetime (it dup2()s it over a
 * descriptor being closed), which NoLeaks would otherwise blame on whichever test came first.
 */
public final class NioWarmUp {
    private static boolean done;

    private NioWarmUp() {}

    /** Creates the JDK's lasting NIO descriptors once per JVM; later calls do nothing. */
    public static synchronized void once() {
        if (done) {
            return;
        }
        ProactorEventLoop loop = new ProactorEventLoop();
        try {
            loop.openServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).close();
            loop.openClient().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            loop.close();
        }
        done = true;
    }
}
