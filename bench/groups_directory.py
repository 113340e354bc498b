"""The groups plugin's two hot reads against a raw Starlette endpoint running the same SQL.

1. The directory: ``groups(communityId, first: 50)`` of a community with 50 approved groups
   (name, category, venue, schedule, member count, badge, leader's name);
2. ``groupRoster(groupId, asOf)`` of a group with 500 members and 5,000 roster history rows.

Same run, same database: ``linli serve`` (auth, permission, GraphQL) against Starlette doing
the SELECTs the resolvers do and returning JSON. Prints req/s, p50 and p99 and their ratio,
and the SQL statements one request runs for pages of 10, 25 and 50 groups (counted on
Tortoise's query log, in-process). Loopback only; a bounded number of requests.

    python bench/groups_directory.py [--requests 1000] [--concurrency 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import json
import logging
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from booking_common import client, load, start_raw_app

from linli.testing import TEST_SECRET, start_server, stop_server

DIRECTORY = """query($c: ID!, $n: Int) { groups(communityId: $c, first: $n) { edges { node {
  id name category venue schedule memberCount badge leader { name } } } } }"""
ROSTER = """query($g: ID!, $d: Date) { groupRoster(groupId: $g, asOf: $d) {
  personId name phone role since until } }"""

# The statements the resolvers run, in order (placeholders filled per database).
COMMUNITY_SQL = "SELECT id, parent_id, time_zone FROM core_community WHERE id = {0}"
# The directory's hot reads (kit.hot_read, equality only): the community's groups and those its
# street office reviews; approved, inside the term, active here, by name: in Python, as there.
GROUP_COLUMNS = (
    "id, name, category, venue, schedule, status, approved_until, leader_person_id, "
    "community_id, level, other_community_ids"
)
HOME_SQL = f"SELECT {GROUP_COLUMNS} FROM groups_group WHERE community_id = {{0}}"
DESK_SQL = f"SELECT {GROUP_COLUMNS} FROM groups_group WHERE review_community_id = {{0}}"
COUNTS_SQL = (
    "SELECT group_id, COUNT(id) AS n FROM groups_roster_entry WHERE group_id IN ({ids}) "
    "AND until IS NULL GROUP BY group_id"
)
NAMES_SQL = "SELECT id, real_name FROM core_person WHERE id IN ({ids})"
GROUP_SQL = (
    "SELECT id, community_id, leader_person_id, review_community_id FROM groups_group "
    "WHERE id = {0}"
)
ENTRIES_SQL = (
    "SELECT id, person_id, role, since, until FROM groups_roster_entry WHERE group_id = {0} "
    "AND since <= {1} AND (until IS NULL OR until > {1})"
)
PHONES_SQL = "SELECT person_id, phone FROM core_account WHERE person_id IN ({ids}) ORDER BY id"


@dataclass
class Fixture:
    community_id: int
    big_group_id: int
    staff_token: str
    resident_token: str
    as_of: dt.date


async def prepare(url: str, groups: int = 50, members: int = 500, history: int = 5000) -> Fixture:
    """Migrate ``url``; a community with ``groups`` approved groups of 5, and one group with
    ``members`` open roster entries among ``history`` rows."""
    from linli.core import db
    from linli.core.app import start, stop
    from linli.core.identity import access
    from linli.core.identity.models import Person
    from linli.core.identity.sessions import load_actor
    from linli.core.plugins import load_plugins
    from linli.core.settings import Settings
    from linli.plugins.groups import rules, service
    from linli.plugins.groups.models import RosterEntry
    from linli.testing import make_account, make_community

    settings = Settings(database_url=url, secret_key=TEST_SECRET, periodic_tasks=False)
    plugins = load_plugins(settings)
    await db.migrate(url, plugins)
    access.install(plugins.per_plugin("register_permissions"))  # the service checks them
    rt = await start(settings, plugins)
    try:
        now = rt.clock.now()
        community = await make_community("基准社区")
        staff_made = await make_account("staff", community)
        resident = await make_account("resident", community)
        staff = await load_actor(staff_made.account.pk)
        await Person.bulk_create(
            [
                Person(real_name=f"居民{i}", community=community, created_at=now)
                for i in range(members + 5)
            ]
        )
        people = (
            await Person.filter(community_id=community.pk)
            .order_by("id")
            .values_list("id", flat=True)
        )
        people = [p for p in people if p not in (staff_made.person.pk, resident.person.pk)]
        for i in range(groups):
            form = service.Form(
                name=f"团队{i:03d}",
                category=rules.Category.CULTURE_SPORTS,
                level=rules.Level.COMMUNITY,
                venue="活动室",
                schedule="每周一",
            )
            group = await service.file_group(
                staff, community.pk, form, people[i], tuple(people[i + 1 : i + 5])
            )
            filing = await service.submit(staff, group.pk)
            await service.review(staff, filing.pk, rules.Decision.APPROVE, None)
        big = await service.file_group(
            staff,
            community.pk,
            service.Form(
                name="大合唱团",
                category=rules.Category.CULTURE_SPORTS,
                level=rules.Level.COMMUNITY,
                venue="礼堂",
                schedule="周日",
            ),
            people[0],
        )
        start_day = dt.date(2020, 1, 1)
        rows, closed = [], history - members
        for i in range(closed):  # past members: 4,500 closed stints
            since = start_day + dt.timedelta(days=i % 1500)
            rows.append(
                RosterEntry(
                    group_id=big.pk,
                    person_id=people[1 + i % members],
                    role="MEMBER",
                    since=since,
                    until=since + dt.timedelta(days=30),
                    created_at=now,
                )
            )
        for i in range(1, members):  # 499 open members beside the leader
            rows.append(
                RosterEntry(
                    group_id=big.pk,
                    person_id=people[i],
                    role="MEMBER",
                    since=dt.date(2025, 1, 1),
                    created_at=now,
                )
            )
        await RosterEntry.bulk_create(rows, batch_size=500)
        return Fixture(
            community.pk,
            big.pk,
            staff_made.token,
            resident.token,
            rules.local_day(now, "Asia/Shanghai"),
        )
    finally:
        await stop(rt)


def raw_app(database_url: str):  # the raw endpoints, run in their own process
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from tortoise import Tortoise, connections

    def bind(conn, sql: str, *values):
        """``{0}``-style placeholders as the database wants them, values in their order."""
        if conn.capabilities.dialect != "sqlite":
            return sql.format(*[f"${i + 1}" for i in range(len(values))]), list(values)
        order = [int(i) for i in re.findall(r"\{(\d)\}", sql)]
        plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
        return re.sub(r"\{\d\}", "?", sql), [plain[i] for i in order]

    async def select_in(conn, sql: str, ids: list[int]) -> list[dict]:
        if not ids:
            return []
        pg = conn.capabilities.dialect != "sqlite"
        marks = ", ".join(f"${i + 1}" if pg else "?" for i in range(len(ids)))
        return await conn.execute_query_dict(sql.format(ids=marks), ids)

    async def directory(request):
        conn = connections.get("default")
        cid, n = int(request.query_params["c"]), int(request.query_params["n"])
        (community,) = await conn.execute_query_dict(*bind(conn, COMMUNITY_SQL, cid))
        today = dt.datetime.now(dt.UTC).date()
        found = {g["id"]: g for g in await conn.execute_query_dict(*bind(conn, HOME_SQL, cid))}
        if community["parent_id"] is not None:
            desk = await conn.execute_query_dict(*bind(conn, DESK_SQL, community["parent_id"]))
            for g in desk:
                found.setdefault(g["id"], g)

        def listed(g: dict) -> bool:
            until = g["approved_until"]
            until = dt.date.fromisoformat(until) if isinstance(until, str) else until
            others = g["other_community_ids"]
            others = json.loads(others) if isinstance(others, str) else others or []
            return (
                g["status"] == "APPROVED"
                and until is not None
                and until >= today
                and (g["community_id"] == cid or cid in others or g["level"] == "STREET")
            )

        groups = sorted(filter(listed, found.values()), key=lambda g: (g["name"], g["id"]))[:n]
        ids = [g["id"] for g in groups]
        counts = {r["group_id"]: r["n"] for r in await select_in(conn, COUNTS_SQL, ids)}
        leaders = sorted({g["leader_person_id"] for g in groups})
        names = {r["id"]: r["real_name"] for r in await select_in(conn, NAMES_SQL, leaders)}
        return JSONResponse(
            [
                {
                    "id": g["id"],
                    "name": g["name"],
                    "category": g["category"],
                    "venue": g["venue"],
                    "schedule": g["schedule"],
                    "memberCount": counts.get(g["id"], 0),
                    "badge": g["status"] == "APPROVED",
                    "leader": {"name": names[g["leader_person_id"]]},
                }
                for g in groups
            ]
        )

    async def roster(request):
        conn = connections.get("default")
        gid = int(request.query_params["g"])
        day = dt.date.fromisoformat(request.query_params["d"])
        await conn.execute_query_dict(*bind(conn, GROUP_SQL, gid))
        entries = await conn.execute_query_dict(*bind(conn, ENTRIES_SQL, gid, day))
        ids = [e["person_id"] for e in entries]
        names = {r["id"]: r["real_name"] for r in await select_in(conn, NAMES_SQL, ids)}
        phones = {r["person_id"]: r["phone"] for r in await select_in(conn, PHONES_SQL, ids)}
        return JSONResponse(
            [
                {
                    "personId": e["person_id"],
                    "name": names.get(e["person_id"], ""),
                    "phone": phones.get(e["person_id"]),
                    "role": e["role"],
                    "since": str(e["since"]),
                    "until": None if e["until"] is None else str(e["until"]),
                }
                for e in entries
            ]
        )

    @contextlib.asynccontextmanager
    async def lifespan(app):
        from linli.core.db import open_database
        from linli.core.plugins import load_plugins
        from linli.core.settings import Settings

        await open_database(database_url, load_plugins(Settings()))
        yield
        await Tortoise.close_connections()

    return Starlette(
        routes=[Route("/directory", directory), Route("/roster", roster)], lifespan=lifespan
    )


def start_raw(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    return start_raw_app("groups_directory", database_url, log, "/docs-nothing")


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.n = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.n += 1


async def queries_per_request(url: str, fx: Fixture) -> dict[str, int]:
    """SQL statements of one request, counted on Tortoise's query log in-process."""
    from linli.core.app import create_app
    from linli.core.settings import Settings
    from linli.testing import GraphQLClient

    settings = Settings(database_url=url, secret_key=TEST_SECRET, periodic_tasks=False)
    app = create_app(settings)
    counter, log = _Count(), logging.getLogger("tortoise.db_client")
    out: dict[str, int] = {}
    async with app.router.lifespan_context(app):
        gql = GraphQLClient(app)
        cases = [
            (
                f"directory first={n}",
                DIRECTORY,
                {"c": gid("Community", fx.community_id), "n": n},
                fx.resident_token,
            )
            for n in (10, 25, 50)
        ]
        cases.append(
            (
                "groupRoster 500 of 5,000",
                ROSTER,
                {"g": gid("Group", fx.big_group_id), "d": fx.as_of.isoformat()},
                fx.staff_token,
            )
        )
        for name, query, variables, token in cases:
            await gql.execute(query, variables, token=token)  # warm: the actor cache, plans
            log.addHandler(counter)
            old_level = log.level
            log.setLevel(logging.DEBUG)  # setLevel, not .level: the logger caches its check
            counter.n = 0
            result = await gql.execute(query, variables, token=token)
            log.removeHandler(counter)
            log.setLevel(old_level)
            assert not result.errors, result.errors
            out[name] = counter.n
        await gql.aclose()
    return out


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--output", default=str(Path(__file__).parents[1] / "docs" / "performance.md")
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="linli-bench-groups-"))
    url = args.database_url or f"sqlite://{work / 'bench.sqlite3'}"
    fx = await prepare(url)
    counts = await queries_per_request(url, fx)
    server = start_server(
        url,
        work / "server.log",
        env={"LINLI_PERIODIC_TASKS": "0", "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0"},
    )
    raw, raw_url = start_raw(url, work / "raw.log")
    results = {}
    try:
        async with (
            client(server.url, args.concurrency) as gql,
            client(raw_url, args.concurrency) as plain,
        ):
            directory_vars = {"c": gid("Community", fx.community_id), "n": 50}
            roster_vars = {"g": gid("Group", fx.big_group_id), "d": fx.as_of.isoformat()}

            async def linli_directory(_: int) -> None:
                r = await gql.post(
                    "/graphql",
                    json={"query": DIRECTORY, "variables": directory_vars},
                    headers={"authorization": f"Bearer {fx.resident_token}"},
                )
                assert len(r.json()["data"]["groups"]["edges"]) == 50, r.text

            async def raw_directory(_: int) -> None:
                r = await plain.get("/directory", params={"c": fx.community_id, "n": 50})
                assert len(r.json()) == 50, r.text

            async def linli_roster(_: int) -> None:
                r = await gql.post(
                    "/graphql",
                    json={"query": ROSTER, "variables": roster_vars},
                    headers={"authorization": f"Bearer {fx.staff_token}"},
                )
                assert len(r.json()["data"]["groupRoster"]) == 500, r.text

            async def raw_roster(_: int) -> None:
                r = await plain.get(
                    "/roster", params={"g": fx.big_group_id, "d": fx.as_of.isoformat()}
                )
                assert len(r.json()) == 500, r.text

            for name, ours, base, total in (
                ("directory (50 groups)", linli_directory, raw_directory, args.requests),
                (
                    "groupRoster (500 of 5,000 rows)",
                    linli_roster,
                    raw_roster,
                    max(args.requests // 5, 50),
                ),
            ):
                await load(ours, 50, args.concurrency)
                await load(base, 50, args.concurrency)
                results[name] = (
                    await load(ours, total, args.concurrency),
                    await load(base, total, args.concurrency),
                    total,
                )
    finally:
        stop_server(server)
        raw.terminate()
        raw.wait(timeout=15)
    db = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    lines = [
        f"### groups ({db}, concurrency {args.concurrency})",
        "",
        "| read | requests | linli req/s | raw req/s | ratio | linli p99 ms | raw p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (ours, base, total) in results.items():
        lines.append(
            f"| {name} | {total} | {ours.rps:.0f} | {base.rps:.0f} | "
            f"{ours.rps / base.rps:.2f} | {ours.p99_ms:.1f} | {base.p99_ms:.1f} |"
        )
    lines += [
        "",
        "SQL statements per request (in-process, after a warm-up request): "
        + ", ".join(f"{k}: {v}" for k, v in counts.items()),
        "",
    ]
    print("\n".join(lines))
    write_section(Path(args.output), db, lines)


def write_section(path: Path, db: str, lines: list[str]) -> None:
    """Replace the groups section for this database in docs/performance.md (ours alone)."""
    marker = f"<!-- groups {db} -->"
    text = path.read_text(encoding="utf-8")
    block = f"{marker}\n" + "\n".join(lines) + f"\n{marker}\n"
    if marker in text:
        before, _, rest = text.partition(marker)
        _, _, after = rest.partition(marker + "\n")
        text = before + block + after
    else:
        heading = "\n## Groups (bench/groups_directory.py)\n\n"
        if heading not in text:
            text = text.rstrip("\n") + "\n" + heading
        text += block
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
