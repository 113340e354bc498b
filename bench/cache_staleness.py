"""How long a kept answer outlives a write on another instance (the response cache, issue 9).

Two ``linli serve`` instances on one PostgreSQL database and one Redis: a resident re-reads
a day's slots on instance B as fast as B answers (so B keeps answering from its cache),
another resident books a seat on instance A; the figure is the time from A's booking response
to B's first answer showing the seat taken. B's TTL is an hour, so only the event through
Redis can make its answer fresh. Repeated ``--bookings`` times; printed, never asserted.

    python bench/cache_staleness.py [--bookings 20] [--database-url ...] [--redis-url ...]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import httpx
from booking_common import prepare
from booking_race import _admin

from linli.testing.server import start_server, stop_server

SLOTS = """query S($st: ID!, $date: Date!) {
  slots(serviceTypeId: $st, date: $date) { id booked } }"""
BOOK = """mutation B($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  appointment { id } errors { code } } }"""


def gid(kind: str, pk: int) -> str:
    return base64.b64encode(f"{kind}:{pk}".encode()).decode()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=20)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    name = f"linli_bench_{uuid.uuid4().hex[:8]}"
    url = args.database_url.rsplit("/", 1)[0] + f"/{name}"
    await _admin(args.database_url, f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="linli-staleness-"))
    env = {
        "LINLI_REDIS_URL": args.redis_url,
        "LINLI_REDIS_PREFIX": f"bench{uuid.uuid4().hex[:6]}",
        "LINLI_RESPONSE_CACHE_SECONDS": "3600",
        "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0",
        "LINLI_PERIODIC_TASKS": "0",
    }
    servers = []
    try:
        fx = await prepare(url, args.bookings + 1, slots_per_day=1, capacity=args.bookings + 5)
        servers = [start_server(url, work / f"{n}.log", env=env) for n in ("a", "b")]
        a, b = servers
        reader = {"authorization": f"Bearer {fx.tokens[0]}"}
        read = {"query": SLOTS, "variables": {"st": gid("BookingServiceType", fx.service_type_id),
                                              "date": fx.day.isoformat()}}  # fmt: skip
        slot = gid("BookingSlot", fx.slot_ids[0])
        book = {"query": BOOK, "variables": {"input": {"slotId": slot}}}
        gaps, reads_between = [], []
        async with httpx.AsyncClient(timeout=30) as http:

            async def booked_on_b() -> int:
                answer = await http.post(f"{b.url}/graphql", json=read, headers=reader)
                return answer.json()["data"]["slots"][0]["booked"]

            for i in range(args.bookings):
                seen = await booked_on_b()
                await booked_on_b()  # kept now
                headers = {"authorization": f"Bearer {fx.tokens[i + 1]}"}
                answer = await http.post(f"{a.url}/graphql", json=book, headers=headers)
                assert not answer.json()["data"]["bookAppointment"]["errors"], answer.text
                done, count = time.perf_counter(), 0
                while await booked_on_b() == seen:
                    count += 1
                gaps.append((time.perf_counter() - done) * 1000)
                reads_between.append(count)
        ordered = sorted(gaps)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"\ncross-instance staleness of a kept answer ({args.bookings} bookings on A, "
              "reads on B, PostgreSQL + Redis)\n")  # fmt: skip
        print("| figure | value |\n|---|---:|")
        print(f"| A's response → B's first fresh answer, p50 | {statistics.median(gaps):.1f} ms |")
        print(f"| … p99 (max of {len(gaps)}) | {p99:.1f} ms |")
        stale = f"{statistics.median(reads_between):.0f} / {max(reads_between)}"
        print(f"| stale answers B gave after A's response, median / max | {stale} |")
        print(f"\nload average: {os.getloadavg()[0]:.1f} (2 cores, shared machine)")
    finally:
        for server in servers:
            stop_server(server)
        await _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
