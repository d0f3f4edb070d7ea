package org.asyncio4j.internal.libc;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.u_int64_t;

/**
 * The functions of asyncio4j's native signal library ({@code libasyncio4j.so}) that {@code JnrPosix}
 * binds with jnr-ffi; exported beside {@link LibC} for the same reason.
 */
// the C sources document them: the package is exported for jnr-ffi alone
@SuppressWarnings({"exports", "doclint:missing"})
public interface SignalLib {
    @IgnoreError int asyncio4j_sig_set_wakeup_fd(int fd);
    @IgnoreError int asyncio4j_sig_install(int signum);
    @IgnoreError int asyncio4j_sig_uninstall(int signum);
    @IgnoreError @u_int64_t long asyncio4j_sig_take();
    @IgnoreError @u_int64_t long asyncio4j_sig_deliveries();
}
