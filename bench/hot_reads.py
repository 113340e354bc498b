"""Goal 1: the hot reads against a raw endpoint and PostGraphile 4, same database, same run.

One fresh PostgreSQL database (a community, a service with a day of 16 slots, a resident
with a token, 150 notices), and side by side on loopback, each its own process:

- ``linli serve`` (auth, permission check, GraphQL), once per ``--variant`` (environment
  overrides: ``--variant reset:LINLI_DATABASE_POOL_RESET=1`` measures a setting in the run);
- the raw Starlette + asyncpg endpoint of bench/peers.py (the same SQL, nothing else);
- PostGraphile 4 on the same tables (skipped with a message where Node is absent).

Two reads: booking's ``slots`` (a service's slots for a day, 16 rows) and the notices page
(100 rows). Rounds alternate the order of the servers; each measurement is ``wrk`` (when
installed, else the lean asyncio client) for ``--seconds`` at ``--connections``, and prints
req/s, p50, p99, the server's CPU per request and the share of a core each side used. A
counting phase then points every server at a wire proxy (bench/pgcount.py) and reports
PostgreSQL round trips per request.

    python bench/hot_reads.py [--seconds 4] [--rounds 2] [--connections 20]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--variant NAME:K=V,...]
        [--reads slots,notices] [--no-postgraphile] [--no-count] [--apq]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))

import loadgen
import peers
from booking_common import prepare
from pgcount import CountingProxy

from linli.testing import free_port, start_server, stop_server

SLOTS = """query($st: ID!, $date: Date!) { slots(serviceTypeId: $st, date: $date) {
  id start end capacity booked remaining } }"""
NOTICES = """query List($c: ID!) { notices(communityId: $c, first: 100) {
  edges { node { id communityId title body postedAt } } pageInfo { hasNextPage endCursor } } }"""
PG_SLOTS = """query($st: BigInt!, $d: Date!) { allBookingSlots(condition: {serviceTypeId: $st,
  localDate: $d}, orderBy: START_ASC) { nodes { id start end capacity booked reserved
  bookedPriority } } }"""
PG_NOTICES = """query($c: BigInt!) { allNoticesNotices(condition: {communityId: $c}, first: 100,
  orderBy: ID_DESC) { edges { node { id communityId title body postedAt } }
  pageInfo { hasNextPage endCursor } } }"""

ENV = {"LINLI_PERIODIC_TASKS": "0", "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0"}


@dataclass
class Request:
    """One read as one server takes it: method, path, body, headers, and a check."""

    method: str
    path: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    register: Request | None = None  # sent once first (an APQ's document)

    def wire(self, port: int) -> bytes:
        return loadgen.request_bytes(
            self.method, self.path, f"127.0.0.1:{port}", self.body.encode(), self.headers
        )


@dataclass
class Target:
    name: str
    port: int
    process: object
    requests: dict[str, Request]
    shared: bool = False  # another target's server (not stopped twice)


def _gql(query: str, variables: dict, token: str | None = None) -> Request:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables})
    return Request("POST", "/graphql", body, headers)


def admin_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


async def admin(url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url(url, "postgres").replace("postgres://", "postgresql://"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def seed(url: str, notices: int) -> dict:
    import asyncpg

    fixture = await prepare(url, residents=1)
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        community = await conn.fetchval(
            "SELECT community_id FROM booking_service_type WHERE id = $1", fixture.service_type_id
        )
        now = dt.datetime.now(dt.UTC)
        await conn.executemany(
            "INSERT INTO notices_notice (community_id, title, body, posted_at) "
            "VALUES ($1, $2, $3, $4)",
            [
                (community, f"通知 {i}", "本周六上午九点在社区中心举行议事会。" * 4, now)
                for i in range(notices)
            ],
        )
    finally:
        await conn.close()
    return {
        "token": fixture.tokens[0],
        "service": fixture.service_type_id,
        "community": community,
        "day": fixture.day.isoformat(),
    }


def linli_requests(data: dict) -> dict[str, Request]:
    st = peers.gid("BookingServiceType", data["service"])
    return {
        "slots": _gql(SLOTS, {"st": st, "date": data["day"]}, data["token"]),
        "notices": _gql(NOTICES, {"c": peers.gid("Community", data["community"])}, data["token"]),
    }


def apq_requests(data: dict) -> dict[str, Request]:
    """The same reads as automatic persisted queries by GET (hash only, document sent once)."""
    import hashlib
    from urllib.parse import urlencode

    found = {}
    for read, request in linli_requests(data).items():
        body = json.loads(request.body)
        digest = hashlib.sha256(body["query"].encode()).hexdigest()
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        register = _gql(body["query"], body["variables"], data["token"])
        register.body = json.dumps({**body, "extensions": extensions})
        params = {"extensions": json.dumps(extensions), "variables": json.dumps(body["variables"])}
        headers = {"Authorization": request.headers["Authorization"]}
        found[read] = Request("GET", f"/graphql?{urlencode(params)}", "", headers, 0, register)
    return found


def raw_requests(data: dict) -> dict[str, Request]:
    return {
        "slots": Request("GET", f"/slots?st={data['service']}&date={data['day']}"),
        "notices": Request("GET", f"/notices?c={data['community']}&first=100"),
    }


def postgraphile_requests(data: dict) -> dict[str, Request]:
    return {
        "slots": _gql(PG_SLOTS, {"st": str(data["service"]), "d": data["day"]}),
        "notices": _gql(PG_NOTICES, {"c": str(data["community"])}),
    }


def rows_in(read: str, body: bytes) -> int:
    data = json.loads(body)["data"]
    value = next(iter(data.values()))
    if isinstance(value, list):
        return len(value)
    return len(value.get("nodes") or value.get("edges"))


def start_targets(
    url: str,
    data: dict,
    work: Path,
    variants: list[tuple[str, dict]],
    postgraphile: bool,
    apq: bool = False,
) -> list[Target]:
    targets = []
    for name, env in variants:
        server = start_server(url, work / f"{name}.log", env={**ENV, **env}, timeout=180)
        port = int(server.url.rsplit(":", 1)[1])
        targets.append(Target(name, port, server, linli_requests(data)))
        if apq and len(targets) == 1:
            targets.append(Target(f"{name} APQ GET", port, server, apq_requests(data), True))
    port = free_port()
    targets.append(
        Target("raw", port, peers.start_raw(url, port, work / "raw.log"), raw_requests(data))
    )
    cli = peers.postgraphile_cli() if postgraphile else None
    if cli:
        port = free_port()
        process = peers.start_postgraphile(cli, url, port, work / "postgraphile.log")
        targets.append(Target("postgraphile", port, process, postgraphile_requests(data)))
    return targets


def pid_of(target: Target) -> int:
    process = target.process
    return process.process.pid if hasattr(process, "process") else process.pid


def stop_targets(targets: list[Target]) -> None:
    for target in targets:
        if target.shared:
            continue
        if hasattr(target.process, "process"):
            stop_server(target.process)
        else:
            target.process.terminate()
            target.process.wait(timeout=15)


async def check(target: Target, read: str) -> None:
    request = target.requests[read]
    if request.register is not None:
        wire = request.register.wire(target.port)
        await loadgen.run_lean("127.0.0.1", target.port, lambda i: wire, 1, 1, pid_of(target))
    figures = await loadgen.run_lean(
        "127.0.0.1", target.port, lambda i: request.wire(target.port), 1, 1, pid_of(target),
        keep_bodies=True,
    )  # fmt: skip
    body = figures.bodies[0]
    expected = 16 if read == "slots" else 100
    if figures.statuses.get(200) != 1 or rows_in(read, body) != expected:
        raise RuntimeError(f"{target.name} {read}: unexpected answer {body[:300]!r}")


async def measure(target: Target, read: str, args: argparse.Namespace) -> loadgen.Figures:
    request = target.requests[read]
    pid = pid_of(target)
    if loadgen.have_wrk() and not args.lean:
        url = f"http://127.0.0.1:{target.port}{request.path}"
        return await asyncio.to_thread(
            loadgen.run_wrk, url, pid, args.seconds, args.connections,
            request.method, request.body, request.headers,
        )  # fmt: skip
    wire = request.wire(target.port)
    total = int(args.seconds * 600)
    return await loadgen.run_lean(
        "127.0.0.1", target.port, lambda i: wire, total, args.connections, pid
    )


async def count_round_trips(
    url: str, data: dict, work: Path, args: argparse.Namespace, variants: list[tuple[str, dict]]
) -> dict[tuple[str, str], float]:
    parts = urlsplit(url)
    proxy = CountingProxy(parts.hostname, parts.port or 5432)
    port = await proxy.start()
    proxied = urlunsplit((parts.scheme, f"{parts.username}@127.0.0.1:{port}", parts.path, "", ""))
    targets = await asyncio.to_thread(
        start_targets, proxied, data, work / "count", variants, not args.no_postgraphile
    )
    found = {}
    try:
        for target in targets:
            for read in args.reads:
                wire = target.requests[read].wire(target.port)
                send = lambda i, wire=wire: wire  # noqa: E731
                await loadgen.run_lean("127.0.0.1", target.port, send, 50, 4, 0)
                before = proxy.round_trips
                await loadgen.run_lean("127.0.0.1", target.port, send, 200, 4, 0)
                await asyncio.sleep(0.2)  # the last releases' resets
                found[(target.name, read)] = (proxy.round_trips - before) / 200
    finally:
        await asyncio.to_thread(stop_targets, targets)  # the proxy runs on this loop
        await proxy.stop()
    return found


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    low, high = min(values), max(values)
    return (
        fmt.format(low)
        if fmt.format(low) == fmt.format(high)
        else (f"{fmt.format(low)}–{fmt.format(high)}")
    )


def report(results: dict, trips: dict, args: argparse.Namespace, names: list[str]) -> None:
    client = "wrk" if loadgen.have_wrk() and not args.lean else "lean asyncio client"
    print(f"\nclient: {client}, {args.connections} connections, {args.seconds} s per "
          f"measurement, {args.rounds} rounds (alternating order)")  # fmt: skip
    for read in args.reads:
        print(f"\n#### {read}\n")
        print("| server | req/s | p50 ms | p99 ms | server CPU ms/req | server cores | "
              "client cores | PG round trips/req | vs raw | vs PostGraphile |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        base = {n: [f.rps for f in results.get((n, read), [])] for n in ("raw", "postgraphile")}
        for name in names:
            runs = results.get((name, read))
            if not runs:
                continue
            rps = [f.rps for f in runs]
            ratios = []
            for peer in ("raw", "postgraphile"):
                peer_rps = base[peer]
                ratios.append(
                    spread([a / b for a, b in zip(rps, peer_rps, strict=True)], "{:.2f}×")
                    if peer_rps and name != peer
                    else ""
                )
            trip = trips.get((name, read))
            print(
                f"| {name} | {spread(rps)} | {spread([f.p50 * 1000 for f in runs], '{:.1f}')} "
                f"| {spread([f.p99 * 1000 for f in runs], '{:.1f}')} "
                f"| {spread([f.server_ms_per_request for f in runs], '{:.2f}')} "
                f"| {spread([f.server_share for f in runs], '{:.2f}')} "
                f"| {spread([f.client_share for f in runs], '{:.2f}')} "
                f"| {'' if trip is None else f'{trip:.1f}'} | {ratios[0]} | {ratios[1]} |"
            )
        bad = {
            name: sum(f.statuses.get("other", 0) for f in results.get((name, read), []))
            for name in names
        }
        if any(bad.values()):
            print(f"non-200 answers: {bad}")


def parse_variant(text: str) -> tuple[str, dict]:
    name, _, pairs = text.partition(":")
    env = dict(pair.split("=", 1) for pair in pairs.split(",") if pair)
    return name, env


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--notices", type=int, default=150)
    parser.add_argument("--variant", action="append", default=[])
    parser.add_argument("--reads", default="slots,notices")
    parser.add_argument("--no-postgraphile", action="store_true")
    parser.add_argument("--no-count", action="store_true")
    parser.add_argument("--apq", action="store_true", help="also the first Linli as APQ by GET")
    parser.add_argument("--lean", action="store_true", help="the asyncio client even with wrk")
    args = parser.parse_args()
    args.reads = args.reads.split(",")
    variants = [parse_variant(v) for v in args.variant] or [("linli", {})]
    name = f"linli_bench_{uuid.uuid4().hex[:8]}"
    url = admin_url(args.database_url, name)
    await admin(args.database_url, f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="linli-hot-"))
    (work / "count").mkdir()
    try:
        data = await seed(url, args.notices)
        targets = await asyncio.to_thread(
            start_targets, url, data, work, variants, not args.no_postgraphile, args.apq
        )
        names = [t.name for t in targets]
        results: dict = {}
        try:
            for target in targets:
                for read in args.reads:
                    await check(target, read)
                    await measure(target, read, argparse.Namespace(**{**vars(args), "seconds": 1}))
            for round_ in range(args.rounds):
                order = targets if round_ % 2 == 0 else targets[::-1]
                for read in args.reads:
                    for target in order:
                        figures = await measure(target, read, args)
                        results.setdefault((target.name, read), []).append(figures)
                        print(f"round {round_ + 1} {read:8} {target.name:14} {figures.row()}")
        finally:
            stop_targets(targets)
        trips = {} if args.no_count else await count_round_trips(url, data, work, args, variants)
        report(results, trips, args, names)
        print(f"\nload average: {os.getloadavg()[0]:.1f} (2 cores, shared machine)")
    finally:
        await admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
