"""Goal 3: N idle ``slotAvailability`` subscribers, one event to all of them.

A fresh database (a service with a day of slots, ``--residents`` residents with tokens), one
``linli serve`` (run through bench/gcwatch.py, which reports full-GC pauses), and a light
client: raw ``websockets`` connections speaking graphql-transport-ws, opened in batches, each
subscribed to the same day's slots. Then, with every subscriber idle:

- the server's RSS before and after the subscribers (KiB per idle subscriber);
- p99 of a concurrent ``slots`` read over HTTP (lean client), idle and during the fan-out;
- one booking over HTTP (the event), and when each subscriber hears it: p50/p99/max from
  the moment the booking was sent;
- full-GC pauses the server logged meanwhile, and both sides' CPU.

``--second-instance`` adds a second server on the same PostgreSQL and Redis: the subscribers
sit on the first, the booking goes to the second, and the run is repeated with the booking on
the first, so the cross-instance added latency is the difference of the p50s.

    python bench/subscribers.py [--subscribers 10000] [--residents 50]
        [--database-url sqlite|postgres://...] [--compression] [--second-instance]
        [--mode own:LINLI_SHARED_SUBSCRIPTIONS=0 --mode shared:LINLI_SHARED_SUBSCRIPTIONS=1]

Each ``--mode`` starts fresh server(s) with its settings on the same database and repeats
the whole run, so a before/after is one invocation under the same load. The server's CPU
over the fan-out and per subscriber is printed beside every latency, and the load average,
because the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import httpx
import loadgen
import peers
import websockets
from booking_common import prepare
from hot_reads import SLOTS, admin, admin_url

from linli.testing import TEST_SECRET, free_port

SUBSCRIBE = """subscription($st: ID!, $date: Date!) {
  slotAvailability(serviceTypeId: $st, date: $date) { id booked remaining } }"""
BOOK = """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  appointment { id } errors { code } } }"""


def start(url: str, log: Path, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    environment = {
        **os.environ,
        "LINLI_DATABASE_URL": url,
        "LINLI_SECRET_KEY": TEST_SECRET,
        "LINLI_PERIODIC_TASKS": "0",
        "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0",
        "LINLI_LIMIT_LOGIN_ATTEMPTS_PER_IP": "100000",
        **env,
    }
    command = [sys.executable, str(Path(__file__).with_name("gcwatch.py")), "serve",
               "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]  # fmt: skip
    process = subprocess.Popen(command, env=environment, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT)  # fmt: skip
    peers.wait_ready(f"http://127.0.0.1:{port}/readyz", process, log, timeout=180)
    return process, port


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Subscriber:
    def __init__(self) -> None:
        self.socket = None
        self.listener = None
        self.heard = asyncio.get_running_loop().create_future()

    async def open(self, url: str, token: str, variables: dict, compression: bool) -> None:
        self.instance = int(url.split(":")[2].split("/")[0])  # its server's port, for now
        self.socket = await websockets.connect(
            url,
            subprotocols=["graphql-transport-ws"],
            compression="deflate" if compression else None,
            max_size=2**20,
            ping_interval=None,
            open_timeout=120,
        )
        await self.socket.send(json.dumps({"type": "connection_init", "payload": {"token": token}}))
        ack = json.loads(await self.socket.recv())
        assert ack["type"] == "connection_ack", ack
        await self.socket.send(
            json.dumps({"id": "1", "type": "subscribe",
                        "payload": {"query": SUBSCRIBE, "variables": variables}})
        )  # fmt: skip
        self.listener = asyncio.ensure_future(self._listen())

    async def _listen(self) -> None:
        try:
            async for message in self.socket:
                data = json.loads(message)
                if data.get("type") == "next" and not self.heard.done():
                    self.heard.set_result(time.perf_counter())
                elif data.get("type") == "error" and not self.heard.done():
                    self.heard.set_exception(RuntimeError(str(data)[:300]))
        except websockets.ConnectionClosed:
            pass


async def read_until_told(port: int, wire: bytes) -> None:
    """The concurrent reader, in its own process (the subscribers' process is busy hearing
    the event, which would delay the reads it times): one request at a time until a line
    comes on stdin, then ``[[began, seconds], ...]`` on stdout. perf_counter is the system's
    monotonic clock, so the parent can place each read in its own timeline."""
    told = asyncio.ensure_future(asyncio.to_thread(sys.stdin.readline))
    reads: list[list[float]] = []
    reader_, writer = await asyncio.open_connection("127.0.0.1", port)
    while not told.done():
        began = time.perf_counter()
        writer.write(wire)
        await loadgen._read_response(reader_)
        reads.append([began, time.perf_counter() - began])
    writer.close()
    print(json.dumps(reads))


class Reader:
    """The reader's process, started and stopped by the bench."""

    async def start(self, port: int, wire: bytes, work: Path) -> None:
        path = work / "read.wire"
        path.write_bytes(wire)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--read", str(port), str(path),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip

    async def stop(self) -> list[list[float]]:
        out, _ = await self.process.communicate(b"stop\n")
        return json.loads(out)


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000 if ordered else 0.0


async def one_event(args, ports, pids, fixture, variables, book_port, subscribers) -> dict:
    """Book one seat through ``book_port``; when every subscriber heard it."""
    args.bookings += 1
    token = fixture.tokens[-args.bookings]  # a resident who subscribes to nothing
    read_wire = loadgen.request_bytes(
        "POST", "/graphql", f"127.0.0.1:{ports[0]}",
        json.dumps({"query": SLOTS, "variables": variables}).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {fixture.tokens[0]}"},
    )  # fmt: skip
    reads = Reader()
    await reads.start(ports[0], read_wire, args.log0.parent)
    await asyncio.sleep(3)  # idle reads
    cpu0 = [loadgen.cpu_seconds([pid]) for pid in pids]
    client0 = time.process_time()
    slot = peers.gid("BookingSlot", fixture.slot_ids[0])
    body = json.dumps({"query": BOOK, "variables": {"input": {"slotId": slot}}})
    mark = len(args.log0.read_text(errors="replace"))
    sent = time.perf_counter()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{book_port}", timeout=300) as http:
        answer = await http.post(
            "/graphql", content=body,
            headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
        )  # fmt: skip
    assert not answer.json()["data"]["bookAppointment"]["errors"], answer.text
    heard = await asyncio.wait_for(
        asyncio.gather(*(s.heard for s in subscribers), return_exceptions=True), 300
    )
    cpu1 = [loadgen.cpu_seconds([pid]) for pid in pids]
    done = time.perf_counter()
    pauses = [
        line.split(" ", 2)[2] for line in args.log0.read_text(errors="replace")[mark:].splitlines()
        if line.startswith("gcwatch")
    ]  # fmt: skip
    await asyncio.sleep(0.2)
    timeline = await reads.stop()
    # Idle: the reads of the 2 s before the booking (the first second warms up); during the
    # fan-out: those under way at any moment from the booking to the last subscriber heard.
    idle = [took for began, took in timeline if sent - 2 <= began and began + took < sent]
    busy = [took for began, took in timeline if began < done and began + took > sent]
    delays = [h - sent for h in heard if isinstance(h, float)]
    # Two instances: the subscribers on the booking's instance and those on the other one
    # heard the same event; the difference of their p50s is the bus's hop, without the
    # booking's own time (which varies by hundreds of ms on a loaded machine).
    here = ports.index(book_port)
    sides = {
        side: [h - sent for h, s in zip(heard, subscribers, strict=True)
               if isinstance(h, float) and (s.instance == here) == (side == "same")]
        for side in ("same", "other")
    }  # fmt: skip
    failures = [h for h in heard if not isinstance(h, float)]
    return {
        "heard": len(delays),
        "failed": len(failures),
        "first_failure": str(failures[0])[:200] if failures else "",
        "p50": statistics.median(delays) * 1000 if delays else 0,
        "p50_by_side": {k: statistics.median(v) * 1000 for k, v in sides.items() if v},
        "p99": p(delays, 0.99),
        "max": max(delays) * 1000 if delays else 0,
        "read_idle_p99": p(idle, 0.99),
        "read_idle_p50": p(idle, 0.5),
        "read_busy_p99": p(busy, 0.99),
        "read_busy_p50": p(busy, 0.5),
        "read_busy_max": max(busy) * 1000 if busy else 0,
        "reads_busy": len(busy),
        "window": done - sent,
        "pauses": pauses,
        "server_cpu": [b - a for a, b in zip(cpu0, cpu1, strict=True)],
        "client_cpu": time.process_time() - client0,
    }


async def run_mode(args, url, fixture, work: Path, label: str, env: dict[str, str]) -> None:
    """Start the server(s) with ``env``, open the subscribers, send the events, report."""
    log0 = args.log0 = work / f"{label}-server0.log"
    servers = [await asyncio.to_thread(start, url, log0, env)]
    if args.second_instance:
        servers.append(await asyncio.to_thread(start, url, work / f"{label}-server1.log", env))
    processes = [s[0] for s in servers]
    subscribers: list[Subscriber] = []
    try:
        ports = [s[1] for s in servers]
        pids = [s.pid for s in processes]
        variables = {
            "st": peers.gid("BookingServiceType", fixture.service_type_id),
            "date": fixture.day.isoformat(),
        }
        await asyncio.sleep(1)
        # With two instances the subscribers alternate between them.
        ws_urls = [f"ws://127.0.0.1:{port}/graphql" for port in ports]

        async def open_subscribers(count: int) -> None:
            for _ in range(0, count, args.batch):
                batch = [Subscriber() for _ in range(min(args.batch, count))]
                count -= len(batch)
                await asyncio.gather(*(
                    s.open(ws_urls[(len(subscribers) + i) % len(ws_urls)],
                           fixture.tokens[(len(subscribers) + i) % args.residents],
                           variables, args.compression)
                    for i, s in enumerate(batch)
                ))  # fmt: skip
                subscribers.extend(batch)

        # The first ones pay what is made once (caches, the first execution): not per socket.
        warm = min(args.warm, args.subscribers)
        await open_subscribers(warm)
        await asyncio.sleep(2)
        rss0 = rss_kib(pids[0])
        opened = time.perf_counter()
        await open_subscribers(args.subscribers - warm)
        opened = time.perf_counter() - opened
        for s in subscribers:
            s.instance = ports.index(s.instance)
        await asyncio.sleep(3)  # every subscribe message handled
        rss1 = rss_kib(pids[0])
        log_mark = len(log0.read_text(errors="replace"))
        results = []
        # Two instances: alternately on the other instance and on the subscribers' own.
        pair = [ports[-1], ports[0]] if args.second_instance else [ports[0]]
        rounds = pair * args.events
        for book_port in rounds:
            for s in subscribers:
                s.heard = asyncio.get_running_loop().create_future()
            results.append(
                await one_event(args, ports, pids, fixture, variables, book_port, subscribers)
            )
            await asyncio.sleep(1)
        gc_pauses = [
            line for line in log0.read_text(errors="replace")[log_mark:].splitlines()
            if line.startswith("gcwatch")
        ]  # fmt: skip
        print(f"\n[{label}] {env}")
        database = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
        print(f"{args.subscribers} subscribers ({database}, "
              f"server compression {'on' if args.server_compression else 'off'}, client offers "
              f"deflate: {args.compression}), opened in {opened:.1f} s")  # fmt: skip
        print(
            f"server RSS {rss0 / 1024:.0f} MiB -> {rss1 / 1024:.0f} MiB: "
            f"{(rss1 - rss0) / max(args.subscribers - warm, 1):.1f} KiB per idle subscriber "
            f"(the {args.subscribers - warm} opened after the first {warm})"
        )
        for i, r in enumerate(results):
            where = "other instance" if args.second_instance and i % 2 == 0 else "same instance"
            print(f"event {i + 1} booked on the {where}: heard by {r['heard']} (failed "
                  f"{r['failed']} {r['first_failure']}); from booking sent: p50 {r['p50']:.0f} ms, "
                  f"p99 {r['p99']:.0f} ms, max {r['max']:.0f} ms")  # fmt: skip
            print(f"  concurrent slots read: idle p50/p99 {r['read_idle_p50']:.1f}/"
                  f"{r['read_idle_p99']:.1f} ms, during the fan-out p50/p99 "
                  f"{r['read_busy_p50']:.1f}/{r['read_busy_p99']:.1f} ms (max "
                  f"{r['read_busy_max']:.0f} ms, {r['reads_busy']} reads): "
                  f"{r['read_busy_p99'] / max(r['read_idle_p99'], 0.001):.1f}x")  # fmt: skip
            per = r["server_cpu"][0] / max(args.subscribers, 1) * 1000
            print(
                f"  CPU over the {r['window']:.2f} s from booking to the last heard: server(s) "
                f"{[round(c, 3) for c in r['server_cpu']]} s ({per:.3f} ms per subscriber, the "
                f"booking and the concurrent reads included), client {r['client_cpu']:.2f} s; "
                f"load {os.getloadavg()[0]:.1f}"
            )
            print(f"  full-GC pauses from the booking to the last heard: {r['pauses'] or 'none'}")
        if args.second_instance:
            added = [r["p50_by_side"]["other"] - r["p50_by_side"]["same"] for r in results]
            print(f"cross-instance added p50, the same events heard on the other instance "
                  f"less on the booking's: {[round(a, 1) for a in added]} ms, median "
                  f"{statistics.median(added):.1f} ms")  # fmt: skip
        print(f"full-GC pauses over 5 ms from the first idle read on: {gc_pauses or 'none'}")
    finally:
        for s in subscribers:
            if s.socket is not None:
                s.listener.cancel()
                s.socket.transport.abort()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def raise_open_files(wanted: int) -> None:
    """Each socket is a file on both sides: lift this process's limit (the servers it starts
    inherit it) to what 10,000 subscribers need, as far as the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    print(f"open files: {resource.getrlimit(resource.RLIMIT_NOFILE)[0]} (hard {hard})")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--events", type=int, default=2, help="events per mode (one instance)")
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--compression", action="store_true", help="client offers deflate")
    parser.add_argument("--server-compression", action="store_true")
    parser.add_argument("--second-instance", action="store_true")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--warm", type=int, default=100, help="opened before the RSS baseline")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--mode", action="append", default=[],
        help="label:ENV=value,... a server setting to compare, run in turn on the same "
        "database (default: shared:LINLI_SHARED_SUBSCRIPTIONS=1)",
    )  # fmt: skip
    args = parser.parse_args()
    args.bookings = 0
    raise_open_files(2 * args.subscribers + 1000)
    print(f"load average at start: {os.getloadavg()} (2 cores, shared machine)")
    work = Path(tempfile.mkdtemp(prefix="linli-subs-"))
    name = None
    if args.database_url == "sqlite":
        url = f"sqlite://{work / 'bench.sqlite3'}"
    else:
        name = f"linli_bench_{uuid.uuid4().hex[:8]}"
        url = admin_url(args.database_url, name)
        await admin(args.database_url, f'CREATE DATABASE "{name}"')
    env = {"LINLI_WEBSOCKET_COMPRESSION": "1" if args.server_compression else "0"}
    if args.second_instance:
        env |= {
            "LINLI_REDIS_URL": args.redis_url,
            "LINLI_REDIS_PREFIX": f"bench{uuid.uuid4().hex[:6]}",
        }
    modes = args.mode or ["shared:LINLI_SHARED_SUBSCRIPTIONS=1"]
    try:
        fixture = await prepare(url, residents=args.residents + 24, slots_per_day=3, capacity=50)
        for mode in modes:
            label, _, settings = mode.partition(":")
            extra = dict(item.split("=", 1) for item in settings.split(",") if item)
            await run_mode(args, url, fixture, work, label, env | extra)
            await asyncio.sleep(2)
        print(f"load average at the end: {os.getloadavg()} (2 cores, shared machine)")
    finally:
        if name:
            await admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if sys.argv[1:2] == ["--read"]:
        asyncio.run(read_until_told(int(sys.argv[2]), Path(sys.argv[3]).read_bytes()))
    else:
        asyncio.run(main())
