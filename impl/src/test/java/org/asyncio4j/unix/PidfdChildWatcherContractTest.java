package org.asyncio4j.unix;

import org.asyncio4j.ChildWatcher;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/** {@link PidfdChildWatcher} against the shared contract, with real children (PFD-01..08). */
class PidfdChildWatcherContractTest extends ChildWatcherContractTest {
    @BeforeAll
    static void needsPidfd() {
        assumeTrue(PidfdChildWatcher.isSupported(), "pidfd_open refused by this kernel or sandbox");
    }

    @Override
    ChildWatcher createWatcher() {
        return new PidfdChildWatcher();
    }

    @Override
    Detach detachBehaviour() {
        return Detach.DROPS_REGISTRATIONS; // PFD-06
    }

}
