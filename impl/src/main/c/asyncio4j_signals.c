/*
 * asyncio4j's native signal handler: the C half of the native signal path (issue 13).
 *
 * The handler does what CPython's does (set a flag, write a byte to a wakeup descriptor) and nothing
 * else, so it is async-signal-safe: it saves and restores errno, sets the signal's bit in one 64-bit
 * pending word with an atomic OR, and write()s one byte to a non-blocking pipe. A Java thread blocks
 * on the pipe's read end, takes the pending word (an atomic exchange with 0) and calls the listeners.
 * The flag is set before the byte is written, so a signal that arrives after the reader has taken the
 * word always leaves a byte behind and wakes the reader again: no delivery is lost, several may
 * coalesce into one.
 *
 * It does not chain to the handler that was installed before (CPython does not either): that
 * disposition is kept and put back when the signal is uninstalled.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>

#define EXPORT __attribute__((visibility("default")))
#define NSIG_MAX 65

static uint64_t pending;                  /* bit signum-1 set: signum arrived since the last take */
static int wakeup_fd = -1;                /* the pipe's non-blocking write end, -1 for none */
static int active;                        /* handlers running now, so a wakeup fd is not closed under one */
static uint64_t deliveries;               /* handler runs, a diagnostic for tests */
static int installed[NSIG_MAX];
static struct sigaction previous[NSIG_MAX];

static void handler(int signum, siginfo_t *info, void *context) {
    (void) info;
    (void) context;
    int saved_errno = errno;
    __atomic_add_fetch(&active, 1, __ATOMIC_SEQ_CST);
    if (signum > 0 && signum < NSIG_MAX) {
        __atomic_fetch_or(&pending, (uint64_t) 1 << (signum - 1), __ATOMIC_SEQ_CST);
    }
    __atomic_add_fetch(&deliveries, 1, __ATOMIC_RELAXED);
    int fd = __atomic_load_n(&wakeup_fd, __ATOMIC_SEQ_CST);
    if (fd >= 0) {
        char byte = 1;
        ssize_t ignored = write(fd, &byte, 1); /* EAGAIN: the pipe is full, the reader wakes anyway */
        (void) ignored;
    }
    __atomic_sub_fetch(&active, 1, __ATOMIC_SEQ_CST);
    errno = saved_errno;
}

/*
 * Sets the descriptor the handler writes to (-1 for none) and returns the previous one. Waits until
 * no handler is still writing to the previous one, so the caller may close it.
 */
EXPORT int asyncio4j_sig_set_wakeup_fd(int fd) {
    int old = __atomic_exchange_n(&wakeup_fd, fd, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&active, __ATOMIC_SEQ_CST) != 0) {
        sched_yield();
    }
    return old;
}

/*
 * Installs the handler for signum with SA_RESTART | SA_SIGINFO and keeps the previous disposition.
 * Returns 0, EINVAL for a bad number, EBUSY if already installed, or sigaction's errno.
 */
EXPORT int asyncio4j_sig_install(int signum) {
    if (signum <= 0 || signum >= NSIG_MAX) {
        return EINVAL;
    }
    if (installed[signum]) {
        return EBUSY;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_RESTART | SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (sigaction(signum, &action, &previous[signum]) != 0) {
        return errno;
    }
    installed[signum] = 1;
    return 0;
}

/*
 * Puts back the disposition that was there before asyncio4j_sig_install. Returns 0, -1 if outside code
 * replaced the handler since (its handler is left in place), EINVAL if not installed, or sigaction's errno.
 */
EXPORT int asyncio4j_sig_uninstall(int signum) {
    if (signum <= 0 || signum >= NSIG_MAX || !installed[signum]) {
        return EINVAL;
    }
    struct sigaction current;
    if (sigaction(signum, NULL, &current) != 0) {
        return errno;
    }
    installed[signum] = 0;
    if (!(current.sa_flags & SA_SIGINFO) || current.sa_sigaction != handler) {
        return -1;
    }
    if (sigaction(signum, &previous[signum], NULL) != 0) {
        return errno;
    }
    return 0;
}

/* Takes and clears the pending set in one atomic step: bit signum-1 for each signal that arrived. */
EXPORT uint64_t asyncio4j_sig_take(void) {
    return __atomic_exchange_n(&pending, 0, __ATOMIC_SEQ_CST);
}

/* How many times the handler has run in this process (a diagnostic for tests). */
EXPORT uint64_t asyncio4j_sig_deliveries(void) {
    return __atomic_load_n(&deliveries, __ATOMIC_RELAXED);
}
