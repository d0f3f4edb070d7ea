package org.asyncio4j.internal.posix;

import java.util.List;

/**
 * A program for {@link BackendIsolationTest}: makes one call of each kind through {@link Posix#get()} in a
 * fresh JVM and prints {@code backend=NAME}.
 */
final class NativeBackendProbe {
    private NativeBackendProbe() {}

    public static void main(String[] args) {
        Posix posix = Posix.get();
        int[] pipe = posix.pipe();
        posix.setNonBlocking(pipe[0], true);
        posix.write(pipe[1], new byte[] {42}, 0, 1);
        int ep = posix.epollCreate();
        int efd = posix.eventfd();
        posix.epollCtl(ep, Posix.EPOLL_CTL_ADD, pipe[0], Posix.EPOLLIN);
        EpollEvents events = new EpollEvents(4);
        posix.eventfdSignal(efd);
        check(posix.epollWait(ep, events, 0) == 1 && events.fd(0) == pipe[0], "epoll_wait");
        check(posix.eventfdDrain(efd) == 1, "eventfd");
        check(posix.read(pipe[0], new byte[4], 0, 4) == 1, "read");
        long pid = posix.spawn(SpawnRequest.builder(List.of("/bin/true")).passFds(pipe[1]).build());
        try {
            posix.close(posix.pidfdOpen(pid));
        } catch (PosixException e) {
            check(e.errno() == PosixException.ENOSYS || e.errno() == PosixException.EPERM, e.getMessage());
        }
        check(WaitResult.pid(posix.waitpid(pid, 0)) == pid, "waitpid");
        try {
            posix.kill(pid, 0);
            check(false, "kill of a reaped child succeeded");
        } catch (PosixException e) {
            check(e.errno() == PosixException.ESRCH, e.getMessage());
        }
        for (int fd : new int[] {ep, efd, pipe[0], pipe[1]}) {
            posix.close(fd);
        }
        System.out.println("backend=" + posix.name());
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
