"""The volunteer app's hot read against a raw Starlette peer, and a 1,000-way sign-up race.

1. ``volunteerActivities(communityId)``: the coming week of a community (20 activities, 60
   shifts), each shift with its fill level, over HTTP against ``linli serve``, and the same
   SQL (the community's zone, the week's published shifts, their activities) answered as
   JSON by a raw Starlette app in its own process (booking_common's ``start_raw_app``), same
   run, same database: req/s, p50/p99, the server's CPU ms per
   request (from /proc: the machine is shared, CPU time is what waiting does not inflate)
   and the ratio.
2. ``--race-database-url`` (PostgreSQL): bench/volunteers_race.py's 1,000-way sign-up race
   on one shift (oversell, the waitlist's order, the promotions' order), in the same run.

Loopback only, bounded loops; figures are printed (and written to docs/performance.md),
never asserted.

    python bench/volunteers_week.py [--requests 2000] [--concurrency 10] [--database-url URL]
        [--race-database-url postgres://postgres@127.0.0.1:5432/postgres] [--attempts 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import loadgen
from booking_common import start_raw_app
from volunteers_common import (
    fresh_postgres,
    gid,
    http_client,
    machine,
    runtime,
    wire,
    write_section,
)

from linli.testing import TEST_SECRET, start_server, stop_server

WEEK = """query($c: ID!) { volunteerActivities(communityId: $c) { id title
  shifts { id title start end place capacity confirmed waitlisted fillLevel requiredSkills } } }"""

# The statements the resolvers run, in order (placeholders filled per database).
SHIFT_COLUMNS = (
    'id, activity_id, community_id, title, place, start, "end", local_date, local_week, '
    "capacity, confirmed, waitlisted, required_skills, min_age, adults_only, cancelled, "
    "published, attendance_code, reminded, sequence, created_at"
)
COMMUNITY_SQL = "SELECT id, time_zone FROM core_community WHERE id = {0}"
WEEK_SQL = (
    f"SELECT {SHIFT_COLUMNS} FROM volunteers_shift WHERE community_id = {{0}} "
    "AND local_week = {1} AND published = {2} ORDER BY start, id"
)
ACTIVITIES_SQL = (
    "SELECT id, community_id, group_id, title, description, status, created_by_account_id, "
    "code, created_at, published_at FROM volunteers_activity WHERE id IN ({ids})"
)


@dataclass
class WeekFixture:
    community_id: int
    token: str
    shifts: int


async def prepare_week(url: str, activities: int = 20, per_activity: int = 3) -> WeekFixture:
    """A community with ``activities`` published activities of ``per_activity`` shifts over
    the coming six days (made through the service, as staff would), seats partly taken."""
    from linli.core.app import stop
    from linli.core.identity.sessions import load_actor
    from linli.plugins.volunteers.models import Shift
    from linli.plugins.volunteers.service import activities as service
    from linli.testing import make_account, make_community

    rt = await runtime(url)
    try:
        community = await make_community("基准社区")
        staff = await load_actor((await make_account("staff", community)).account.pk)
        volunteer = await make_account("resident", community, birth_date=dt.date(1980, 1, 1))
        now = rt.clock.now().replace(microsecond=0)
        for a in range(activities):
            activity = await service.create_activity(staff, community.pk, f"活动{a:02d}", "基准")
            for s in range(per_activity):
                start = now + dt.timedelta(days=1 + (a + s) % 5, hours=s * 3)
                await service.add_shift(
                    staff, activity.pk, f"班次{s}", start, start + dt.timedelta(hours=2),
                    "社区广场", 10, ["急救"] if s == 2 else [], None, False,
                )  # fmt: skip
            await service.publish(staff, activity.pk)
        for i, shift in enumerate(await Shift.filter(community_id=community.pk).order_by("id")):
            await Shift.filter(id=shift.pk).update(confirmed=i % 11, waitlisted=i % 3)
        return WeekFixture(community.pk, volunteer.token, activities * per_activity)
    finally:
        await stop(rt)


def raw_app(database_url: str):  # the raw peer, run in its own process
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from tortoise import Tortoise, connections

    def bind(conn, sql: str, *values):
        if conn.capabilities.dialect != "sqlite":
            return sql.format(*[f"${i + 1}" for i in range(len(values))]), list(values)
        plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
        order = [int(i) for i in re.findall(r"\{(\d)\}", sql)]
        return re.sub(r"\{\d\}", "?", sql), [plain[i] for i in order]

    async def select_in(conn, sql: str, ids: list[int]) -> list[dict]:
        if not ids:
            return []
        pg = conn.capabilities.dialect != "sqlite"
        marks = ", ".join(f"${i + 1}" if pg else "?" for i in range(len(ids)))
        return await conn.execute_query_dict(sql.format(ids=marks), ids)

    def day(value) -> dt.date:
        return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value

    def when(value) -> str:
        return value if isinstance(value, str) else value.isoformat()

    async def week(request):
        from zoneinfo import ZoneInfo

        conn = connections.get("default")
        cid = int(request.query_params["c"])
        (community,) = await conn.execute_query_dict(*bind(conn, COMMUNITY_SQL, cid))
        first = dt.datetime.now(ZoneInfo(community["time_zone"])).date()
        last = first + dt.timedelta(days=6)
        monday = first - dt.timedelta(days=first.weekday())
        rows: list[dict] = []
        while monday <= last:
            rows += await conn.execute_query_dict(*bind(conn, WEEK_SQL, cid, monday, True))
            monday += dt.timedelta(days=7)
        rows = [r for r in rows if first <= day(r["local_date"]) <= last and not r["cancelled"]]
        ids = sorted({r["activity_id"] for r in rows})
        found = {a["id"]: a for a in await select_in(conn, ACTIVITIES_SQL, ids)}
        shifts: dict[int, list[dict]] = {}
        for s in rows:  # each activity's shifts of the week, as the resolver answers
            shifts.setdefault(s["activity_id"], []).append(s)
        out = []
        for aid in dict.fromkeys(r["activity_id"] for r in rows):
            activity = found.get(aid)
            if activity is None or activity["status"] != "PUBLISHED":
                continue
            out.append(
                {
                    "id": aid,
                    "title": activity["title"],
                    "shifts": [
                        {
                            "id": s["id"],
                            "title": s["title"],
                            "start": when(s["start"]),
                            "end": when(s["end"]),
                            "place": s["place"],
                            "capacity": s["capacity"],
                            "confirmed": s["confirmed"],
                            "waitlisted": s["waitlisted"],
                            "fillLevel": min(1.0, s["confirmed"] / s["capacity"]),
                            "requiredSkills": (
                                json.loads(s["required_skills"])
                                if isinstance(s["required_skills"], str)
                                else s["required_skills"]
                            ),
                        }
                        for s in shifts.get(aid, [])
                        if not s["cancelled"]
                    ],
                }
            )
        return JSONResponse(out)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        from linli.core.db import open_database
        from linli.core.plugins import load_plugins
        from linli.core.settings import Settings

        await open_database(database_url, load_plugins(Settings()))
        yield
        await Tortoise.close_connections()

    return Starlette(routes=[Route("/week", week)], lifespan=lifespan)


async def hot_read(args: argparse.Namespace) -> list[str]:
    """The read on a fresh database: a SQLite file, or a new PostgreSQL database beside
    ``--database-url``'s (dropped afterwards)."""
    work = Path(tempfile.mkdtemp(prefix="linli-bench-volunteers-"))
    if not (args.database_url or "").startswith("postgres"):
        return await _hot_read(args, args.database_url or f"sqlite://{work / 'bench.sqlite3'}")
    async with fresh_postgres(args.database_url) as url:
        return await _hot_read(args, url)


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.n = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.n += 1


async def statements_per_request(url: str, fx: WeekFixture) -> int:
    """SQL statements of one week read after a warm one, on Tortoise's query log in-process."""
    from linli.core.app import create_app
    from linli.core.settings import Settings
    from linli.testing import GraphQLClient

    settings = Settings(
        database_url=url, secret_key=TEST_SECRET, periodic_tasks=False, response_cache_seconds=0
    )
    app = create_app(settings)
    counter, log = _Count(), logging.getLogger("tortoise.db_client")
    variables = {"c": gid("Community", fx.community_id)}
    async with app.router.lifespan_context(app):
        gql = GraphQLClient(app)
        await gql.execute(WEEK, variables, token=fx.token)  # warm: the actor cache
        log.addHandler(counter)
        old_level = log.level
        log.setLevel(logging.DEBUG)
        try:
            result = await gql.execute(WEEK, variables, token=fx.token)
        finally:
            log.removeHandler(counter)
            log.setLevel(old_level)
        assert not result.errors, result.errors
        await gql.aclose()
    return counter.n


async def _hot_read(args: argparse.Namespace, url: str) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="linli-bench-volunteers-"))
    fx = await prepare_week(url)
    statements = await statements_per_request(url, fx)
    env = {"LINLI_PERIODIC_TASKS": "0", "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0"}
    # The read itself: the response cache (a pure read replayed to the same caller for a
    # second, core/response_cache.py) would answer these identical requests from memory.
    server = await asyncio.to_thread(
        start_server, url, work / "server.log", {**env, "LINLI_RESPONSE_CACHE_SECONDS": "0"}, 180
    )
    replaying = await asyncio.to_thread(start_server, url, work / "cached.log", env, 180)
    raw, raw_url = start_raw_app("volunteers_week", url, work / "raw.log", "/nothing")
    try:
        port = int(server.url.rsplit(":", 1)[1])
        raw_port = int(raw_url.rsplit(":", 1)[1])
        ours = wire(port, {"query": WEEK, "variables": {"c": gid("Community", fx.community_id)}},
                     fx.token)  # fmt: skip
        base = loadgen.request_bytes("GET", f"/week?c={fx.community_id}", f"127.0.0.1:{raw_port}")
        # the same answer from both, before anything is timed
        async with http_client() as check:
            a = (
                await check.post(
                    f"{server.url}/graphql",
                    content=ours.split(b"\r\n\r\n", 1)[1],
                    headers={
                        "content-type": "application/json",
                        "authorization": f"Bearer {fx.token}",
                    },
                )
            ).json()
            b = (await check.get(f"{raw_url}/week", params={"c": fx.community_id})).json()
        linli_shifts = sum(len(x["shifts"]) for x in a["data"]["volunteerActivities"])
        raw_shifts = sum(len(x["shifts"]) for x in b)
        assert linli_shifts == raw_shifts == fx.shifts, (linli_shifts, raw_shifts, fx.shifts)
        cached_port = int(replaying.url.rsplit(":", 1)[1])
        replayed = ours.replace(f"127.0.0.1:{port}".encode(), f"127.0.0.1:{cached_port}".encode())
        sides = (
            ("linli", ours, port, server.process.pid),
            ("raw Starlette", base, raw_port, raw.pid),
            ("linli, response cache on (1 s, the default)", replayed, cached_port,
             replaying.process.pid),
        )  # fmt: skip
        for _, request, p, pid in sides:  # warm-up: the actor cache, statement caches, pools
            await loadgen.run_lean(
                "127.0.0.1", p, lambda _, r=request: r, 100, args.concurrency, pid
            )
        figures = {}
        for name, request, p, pid in sides:
            figures[name] = await loadgen.run_lean(
                "127.0.0.1", p, lambda _, r=request: r, args.requests, args.concurrency, pid
            )
            assert figures[name].statuses == Counter({200: args.requests}), figures[name].statuses
    finally:
        await asyncio.to_thread(stop_server, server)
        await asyncio.to_thread(stop_server, replaying)
        raw.terminate()
        raw.wait(timeout=15)
    ours_f, base_f = figures["linli"], figures["raw Starlette"]
    db = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    rows = [
        f"### volunteers_week: the coming week, {fx.shifts} shifts of 20 activities ({db}, "
        f"{args.requests} requests, {args.concurrency} connections, lean asyncio client)",
        "",
        "| server | req/s | p50 ms | p99 ms | server CPU ms/request | server cores |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, f in figures.items():
        rows.append(
            f"| {name} | {f.rps:.0f} | {f.p50 * 1000:.1f} | {f.p99 * 1000:.1f} | "
            f"{f.server_ms_per_request:.2f} | {f.server_share:.2f} |"
        )
    rows += [
        "",
        "Ratio linli (the read, response cache off) / raw: throughput "
        f"{ours_f.rps / base_f.rps:.2f}, CPU per request "
        f"{ours_f.server_ms_per_request / base_f.server_ms_per_request:.2f}x. SQL statements "
        f"per linli request (in-process, after a warm one): {statements}; the raw peer runs the "
        "resolvers' SELECTs (the zone, one per week touched, the activities).",
        "",
    ]
    return rows


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--race-database-url", default=None, help="PostgreSQL, for the race")
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--skip-read", action="store_true")
    parser.add_argument(
        "--output", default=str(Path(__file__).parents[1] / "docs" / "performance.md")
    )
    args = parser.parse_args()
    about = machine()
    print(about)
    if not args.skip_read:
        lines = await hot_read(args)
        lines.append(f"{about}; load average {os.getloadavg()[0]:.1f} at the end.")
        lines.append("")
        print("\n".join(lines))
        db = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
        write_section(Path(args.output), f"volunteers_week {db}", lines)
    if args.race_database_url:
        # Its own process: Tortoise keeps per-dialect state, and one process ran SQLite above.
        race = [sys.executable, str(Path(__file__).with_name("volunteers_race.py"))]
        race += ["--database-url", args.race_database_url, "--attempts", str(args.attempts)]
        race += ["--capacity", str(args.capacity), "--connections", str(args.connections)]
        await asyncio.to_thread(subprocess.run, [*race, "--output", args.output], check=True)


if __name__ == "__main__":
    os.environ.setdefault("LINLI_PERIODIC_TASKS", "0")
    asyncio.run(main())
