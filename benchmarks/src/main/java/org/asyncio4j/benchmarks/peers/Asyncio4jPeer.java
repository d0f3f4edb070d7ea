package org.asyncio4j.benchmarks.peers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.ChildWatcher;
import org.asyncio4j.EventLoop;
import org.asyncio4j.EventLoops;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.SubprocessOptions.Redirect;
import org.asyncio4j.unix.PidfdChildWatcher;
import org.asyncio4j.unix.SafeChildWatcher;
import org.asyncio4j.unix.SelectorEventLoop;

/**
 * asyncio4j's side of every workload, through the public API only: a {@link SelectorEventLoop} run in the
 * calling thread, with the default Safe child watcher or the Pidfd one. The one place to change when
 * {@code Subprocess} gets its stream methods.
 */
final class Asyncio4jPeer implements Peer {
    /** The child watcher the policy gets. */
    enum Watcher { SAFE, PIDFD }

    private static final SubprocessOptions STDOUT_PIPED = SubprocessOptions.builder().stdout(Redirect.PIPE).build();
    private static final SubprocessOptions IDLE = SubprocessOptions.builder().stdin(Redirect.PIPE)
            .stdout(Redirect.DEVNULL).stderr(Redirect.DEVNULL).build();

    private final EventLoop loop = new SelectorEventLoop();
    private final Set<Subprocess> idle = new LinkedHashSet<>();

    Asyncio4jPeer(Watcher kind) {
        ChildWatcher watcher;
        if (kind == Watcher.PIDFD) {
            if (!PidfdChildWatcher.isSupported()) {
                loop.close();
                throw new IllegalStateException("peer asyncio4j-pidfd: pidfd_open is refused on this machine");
            }
            watcher = new PidfdChildWatcher();
        } else {
            watcher = new SafeChildWatcher();
        }
        watcher.attachLoop(loop);
        EventLoops.setChildWatcher(watcher);
    }

    @Override
    public void runAll(List<String> argv, int n) {
        List<Subprocess> started = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                started.add(loop.runUntilComplete(loop.subprocessExec(argv, null)));
            }
            awaitExits(started);
        } catch (RuntimeException | Error e) {
            killAndReap(started);
            throw e;
        } finally {
            started.forEach(Subprocess::close);
        }
    }

    @Override
    public long readAll(List<String> argv) {
        Subprocess p = loop.runUntilComplete(loop.subprocessExec(argv, STDOUT_PIPED));
        try {
            return loop.runUntilComplete(p.communicate(null)).stdout().length;
        } catch (RuntimeException | Error e) {
            killAndReap(List.of(p));
            throw e;
        } finally {
            p.close();
        }
    }

    /** {@code readLine} on the child's stdout stream ({@link Subprocess#stdout()}) until end of file. */
    @Override
    public int readLines(List<String> argv) {
        Subprocess p = loop.runUntilComplete(loop.subprocessExec(argv, STDOUT_PIPED));
        try {
            int lines = 0;
            while (loop.runUntilComplete(p.stdout().readLine()).length > 0) {
                lines++;
            }
            loop.runUntilComplete(p.onExit());
            return lines;
        } catch (RuntimeException | Error e) {
            killAndReap(List.of(p));
            throw e;
        } finally {
            p.close();
        }
    }

    @Override
    public IdleChild spawnIdle() {
        Subprocess p = loop.runUntilComplete(loop.subprocessExec(List.of("/bin/cat"), IDLE));
        idle.add(p);
        return new IdleChild() {
            @Override
            public void kill() {
                p.kill();
            }

            @Override
            public int awaitExit() {
                int code = loop.runUntilComplete(p.onExit());
                idle.remove(p);
                p.close();
                return code;
            }
        };
    }

    /** Runs the loop until every child in {@code children} has exited and been reaped. */
    private void awaitExits(List<Subprocess> children) {
        List<AsyncFuture<Integer>> exits = new ArrayList<>(children.size());
        children.forEach(p -> exits.add(p.onExit()));
        if (!exits.isEmpty()) { // gather of nothing would look for the thread's current loop
            loop.runUntilComplete(AsyncFutures.gather(exits));
        }
    }

    /** After a failure: SIGKILL to every child not yet reaped ({@code kill} skips those), then waits for them. */
    private void killAndReap(List<Subprocess> children) {
        children.forEach(Subprocess::kill);
        awaitExits(children);
    }

    @Override
    public void close() {
        try {
            List<Subprocess> left = new ArrayList<>(idle);
            killAndReap(left);
            left.forEach(Subprocess::close);
            idle.clear();
        } finally {
            EventLoops.setChildWatcher(null); // closes the watcher
            loop.close();
        }
    }
}
