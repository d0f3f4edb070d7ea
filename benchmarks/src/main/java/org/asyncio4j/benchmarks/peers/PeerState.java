package org.asyncio4j.benchmarks.peers;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The library a trial measures, one per JMH fork: a JDK {@link Process} must not share a JVM with a watcher,
 * and NuProcess initialises the JDK's process classes ({@code java.lang.ProcessImpl}, whose initialisation
 * resets the SIGCHLD disposition), which changes how a watcher in the same JVM hears of exits.
 */
@State(Scope.Thread)
public class PeerState {
    /** asyncio4j with the Safe (default) or Pidfd watcher, NuProcess 2.0.6, or the JDK's ProcessBuilder. */
    @Param({"asyncio4j-safe", "asyncio4j-pidfd", "nuprocess", "processbuilder"})
    public String peer;

    Peer it;

    /** Opens the peer. */
    @Setup(Level.Trial)
    public void open() {
        it = Peer.named(peer);
    }

    /** Kills and reaps what the peer still has, and releases it. */
    @TearDown(Level.Trial)
    public void close() {
        if (it != null) {
            it.close();
        }
    }
}
