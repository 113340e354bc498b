"""Shared set-up of the booking benchmarks: a fresh migrated database with a community, a
service, slots and residents with tokens; a load loop that reports req/s and latencies.

Loopback only, bounded loops. Not a test: figures are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from linli.testing import TEST_SECRET, free_port


@dataclass
class Fixture:
    service_type_id: int
    slot_ids: list[int]
    day: dt.date
    tokens: list[str]


async def prepare(url: str, residents: int, slots_per_day: int = 16, capacity: int = 4) -> Fixture:
    """Migrate ``url`` and add a community, a service, a day of slots and residents."""
    from linli.core import db
    from linli.core.app import start, stop
    from linli.core.plugins import load_plugins
    from linli.core.settings import Settings
    from linli.plugins.booking import rules
    from linli.plugins.booking.models import ServiceType, Site, Slot
    from linli.testing import make_account, make_community

    settings = Settings(database_url=url, secret_key=TEST_SECRET, periodic_tasks=False)
    plugins = load_plugins(settings)
    await db.migrate(url, plugins)
    rt = await start(settings, plugins)
    try:
        now = rt.clock.now()
        community = await make_community("基准社区")
        site = await Site.create(community=community, name="中心", created_at=now)
        service = await ServiceType.create(
            site=site,
            community_id=community.pk,
            name="接种",
            category="public_health",
            created_at=now,
        )
        day = rules.local_date(now, "Asia/Shanghai") + dt.timedelta(days=2)
        slot_ids = []
        for i in range(slots_per_day):
            start = rules.local_instant(day, dt.time(8), "Asia/Shanghai") + dt.timedelta(
                minutes=30 * i
            )
            slot = await Slot.create(
                service_type_id=service.pk,
                community_id=community.pk,
                local_date=day,
                start=start,
                end=start + dt.timedelta(minutes=30),
                capacity=capacity,
            )
            slot_ids.append(slot.pk)
        tokens = [(await make_account("resident", community)).token for _ in range(residents)]
        return Fixture(service.pk, slot_ids, day, tokens)
    finally:
        await stop(rt)


@dataclass
class Figures:
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


async def load(send: Any, total: int, concurrency: int) -> Figures:
    """Run ``send(i)`` ``total`` times with ``concurrency`` workers; time each call."""
    latencies: list[float] = []
    counter = iter(range(total))

    async def worker() -> None:
        for i in counter:
            began = time.perf_counter()
            await send(i)
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Figures(total, time.perf_counter() - began, latencies)


def client(base_url: str, connections: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits)


def start_raw_app(
    module: str, database_url: str, log: Path, probe: str
) -> tuple[subprocess.Popen, str]:
    """Serve ``<module>.raw_app(database_url)`` (a bench's raw Starlette peer) in its own
    process on a free port; returns the process and its URL once ``probe`` answers."""
    port = free_port()
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        f"import uvicorn, {module}; "
        f"uvicorn.run({module}.raw_app({database_url!r}), host='127.0.0.1', "
        f"port={port}, log_level='warning')"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}{probe}", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(log.read_text())
