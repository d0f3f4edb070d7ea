package org.asyncio4j.conformance;

import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoopPolicy;
import org.asyncio4j.EventLoops;

/**
 * The transport properties bound to the loops of the policy {@link Certify} certifies ({@code newEventLoop()}).
 * For the subprocess properties the policy is installed process-wide for the try, with its watcher attached to
 * the try's loop, since a loop finds its children's watcher through the installed policy.
 */
final class CertifiedTransportKit extends TransportConformance {
    @Override
    protected EventLoop createEventLoop() {
        return Binding.current().newPolicy().newEventLoop();
    }

    @Override
    protected boolean supportsPipeTransports() {
        return Binding.current().decide(Capability.PIPE_TRANSPORTS, true);
    }

    @Override
    protected boolean supportsSubprocessTransports() {
        Binding b = Binding.current();
        return b.decide(Capability.SUBPROCESS_TRANSPORTS, b.hasWatchers());
    }

    @Override
    protected AutoCloseable watchChildren(EventLoop loop) {
        EventLoopPolicy before = EventLoops.getEventLoopPolicy();
        EventLoopPolicy policy = Binding.current().newPolicy();
        EventLoops.setEventLoopPolicy(policy);
        ChildWatcher watcher = policy.getChildWatcher();
        watcher.attachLoop(loop);
        return () -> {
            try {
                watcher.close();
            } finally {
                EventLoops.setEventLoopPolicy(before);
            }
        };
    }
}
