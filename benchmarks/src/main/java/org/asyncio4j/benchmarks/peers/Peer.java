package org.asyncio4j.benchmarks.peers;

import java.util.List;

/**
 * One way of running child processes, as a benchmark drives it: asyncio4j, NuProcess or the JDK's
 * {@link ProcessBuilder}. Each implementation is one small class, so that a workload means the same thing on
 * every side and the asyncio4j side can follow its API as it changes. Every method returns only once the
 * children it started have exited and been reaped; {@link #close()} kills and reaps whatever is left.
 */
interface Peer extends AutoCloseable {

    /** Spawns {@code argv} n times at once (each with this library's default redirects) and waits for every exit. */
    void runAll(List<String> argv, int n);

    /** Spawns {@code argv} with stdout piped, reads all of it into one byte array and waits for the exit; returns its length. */
    long readAll(List<String> argv);

    /** Spawns {@code argv} with stdout piped, reads it line by line and waits for the exit; returns the lines. */
    int readLines(List<String> argv);

    /**
     * Spawns {@code /bin/cat} reading from a pipe this JVM holds, with stdout and stderr discarded where the
     * library allows it: a child that costs nothing while it waits and exits if the JVM dies.
     */
    IdleChild spawnIdle();

    /** Kills and reaps every child still alive, then releases the library's resources. */
    @Override
    void close();

    /** A child started by {@link #spawnIdle()}. */
    interface IdleChild {
        /** Sends SIGKILL. */
        void kill();

        /** Waits until the library reports the exit (the child is reaped); returns the library's exit code. */
        int awaitExit();
    }

    /** The peer named {@code name}: asyncio4j-safe, asyncio4j-pidfd, nuprocess or processbuilder. */
    static Peer named(String name) {
        switch (name) {
            case "asyncio4j-safe":
                return new Asyncio4jPeer(Asyncio4jPeer.Watcher.SAFE);
            case "asyncio4j-pidfd":
                return new Asyncio4jPeer(Asyncio4jPeer.Watcher.PIDFD);
            case "nuprocess":
                return new NuProcessPeer();
            case "processbuilder":
                return new ProcessBuilderPeer();
            default:
                throw new IllegalArgumentException("peer must be asyncio4j-safe, asyncio4j-pidfd, nuprocess or "
                        + "processbuilder, got " + name);
        }
    }
}
