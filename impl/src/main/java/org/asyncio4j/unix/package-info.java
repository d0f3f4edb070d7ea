/**
 * The Unix event loop ({@link org.asyncio4j.unix.SelectorEventLoop}), the default policy, subprocesses and
 * the five child watchers (CPython's {@code selector_events} and {@code unix_events}).
 *
 * <p>The watchers differ along three axes, and each answer lives in one place:
 * <ul>
 * <li><b>what wakes them</b>: a SIGCHLD handler of the attached loop (Safe, Fast: {@code SignalChildWatcher}),
 *     the process-wide signal dispatcher (MultiLoop), a thread per child (Threaded), or a pidfd becoming
 *     readable on the loop (Pidfd);</li>
 * <li><b>how they reap</b>: {@code waitpid(pid, WNOHANG)} for every registered pid ({@code PidScan}: Safe,
 *     MultiLoop), {@code waitpid(-1)} until none (Fast), or one pid at a time (Threaded, Pidfd); a status
 *     collected elsewhere is 255 plus a warning ({@code ReturnCodes});</li>
 * <li><b>how they deliver</b>: synchronously on the loop that swept (Safe, Fast, Pidfd), or posted to the loop
 *     that registered the child ({@code LoopRegistration}: Threaded, MultiLoop, and every subprocess).</li>
 * </ul>
 * Pids are checked in one place ({@code Pids}), and a failed system call becomes a public exception in one
 * place ({@code SystemErrors}).
 *
 * <p>Null-marked: a parameter, return value or type argument may be null only where it is declared
 * {@code @Nullable}.
 */
@NullMarked
package org.asyncio4j.unix;

import org.asyncio4j.internal.posix.SystemErrors;
import org.jspecify.annotations.NullMarked;
