#!/usr/bin/env python3
"""CPython's own child watchers and event loop, measured with the asyncio4j workload.

For each n: keep n idle children (posix_spawn of /bin/sleep) registered with
asyncio.SafeChildWatcher and asyncio.FastChildWatcher, kill one (SIGKILL), wait until it
is a zombie (os.waitid(P_PID, pid, WEXITED | WNOWAIT), which does not reap) and time ONE
call of the watcher's SIGCHLD entry point ``_sig_chld()``; the dead child is replaced
after each pass (spawning is never timed). Then:

* kill -> callback latency through a running loop (``attach_loop``), Safe and Fast, at
  n=1 and n=1000 (p50/p99);
* loop figures for asyncio (and uvloop when importable): call_soon dispatch (queue N
  callbacks, then run them), call_soon chain (each callback schedules the next),
  call_later insert + fire, call_soon_threadsafe round trip from another thread.

Prints one JSON object on stdout (diagnostics on stderr). If this Python has no
SafeChildWatcher/FastChildWatcher (3.14 removed them) it prints {"skipped": reason} and
exits 0. Every child is killed and reaped at the end and on SIGINT/SIGTERM/SIGHUP.

Usage: python3 cpython_watchers.py [--ns 1,10,100,1000] [--min-reps 20] [--min-seconds 0.5]
       [--latency-ns 1,1000] [--latency-reps 200] [--loop-n 200000] [--roundtrips 5000]
       [--max-children 2000] [--skip-latency] [--skip-loop] [--skip-points]
"""

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import resource
import signal
import statistics
import sys
import sysconfig
import threading
import time
import warnings

warnings.simplefilter("ignore", DeprecationWarning)

SLEEP = "/bin/sleep"
HEADROOM = 64


def log(msg):
    print("cpython_watchers: " + msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# Children: a set of live pids in one process group of their own; always reaped.
# ---------------------------------------------------------------------------------------

class Children:
    """The idle children of this process; kill_all() kills the group and reaps everything."""

    def __init__(self):
        self.live = set()
        self.pgid = 0

    def spawn(self):
        """posix_spawn /bin/sleep 1000 into the children's process group."""
        sigdef = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGPIPE}
        while True:
            try:
                pid = os.posix_spawn(SLEEP, ["sleep", "1000"], os.environ,
                                     setpgroup=self.pgid, setsigdef=sigdef, setsigmask=())
                break
            except PermissionError:
                if self.pgid == 0:
                    raise
                self.pgid = 0  # the group is gone (all members reaped): start a new one
        if self.pgid == 0:
            self.pgid = pid
        self.live.add(pid)
        return pid

    def forget(self, pid):
        self.live.discard(pid)
        if not self.live:
            self.pgid = 0

    def kill_all(self):
        if self.pgid:
            try:
                os.killpg(self.pgid, signal.SIGKILL)
            except OSError:
                pass
        for pid in list(self.live):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
            except InterruptedError:
                continue
        self.live.clear()
        self.pgid = 0


CHILDREN = Children()


def on_terminate(signum, _frame):
    log("interrupted: killing and reaping all children")
    CHILDREN.kill_all()
    os._exit(128 + signum)


def kill_to_zombie(pid):
    os.kill(pid, signal.SIGKILL)
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)


def refuse_reason(n, max_children):
    """None when n children fit, else why not (RLIMIT_NPROC, pid_max, --max-children)."""
    if n > max_children:
        return "n=%d exceeds --max-children %d" % (n, max_children)
    soft, _ = resource.getrlimit(resource.RLIMIT_NPROC)
    if soft != resource.RLIM_INFINITY and os.getuid() != 0 and n > soft - HEADROOM - count_user_tasks():
        return "n=%d does not fit RLIMIT_NPROC (ulimit -u) %d" % (n, soft)
    try:
        with open("/proc/sys/kernel/pid_max") as f:
            pid_max = int(f.read())
        with open("/proc/loadavg") as f:
            tasks = int(f.read().split()[3].split("/")[1])
        if n > pid_max - tasks - HEADROOM:
            return "n=%d does not fit kernel.pid_max %d with %d tasks running" % (n, pid_max, tasks)
    except (OSError, ValueError, IndexError):
        pass
    return None


def count_user_tasks():
    uid, total = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/status" % entry) as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                total += int(fields["Threads"])
        except (OSError, KeyError, ValueError):
            pass
    return total


def stats(samples_us):
    s = sorted(samples_us)

    def pct(p):
        pos = p / 100.0 * (len(s) - 1)
        lo = int(pos)
        hi = min(lo + 1, len(s) - 1)
        return round(s[lo] + (s[hi] - s[lo]) * (pos - lo), 3)

    return {"p50": pct(50), "p10": pct(10), "p90": pct(90), "p99": pct(99), "min": round(s[0], 3)}


# ---------------------------------------------------------------------------------------
# (1) One _sig_chld() pass per SIGCHLD at n children
# ---------------------------------------------------------------------------------------

class CountingWaitpid:
    """Wraps os.waitpid to count the system calls a watcher makes (installed only while counting)."""

    def __init__(self):
        self.calls = 0
        self.real = os.waitpid

    def __call__(self, pid, options):
        self.calls += 1
        return self.real(pid, options)


def measure_point(n, min_reps, min_seconds, max_seconds):
    loop = asyncio.new_event_loop()
    safe = asyncio.SafeChildWatcher()
    fast = asyncio.FastChildWatcher()
    # Not attach_loop(): that would install a SIGCHLD handler on a loop that is not running.
    # _sig_chld only needs the loop for get_debug() and the exception handler.
    safe._loop = loop
    fast._loop = loop
    reaped = []

    def on_exit(pid, returncode):
        reaped.append(pid)

    pids = [CHILDREN.spawn() for _ in range(n)]
    safe_us, fast_us, safe_calls, fast_calls = [], [], [], []
    counter = CountingWaitpid()
    with fast:
        for pid in pids:
            safe.add_child_handler(pid, on_exit)
            fast.add_child_handler(pid, on_exit)

        def one_pass(watcher, other, out, calls_out, count_calls):
            i = random.randrange(n)
            victim = pids[i]
            kill_to_zombie(victim)
            reaped.clear()
            if count_calls:
                counter.calls = 0
                os.waitpid = counter
                try:
                    watcher._sig_chld()
                finally:
                    os.waitpid = counter.real
                calls_out.append(counter.calls)
            else:
                t0 = time.perf_counter_ns()
                watcher._sig_chld()
                t1 = time.perf_counter_ns()
                out.append((t1 - t0) / 1000.0)
            if reaped != [victim]:
                log("n=%d: %s reaped %r, expected [%d]" % (n, type(watcher).__name__, reaped, victim))
            other.remove_child_handler(victim)
            CHILDREN.forget(victim)
            pid = CHILDREN.spawn()
            pids[i] = pid
            safe.add_child_handler(pid, on_exit)
            fast.add_child_handler(pid, on_exit)

        # system calls per SIGCHLD, counted apart from the timed passes
        for _ in range(3):
            one_pass(safe, fast, None, safe_calls, True)
            one_pass(fast, safe, None, fast_calls, True)
        one_pass(safe, fast, [], None, False)  # warm-up
        one_pass(fast, safe, [], None, False)
        start = time.monotonic()
        while True:
            elapsed = time.monotonic() - start
            if len(safe_us) >= min_reps and (elapsed >= min_seconds or elapsed >= max_seconds):
                break
            one_pass(safe, fast, safe_us, None, False)
            one_pass(fast, safe, fast_us, None, False)
        seconds = time.monotonic() - start
    for pid in pids:
        safe.remove_child_handler(pid)
        fast.remove_child_handler(pid)
    CHILDREN.kill_all()
    safe._loop = fast._loop = None
    loop.close()
    return {"n": n, "safe_us": stats(safe_us), "fast_us": stats(fast_us),
            "safe_waitpid_calls": statistics.mean(safe_calls),
            "fast_waitpid_calls": statistics.mean(fast_calls),
            "reps": len(safe_us), "seconds": round(seconds, 2)}


# ---------------------------------------------------------------------------------------
# (2) kill -> callback latency through a running loop
# ---------------------------------------------------------------------------------------

def exit_latency(kind, n, reps):
    """Kill one of n children from a loop callback; time until the watcher's callback runs."""
    loop = asyncio.new_event_loop()
    watcher = asyncio.SafeChildWatcher() if kind == "safe" else asyncio.FastChildWatcher()
    samples = []
    pids = []
    state = {"victim": None, "t0": 0}
    done = loop.create_future()

    def on_exit(pid, returncode):
        t1 = time.perf_counter_ns()
        if pid != state["victim"]:
            log("latency %s n=%d: unexpected pid %d" % (kind, n, pid))
            return
        samples.append((t1 - state["t0"]) / 1000.0)
        i = pids.index(pid)
        CHILDREN.forget(pid)
        pids[i] = CHILDREN.spawn()
        watcher.add_child_handler(pids[i], on_exit)
        if len(samples) >= reps:
            done.set_result(None)
        else:
            loop.call_later(0.002, kill_one)  # let the replacement settle before the next kill

    def kill_one():
        victim = random.choice(pids)
        state["victim"] = victim
        state["t0"] = time.perf_counter_ns()
        os.kill(victim, signal.SIGKILL)

    with watcher:
        for _ in range(n):
            pid = CHILDREN.spawn()
            pids.append(pid)
        watcher.attach_loop(loop)
        for pid in pids:
            watcher.add_child_handler(pid, on_exit)
        loop.call_later(0.01, kill_one)
        try:
            loop.run_until_complete(asyncio.wait_for(done, timeout=max(30.0, reps * 0.05)))
        except asyncio.TimeoutError:
            log("latency %s n=%d: timed out after %d samples" % (kind, n, len(samples)))
        for pid in pids:
            watcher.remove_child_handler(pid)
        watcher.attach_loop(None)
    CHILDREN.kill_all()
    loop.close()
    if not samples:
        return None
    s = stats(samples)
    return {"watcher": kind, "n": n, "p50": s["p50"], "p99": s["p99"], "p10": s["p10"],
            "p90": s["p90"], "samples": len(samples)}


# ---------------------------------------------------------------------------------------
# (3) Loop figures
# ---------------------------------------------------------------------------------------

def best_of(runs, fn):
    return max(fn() for _ in range(runs))


def call_soon_dispatch(make_loop, count):
    """Queue count callbacks, then run them: (queue + run rate, run-only rate), best of 3."""
    loop = make_loop()

    def cb():
        pass

    def run():
        t0 = time.perf_counter()
        for _ in range(count):
            loop.call_soon(cb)
        loop.call_soon(loop.stop)
        t1 = time.perf_counter()
        loop.run_forever()
        t2 = time.perf_counter()
        return count / (t2 - t0), count / (t2 - t1)

    try:
        runs = [run() for _ in range(3)]
        return max(r[0] for r in runs), max(r[1] for r in runs)
    finally:
        loop.close()


def call_soon_chain(make_loop, count):
    loop = make_loop()

    def run():
        left = [count]

        def cb():
            left[0] -= 1
            if left[0]:
                loop.call_soon(cb)
            else:
                loop.stop()

        t0 = time.perf_counter()
        loop.call_soon(cb)
        loop.run_forever()
        return count / (time.perf_counter() - t0)

    try:
        return best_of(3, run)
    finally:
        loop.close()


def call_later_insert_fire(make_loop, count):
    """Insert count timers already due, in random order of deadline, then run until all fired."""
    loop = make_loop()
    rnd = random.Random(42)

    def run():
        fired = [0]

        def cb():
            fired[0] += 1
            if fired[0] == count:
                loop.stop()

        delays = [rnd.random() * 1e-4 for _ in range(count)]
        t0 = time.perf_counter()
        for d in delays:
            loop.call_later(d, cb)
        loop.run_forever()
        return count / (time.perf_counter() - t0)

    try:
        return best_of(3, run)
    finally:
        loop.close()


def threadsafe_round_trip(make_loop, count):
    """Another thread: call_soon_threadsafe(cb) then wait until cb has run on the loop thread."""
    loop = make_loop()
    ready = threading.Event()
    samples = []

    def cb(ev):
        ev.set()

    def client():
        ev = threading.Event()
        for i in range(count + 100):
            ev.clear()
            t0 = time.perf_counter_ns()
            loop.call_soon_threadsafe(cb, ev)
            ev.wait()
            t1 = time.perf_counter_ns()
            if i >= 100:
                samples.append((t1 - t0) / 1000.0)
        loop.call_soon_threadsafe(loop.stop)

    thread = threading.Thread(target=client, daemon=True)
    loop.call_soon(ready.set)
    loop.call_soon(thread.start)
    loop.run_forever()
    thread.join()
    loop.close()
    s = stats(samples)
    return {"p50": s["p50"], "p99": s["p99"], "samples": len(samples)}


def loop_figures(make_loop, count, roundtrips):
    dispatch, dispatch_run_only = call_soon_dispatch(make_loop, count)
    return {
        "callSoonDispatch_per_sec": round(dispatch),
        "callSoonDispatchRunOnly_per_sec": round(dispatch_run_only),
        "callSoonChain_per_sec": round(call_soon_chain(make_loop, count)),
        "callLaterInsertFire_per_sec": round(call_later_insert_fire(make_loop, count // 4)),
        "callSoonThreadsafeRoundTrip_us": threadsafe_round_trip(make_loop, roundtrips),
    }


def spawn_rate(seconds):
    """os.posix_spawn of /bin/true + waitpid, per second."""
    for _ in range(10):
        os.waitpid(os.posix_spawn("/bin/true", ["true"], os.environ), 0)
    count, t0 = 0, time.perf_counter()
    end = t0 + seconds
    while True:
        os.waitpid(os.posix_spawn("/bin/true", ["true"], os.environ), 0)
        count += 1
        t = time.perf_counter()
        if t >= end:
            return round(count / (t - t0), 1)


# ---------------------------------------------------------------------------------------

def import_uvloop():
    """import uvloop; failing that, Debian's python3-uvloop when built for this very ABI (a pyenv
    or venv python of the same version does not see /usr/lib/python3/dist-packages)."""
    try:
        import uvloop
        return uvloop
    except ImportError:
        debian = "/usr/lib/python3/dist-packages"
        soabi = sysconfig.get_config_var("SOABI") or "?"
        pkg = os.path.join(debian, "uvloop")
        if not os.path.isdir(pkg) or not any(soabi in f for f in os.listdir(pkg)):
            raise
        sys.path.append(debian)
        try:
            import uvloop
            return uvloop
        finally:
            sys.path.remove(debian)


def int_list(text):
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ns", type=int_list, default=[1, 10, 100, 1000], help="comma-separated n")
    p.add_argument("--min-reps", type=int, default=20)
    p.add_argument("--min-seconds", type=float, default=0.5)
    p.add_argument("--max-seconds", type=float, default=10.0)
    p.add_argument("--latency-ns", type=int_list, default=[1, 1000])
    p.add_argument("--latency-reps", type=int, default=200)
    p.add_argument("--loop-n", type=int, default=200000, help="callbacks per loop figure")
    p.add_argument("--roundtrips", type=int, default=5000)
    p.add_argument("--spawn-seconds", type=float, default=1.0)
    p.add_argument("--max-children", type=int, default=20000)
    p.add_argument("--skip-points", action="store_true")
    p.add_argument("--skip-latency", action="store_true")
    p.add_argument("--skip-loop", action="store_true")
    args = p.parse_args(argv)

    out = {"tool": "cpython", "version": platform.python_version(),
           "implementation": platform.python_implementation(),
           "kernel": "%s %s" % (os.uname().sysname, os.uname().release), "cores": os.cpu_count(),
           "clock": "time.perf_counter_ns (CLOCK_MONOTONIC)"}
    if not hasattr(asyncio, "SafeChildWatcher") or not hasattr(asyncio, "FastChildWatcher"):
        out["skipped"] = "Python %s has no asyncio.SafeChildWatcher/FastChildWatcher " \
                         "(deprecated in 3.12, removed in 3.14)" % platform.python_version()
        print(json.dumps(out))
        return 0
    if threading.current_thread() is not threading.main_thread():
        raise SystemExit("run from the main thread (signal handlers)")

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_terminate)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # SIG_IGN would let the kernel reap
    try:
        os.waitpid(-1, os.WNOHANG)
        log("this process already has children; Fast watcher figures would include them")
        return 2
    except ChildProcessError:
        pass

    try:
        refused = []
        if args.spawn_seconds > 0:
            out["spawn_per_sec"] = spawn_rate(args.spawn_seconds)
        points = []
        if not args.skip_points:
            for n in args.ns:
                why = refuse_reason(n, args.max_children)
                if why:
                    log("refusing " + why)
                    refused.append(why)
                    continue
                log("n=%d ..." % n)
                points.append(measure_point(n, args.min_reps, args.min_seconds, args.max_seconds))
                print(json.dumps(points[-1]), file=sys.stderr, flush=True)
        out["points"] = points

        if not args.skip_latency:
            lat = []
            for n in args.latency_ns:
                why = refuse_reason(n, args.max_children)
                if why:
                    refused.append(why)
                    continue
                for kind in ("safe", "fast"):
                    log("exit latency %s n=%d ..." % (kind, n))
                    r = exit_latency(kind, n, args.latency_reps)
                    if r:
                        lat.append(r)
            out["exit_latency_us"] = lat
        out["refused"] = refused

        if not args.skip_loop:
            gc.collect()
            log("loop figures (asyncio) ...")
            loops = {"asyncio": loop_figures(asyncio.new_event_loop, args.loop_n, args.roundtrips)}
            try:
                uvloop = import_uvloop()
                log("loop figures (uvloop %s) ..." % uvloop.__version__)
                loops["uvloop"] = loop_figures(uvloop.new_event_loop, args.loop_n, args.roundtrips)
                loops["uvloop"]["version"] = uvloop.__version__
                loops["uvloop"]["path"] = os.path.dirname(uvloop.__file__)
            except ImportError as e:
                loops["uvloop"] = {"skipped": "uvloop not importable (%s); on Debian: apt-get install "
                                              "python3-uvloop" % e}
            out["loop"] = loops
    finally:
        CHILDREN.kill_all()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
