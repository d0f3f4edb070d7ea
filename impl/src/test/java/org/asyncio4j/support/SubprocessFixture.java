package org.asyncio4j.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.testing.ProcessTable;
import org.asyncio4j.unix.DefaultEventLoopPolicy;
import org.asyncio4j.unix.SafeChildWatcher;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fixture of every subprocess test: the loop under test, the Unix default policy installed process-wide,
 * and a {@link SafeChildWatcher} the policy holds, attached to the loop before each test. After each test it
 * closes the watcher and the loop, restores the default policy, and fails if a child of this JVM is left.
 *
 * @param <L> the loop's type
 */
public final class SubprocessFixture<L extends EventLoop> implements BeforeEachCallback, AfterEachCallback {
    private final L loop;
    private final DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();
    private final SafeChildWatcher watcher = new SafeChildWatcher();

    /** @param loop the loop the test's children are watched on; the fixture closes it */
    public SubprocessFixture(L loop) {
        this.loop = loop;
    }

    /** {@return the loop under test} */
    public L loop() {
        return loop;
    }

    /** {@return the policy installed process-wide during the test} */
    public DefaultEventLoopPolicy policy() {
        return policy;
    }

    /** {@return the policy's watcher, attached to the loop} */
    public SafeChildWatcher watcher() {
        return watcher;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        EventLoops.setEventLoopPolicy(policy);
        policy.setChildWatcher(watcher);
        watcher.attachLoop(loop);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            watcher.close();
            loop.close();
        } finally {
            EventLoops.setEventLoopPolicy(null);
        }
        assertEquals(List.of(), ProcessTable.children());
    }
}
