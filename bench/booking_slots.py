"""The resident app's hot read: a day's slots of a service, with remaining seats.

Same run, same database, same SQL: ``slots(serviceTypeId, date)`` through ``linli serve``
(auth, permission check, GraphQL) against a raw Starlette endpoint that runs the two SELECTs
the resolver runs (service type, then the day's slots) and returns JSON. Prints req/s and
p99 for each, and their ratio. Loopback only; a bounded number of requests.

    python bench/booking_slots.py [--requests 3000] [--concurrency 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from booking_common import client, load, prepare, start_raw_app

from linli.testing import start_server, stop_server

QUERY = """query($st: ID!, $date: Date!) { slots(serviceTypeId: $st, date: $date) {
  id start end capacity booked remaining } }"""

SERVICE_SQL = "SELECT id, community_id FROM booking_service_type WHERE id = {p}"
SLOTS_SQL = (
    'SELECT id, start, "end", capacity, reserved, booked, booked_priority '
    "FROM booking_slot WHERE service_type_id = {p} AND local_date = {q} ORDER BY start"
)


def raw_app(database_url: str):  # the raw endpoint, run in its own process
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from tortoise import Tortoise, connections

    async def slots(request):
        conn = connections.get("default")
        pg = conn.capabilities.dialect != "sqlite"
        p, q = ("$1", "$2") if pg else ("?", "?")
        st = int(request.query_params["st"])
        day = request.query_params["date"]
        if pg:
            import datetime as dt

            day = dt.date.fromisoformat(day)
        await conn.execute_query_dict(SERVICE_SQL.format(p=p), [st])
        rows = await conn.execute_query_dict(SLOTS_SQL.format(p=p, q=q), [st, day])
        return JSONResponse(
            [
                {
                    "id": r["id"],
                    "start": str(r["start"]),
                    "end": str(r["end"]),
                    "capacity": r["capacity"],
                    "booked": r["booked"],
                    "remaining": max(
                        r["capacity"] - r["booked"] - max(r["reserved"] - r["booked_priority"], 0),
                        0,
                    ),
                }
                for r in rows
            ]
        )

    import contextlib

    @contextlib.asynccontextmanager
    async def lifespan(app):
        from linli.core.db import open_database
        from linli.core.plugins import load_plugins
        from linli.core.settings import Settings

        await open_database(database_url, load_plugins(Settings()))
        yield
        await Tortoise.close_connections()

    return Starlette(routes=[Route("/slots", slots)], lifespan=lifespan)


def start_raw(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    return start_raw_app("booking_slots", database_url, log, "/slots?st=0&date=2000-01-01")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--output", default=str(Path(__file__).parents[1] / "docs" / "performance-booking.md")
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="linli-bench-"))
    url = args.database_url or f"sqlite://{work / 'bench.sqlite3'}"
    fixture = await prepare(url, residents=1)
    token = fixture.tokens[0]
    server = start_server(
        url,
        work / "server.log",
        env={"LINLI_PERIODIC_TASKS": "0", "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0"},
    )
    raw, raw_url = start_raw(url, work / "raw.log")
    try:
        variables = {
            "st": base64.b64encode(
                f"BookingServiceType:{fixture.service_type_id}".encode()
            ).decode(),
            "date": fixture.day.isoformat(),
        }
        async with (
            client(server.url, args.concurrency) as gql,
            client(raw_url, args.concurrency) as plain,
        ):

            async def linli(_: int) -> None:
                response = await gql.post(
                    "/graphql",
                    json={"query": QUERY, "variables": variables},
                    headers={"authorization": f"Bearer {token}"},
                )
                assert response.status_code == 200 and len(response.json()["data"]["slots"]) == 16

            async def starlette(_: int) -> None:
                response = await plain.get(
                    "/slots",
                    params={"st": fixture.service_type_id, "date": fixture.day.isoformat()},
                )
                assert response.status_code == 200 and len(response.json()) == 16

            for send in (linli, starlette):  # warm up both
                await load(send, 200, args.concurrency)
            ours = await load(linli, args.requests, args.concurrency)
            base = await load(starlette, args.requests, args.concurrency)
    finally:
        stop_server(server)
        raw.terminate()
        raw.wait(timeout=15)
    db = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    lines = [
        f"### booking_slots ({db}, {args.requests} requests, concurrency {args.concurrency}, "
        f"16 slots per answer)",
        "",
        "| endpoint | req/s | p50 ms | p99 ms |",
        "|---|---|---|---|",
        f"| linli `slots` (GraphQL, auth, permission) | {ours.rps:.0f} | {ours.p50_ms:.1f} "
        f"| {ours.p99_ms:.1f} |",
        f"| raw Starlette, same SQL | {base.rps:.0f} | {base.p50_ms:.1f} | {base.p99_ms:.1f} |",
        f"| ratio linli / raw | {ours.rps / base.rps:.2f} | | {ours.p99_ms / base.p99_ms:.2f} |",
        "",
    ]
    print("\n".join(lines))
    write_section(Path(args.output), "booking_slots", db, lines)


def write_section(path: Path, name: str, db: str, lines: list[str]) -> None:
    """Replace this benchmark's section (per database) in docs/performance-booking.md."""
    marker = f"<!-- {name} {db} -->"
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else (
            "# Booking performance\n\nFigures from `bench/booking_*.py` on this machine, loopback "
            "only. Re-run to refresh; each run replaces its own section.\n\n"
        )
    )
    block = f"{marker}\n" + "\n".join(lines) + f"\n{marker}\n"
    if marker in text:
        before, _, rest = text.partition(marker)
        _, _, after = rest.partition(marker + "\n")
        text = before + block + after
    else:
        text += "\n" + block
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("LINLI_PERIODIC_TASKS", "0")
    asyncio.run(main())
