/**
 * asyncio4j: Python asyncio's event-loop policy model for Java.
 *
 * <p>{@code org.asyncio4j} holds the portable API (policies, loops, futures, the Runner);
 * {@code org.asyncio4j.base} the machinery every loop shares; {@code org.asyncio4j.unix} the epoll loop,
 * the default policy and the child watchers; {@code org.asyncio4j.proactor} the NIO.2 loop. The
 * {@code internal} packages are not exported, except {@code internal.libc}: it holds the jnr-ffi binding
 * interface alone, which jnr-ffi implements in an unnamed module (see below).
 */
module org.asyncio4j {
    requires jdk.unsupported;               // sun.misc.Signal: the JVM's own signal dispatch
    requires org.jnrproject.ffi;            // the only bridge to libc, used by internal.posix alone
    requires org.objectweb.asm;             // jnr-ffi's code generator: an automatic module cannot require it
    requires org.jnrproject.constants;      // errno names and texts
    requires static transitive org.jspecify; // nullness annotations in the API: for compilers, not needed at run time
    requires jdk.jfr;                       // the ChildWatcherSweep event (free when no recording runs)

    exports org.asyncio4j;
    exports org.asyncio4j.base;
    exports org.asyncio4j.unix;
    exports org.asyncio4j.proactor;

    // The contract package finds its default policy as a service, so that it names no implementation.
    uses org.asyncio4j.EventLoopPolicy;
    provides org.asyncio4j.EventLoopPolicy with org.asyncio4j.unix.DefaultEventLoopPolicy;
    // Likewise a policy outside unix (the proactor's) finds its default child watcher as a service.
    uses org.asyncio4j.ChildWatcher;
    provides org.asyncio4j.ChildWatcher with org.asyncio4j.unix.SafeChildWatcher;

    // jnr-ffi generates the implementations of the binding interfaces (libc, and asyncio4j's signal library) at run
    // time, in an unnamed module of a class loader of its own that no qualified export can name: the package holds
    // those two interfaces alone.
    exports org.asyncio4j.internal.libc;
}
