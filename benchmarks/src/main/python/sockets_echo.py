#!/usr/bin/env python3
"""CPython asyncio's (or uvloop's) side of the socket benchmarks (benchmarks/run-sockets.sh).

The workloads of org.asyncio4j.benchmarks.sockets, on 127.0.0.1 with asyncio Protocols:

* echo: an echo server (create_server, a Protocol that writes back what it receives) and
  ``connections`` clients (create_connection); one operation is a round in which every
  client writes ``depth`` messages of ``size`` bytes at once and receives them all back.
  Per iteration: rounds per second.
* roundTrip: one client, one message of ``size`` bytes in flight; every round is timed
  (perf_counter_ns). Per iteration: p50 and p99 in microseconds (nearest rank).

Each workload gets a new server and new connections, ``--warmup`` iterations that are
thrown away, then ``--iterations`` measured ones of ``--seconds`` each (the JMH side has
2 forks x 4 iterations of 1 s after 3 warm-up iterations, for the JIT). The driver is a coroutine on
the same loop and thread as the sockets: an asyncio program has no other way, while the
Java peers are driven from another thread (one wake-up more per round for them).

Prints one JSON object on stdout: {"tool", "peer", "python", "loop_version", "depth",
"seconds", "results": [{"workload", "size", "connections", "throughput" | "p50" + "p99"}]}.
Exits 2 with a message when --loop uvloop is asked and uvloop is not importable.

Usage: python3 sockets_echo.py [--loop asyncio|uvloop] [--sizes 1024,65536]
       [--connections 1,100] [--depth 8] [--warmup 2] [--iterations 8] [--seconds 1]
"""

import argparse
import asyncio
import json
import platform
import sys
import time

HOST = "127.0.0.1"
ROUND_TIMEOUT = 30.0


def log(msg):
    print("sockets_echo: " + msg, file=sys.stderr, flush=True)


class EchoServer(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


class Round:
    """Every client has sent its messages and waits for the same bytes back."""

    def __init__(self, loop, connections):
        self.left = connections
        self.done = loop.create_future()

    def connection_done(self):
        self.left -= 1
        if self.left == 0 and not self.done.done():
            self.done.set_result(None)

    def fail(self, exc):
        if not self.done.done():
            self.done.set_exception(exc)


class Client(asyncio.Protocol):
    def __init__(self):
        self.awaiting = 0
        self.round = None
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.awaiting -= len(data)
        if self.awaiting == 0:
            self.round.connection_done()
        elif self.awaiting < 0:
            self.round.fail(RuntimeError("the server echoed more bytes than were sent"))

    def connection_lost(self, exc):
        if self.round is not None and self.awaiting > 0:
            self.round.fail(exc or RuntimeError("connection lost during a round"))
        if not self.lost.done():
            self.lost.set_result(None)


async def echo_round(loop, clients, message, depth):
    r = Round(loop, len(clients))
    n = depth * len(message)
    for c in clients:
        c.awaiting = n
        c.round = r
        for _ in range(depth):
            c.transport.write(message)
    guard = loop.call_later(ROUND_TIMEOUT, r.fail, TimeoutError(f"echo round not complete after {ROUND_TIMEOUT} s"))
    try:
        await r.done
    finally:
        guard.cancel()


def percentile(sorted_values, q):
    rank = max(1, -(-int(q * 1000) * len(sorted_values) // 1000))  # ceil(q * n), nearest rank
    return sorted_values[rank - 1]


async def workload(name, size, connections, args):
    loop = asyncio.get_running_loop()
    message = bytes((i * 31 + (i >> 8)) & 0xFF for i in range(size))
    server = await loop.create_server(EchoServer, HOST, 0)
    clients = []
    try:
        port = server.sockets[0].getsockname()[1]
        for _ in range(connections):
            _, proto = await loop.create_connection(Client, HOST, port)
            clients.append(proto)
        depth = args.depth if name == "echo" else 1
        figures = {"throughput": [], "p50": [], "p99": []}
        for it in range(args.warmup + args.iterations):
            samples = []
            rounds = 0
            start = time.perf_counter()
            end = start + args.seconds
            while True:
                t0 = time.perf_counter_ns()
                await echo_round(loop, clients, message, depth)
                t1 = time.perf_counter_ns()
                rounds += 1
                if name == "roundTrip":
                    samples.append((t1 - t0) / 1000.0)
                if t1 / 1e9 >= end:
                    break
            elapsed = time.perf_counter() - start
            if it < args.warmup:
                continue
            if name == "echo":
                figures["throughput"].append(rounds / elapsed)
            else:
                samples.sort()
                figures["p50"].append(percentile(samples, 0.50))
                figures["p99"].append(percentile(samples, 0.99))
        result = {"workload": name, "size": size, "connections": connections}
        if name == "echo":
            result["throughput"] = figures["throughput"]
        else:
            result["p50"] = figures["p50"]
            result["p99"] = figures["p99"]
        return result
    finally:
        for c in clients:
            c.transport.close()
        server.close()
        if clients:
            await asyncio.wait_for(asyncio.gather(*(c.lost for c in clients)), 10)
        await asyncio.wait_for(server.wait_closed(), 10)


async def main_async(args):
    results = []
    for size in args.sizes:
        for connections in args.connections:
            log(f"{args.loop} echo size={size} connections={connections}")
            results.append(await workload("echo", size, connections, args))
    for size in args.sizes:
        log(f"{args.loop} roundTrip size={size}")
        results.append(await workload("roundTrip", size, 1, args))
    return results


def ints(text):
    return [int(x) for x in text.split(",") if x]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    p.add_argument("--sizes", type=ints, default=[1024, 65536])
    p.add_argument("--connections", type=ints, default=[1, 100])
    p.add_argument("--depth", type=int, default=8)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iterations", type=int, default=8)
    p.add_argument("--seconds", type=float, default=1.0)
    args = p.parse_args()
    if args.depth < 1 or args.iterations < 1 or args.warmup < 0 or args.seconds <= 0:
        p.error("--depth and --iterations must be at least 1, --warmup at least 0, --seconds above 0")
    loop_version = platform.python_version()
    if args.loop == "uvloop":
        try:
            import uvloop
        except ImportError as e:
            print(f"sockets_echo: uvloop is not importable by {sys.executable}: {e}", file=sys.stderr)
            sys.exit(2)
        loop = uvloop.new_event_loop()
        loop_version = uvloop.__version__
    else:
        loop = asyncio.new_event_loop()
    try:
        results = loop.run_until_complete(main_async(args))
    finally:
        loop.close()
    json.dump({"tool": "sockets_echo.py", "peer": args.loop, "python": platform.python_version(),
               "executable": sys.executable, "loop_version": loop_version, "depth": args.depth,
               "seconds": args.seconds, "results": results}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
