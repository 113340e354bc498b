"""A 1000-way race on one slot over HTTP against ``linli serve`` on PostgreSQL (B3).

1000 residents, each with a token, book the same slot at once: the lean asyncio client of
bench/loadgen.py opens every connection first, then all send (each connection its share of
the residents, one after another). Prints attempts/s, latencies, the CPU each side used (so
the client is seen not to be the limit), with ``--count`` the PostgreSQL round trips per
attempt (a second rush through bench/pgcount.py's proxy), and the oversell count (active
appointments beyond capacity, and the stored counter against the real count): both must
be 0. ``--variant NAME:ENV=V`` runs the rush once per server setting. Loopback only.

    python bench/booking_race.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
        [--attempts 1000] [--capacity 10] [--connections 100] [--count] [--variant ...]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))

import loadgen
from booking_common import prepare
from booking_slots import write_section
from hot_reads import parse_variant
from pgcount import CountingProxy

from linli.testing import start_server, stop_server

BOOK = """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  appointment { id } errors { code } } }"""


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    parts = urlsplit(url)
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--variant", action="append", default=[], help="NAME:ENV=V,...")
    parser.add_argument(
        "--count", action="store_true", help="also count PostgreSQL round trips per attempt"
    )
    parser.add_argument(
        "--warm", action="store_true", help="each resident reads once before the rush (a "
        "real rush comes from open apps: their sessions are in the actor cache)",
    )  # fmt: skip
    parser.add_argument(
        "--output", default=str(Path(__file__).parents[1] / "docs" / "performance-booking.md")
    )
    args = parser.parse_args()
    variants = [parse_variant(v) for v in args.variant] or [("linli", {})]
    lines = [
        f"### booking_race (PostgreSQL, {args.attempts} parallel bookings of one slot, "
        f"capacity {args.capacity}, {args.connections} connections, lean asyncio client)",
        "",
        "| server | attempts/s | p50 ms | p99 ms | server CPU ms/attempt | server cores "
        "| client cores | PG round trips/attempt | booked | SLOT_FULL | other | oversell |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, env in variants:
        row = await race(args, env, count=False)
        trips = (await race(args, env, count=True))[-1] if args.count else None
        figures, outcomes, oversell, _ = row
        flat = Counter(outcomes)
        wins, full = flat.pop("BOOKED", 0), flat.pop("SLOT_FULL", 0)
        lines.append(
            f"| {name} | {figures.rps:.0f} | {figures.p50 * 1000:.0f} | {figures.p99 * 1000:.0f} "
            f"| {figures.server_ms_per_request:.2f} | {figures.server_share:.2f} "
            f"| {figures.client_share:.2f} | {'' if trips is None else f'{trips:.1f}'} "
            f"| {wins} | {full} | {sum(flat.values())} {dict(flat) or ''} | {oversell} |"
        )
        print(lines[-1])
    lines.append("")
    print("\n".join(lines))
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores, shared machine)")
    write_section(Path(args.output), "booking_race", "PostgreSQL", lines)


async def race(
    args: argparse.Namespace, env: dict, count: bool
) -> tuple[loadgen.Figures, list[str], int, float | None]:
    """One rush on a fresh database: every connection open, then all attempts at once."""
    name = f"linli_bench_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(args.database_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    await _admin(args.database_url, f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="linli-race-"))
    proxy = None
    try:
        fixture = await prepare(
            url, residents=args.attempts, slots_per_day=1, capacity=args.capacity
        )
        serve_url = url
        if count:
            proxy = CountingProxy(parts.hostname, parts.port or 5432)
            port = await proxy.start()
            serve_url = urlunsplit((parts.scheme, f"{parts.username}@127.0.0.1:{port}",
                                    f"/{name}", "", ""))  # fmt: skip
        server = await asyncio.to_thread(
            start_server,
            serve_url,
            work / "server.log",
            {"LINLI_PERIODIC_TASKS": "0", "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0", **env},
            180,
        )
        port = int(server.url.rsplit(":", 1)[1])
        try:
            slot_gid = base64.b64encode(f"BookingSlot:{fixture.slot_ids[0]}".encode()).decode()
            body = json.dumps({"query": BOOK, "variables": {"input": {"slotId": slot_gid}}})
            wires = [
                loadgen.request_bytes(
                    "POST",
                    "/graphql",
                    f"127.0.0.1:{port}",
                    body.encode(),
                    {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
                )
                for token in fixture.tokens
            ]
            if args.warm:  # each resident opened the app first: the actor cache holds them
                warm = json.dumps({"query": "{ me { account { id } } }"}).encode()
                reads = [
                    loadgen.request_bytes(
                        "POST",
                        "/graphql",
                        f"127.0.0.1:{port}",
                        warm,
                        {"Content-Type": "application/json", "Authorization": f"Bearer {t}"},
                    )
                    for t in fixture.tokens
                ]
                await loadgen.run_lean(
                    "127.0.0.1", port, reads.__getitem__, len(reads), args.connections,
                    server.process.pid, keep_bodies=False,
                )  # fmt: skip
            before = proxy.round_trips if proxy else 0
            gate = asyncio.Event()
            asyncio.get_running_loop().call_later(0.2, gate.set)
            figures = await loadgen.run_lean(
                "127.0.0.1", port, wires.__getitem__, len(wires), args.connections,
                server.process.pid, keep_bodies=True, gate=gate,
            )  # fmt: skip
            await asyncio.sleep(0.3 if proxy else 0)
            trips = (proxy.round_trips - before) / len(wires) if proxy else None
        finally:
            await asyncio.to_thread(stop_server, server)
        booked, counter = await _count(url, fixture.slot_ids[0])
    finally:
        if proxy:
            await proxy.stop()
        await _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    outcomes = []
    for raw in figures.bodies:
        try:
            payload = json.loads(raw)["data"]["bookAppointment"]
            outcomes += [e["code"] for e in payload["errors"]] or ["BOOKED"]
        except (ValueError, KeyError, TypeError):
            outcomes.append("BAD_ANSWER")
    oversell = max(booked - args.capacity, 0) + abs(counter - booked)
    return figures, outcomes, oversell, trips


async def _count(url: str, slot_id: int) -> tuple[int, int]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        booked = await conn.fetchval(
            "SELECT count(*) FROM booking_appointment WHERE slot_id = $1 AND status IN "
            "('pending', 'booked', 'arrived', 'checked-in')",
            slot_id,
        )
        counter = await conn.fetchval("SELECT booked FROM booking_slot WHERE id = $1", slot_id)
        return booked, counter
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
