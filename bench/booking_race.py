"""A 1000-way race on one slot over HTTP against ``linli serve`` on PostgreSQL (B3).

1000 residents, each with a token, book the same slot at once (bounded connections); prints
attempts/s and the oversell count (active appointments beyond capacity, and the stored
counter against the real count): both must be 0. Loopback only; one bounded round.

    python bench/booking_race.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
                                 [--attempts 1000] [--capacity 10] [--connections 50]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from booking_common import client, prepare
from booking_slots import write_section

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
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--output", default=str(Path(__file__).parents[1] / "docs" / "performance-booking.md")
    )
    args = parser.parse_args()
    name = f"linli_bench_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(args.database_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    await _admin(args.database_url, f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="linli-race-"))
    try:
        fixture = await prepare(
            url, residents=args.attempts, slots_per_day=1, capacity=args.capacity
        )
        server = start_server(
            url,
            work / "server.log",
            env={"LINLI_PERIODIC_TASKS": "0", "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0"},
        )
        try:
            slot_gid = base64.b64encode(f"BookingSlot:{fixture.slot_ids[0]}".encode()).decode()
            body = {"query": BOOK, "variables": {"input": {"slotId": slot_gid}}}
            async with client(server.url, args.connections) as http:
                gate = asyncio.Event()

                async def attempt(token: str) -> list[str]:
                    await gate.wait()
                    try:
                        response = await http.post(
                            "/graphql", json=body, headers={"authorization": f"Bearer {token}"}
                        )
                    except httpx.TransportError:
                        return ["TRANSPORT_ERROR"]
                    payload = response.json()["data"]["bookAppointment"]
                    return [e["code"] for e in payload["errors"]] or ["BOOKED"]

                tasks = [asyncio.create_task(attempt(t)) for t in fixture.tokens]
                began = time.perf_counter()
                gate.set()
                outcomes = await asyncio.gather(*tasks)
                seconds = time.perf_counter() - began
        finally:
            stop_server(server)
        booked, counter = await _count(url, fixture.slot_ids[0])
    finally:
        await _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    flat = [code for codes in outcomes for code in codes]
    wins, full = flat.count("BOOKED"), flat.count("SLOT_FULL")
    other = len(flat) - wins - full
    oversell = max(booked - args.capacity, 0) + abs(counter - booked)
    lines = [
        f"### booking_race (PostgreSQL, {args.attempts} parallel bookings of one slot, "
        f"capacity {args.capacity}, {args.connections} connections)",
        "",
        "| attempts/s | booked | SLOT_FULL | other errors | oversell |",
        "|---|---|---|---|---|",
        f"| {args.attempts / seconds:.0f} | {wins} | {full} | {other} | {oversell} |",
        "",
    ]
    print("\n".join(lines))
    write_section(Path(args.output), "booking_race", "PostgreSQL", lines)


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
