"""The roll of a community of 20,000 residents (18,000 adults): publishVoterRoll's seconds,
peak Python memory and SQL statements, at 2,000 and 20,000 residents (the statements must be
the same: the roll is one INSERT … SELECT); then ``voterRoll`` first page (50) through
GraphQL in-process against the same SELECT sent raw on the same connection, as a ratio.

    python bench/elections_roll.py [--residents 20000] [--reads 200] [--database-url URL]

In-process (no HTTP): what is measured is the service and the resolver, not the network.
Statements are counted on Tortoise's query log. Prints figures; asserts nothing on time.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import tempfile
import time
import tracemalloc
from pathlib import Path

from linli.testing import TEST_SECRET

FIRST_PAGE = """query($id: ID!) { voterRoll(electionId: $id, first: 50) {
  edges { node { name household residentGroup personId } } } }"""
HOT = "query($id: ID!) { amIOnTheRoll(electionId: $id) { onRoll reason } }"
RAW = ("SELECT id, person_id, name, household, resident_group FROM elections_roll_entry "
       "WHERE election_id = ? ORDER BY id LIMIT 51")


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.n = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.n += 1


class counted:
    """Count the SQL statements sent inside the block (Tortoise's query log)."""

    def __enter__(self) -> _Count:
        self.log, self.counter = logging.getLogger("tortoise.db_client"), _Count()
        self.level = self.log.level
        self.log.addHandler(self.counter)
        self.log.setLevel(logging.DEBUG)
        return self.counter

    def __exit__(self, *exc: object) -> None:
        self.log.removeHandler(self.counter)
        self.log.setLevel(self.level)


async def community_of(residents: int) -> tuple[int, object, object]:
    """A community with ``residents`` verified persons, 90% adults, two areas; its staff."""
    from linli.core import clock
    from linli.core.identity.models import Person
    from linli.testing import make_account, make_community

    community = await make_community()
    areas = [await make_community(kind="area", parent=community) for _ in range(2)]
    staff = await make_account("staff", community)
    now = clock.now()
    rows = []
    for i in range(residents):
        born = dt.date(2012, 1, 1) if i % 10 == 9 else dt.date(1940 + i % 60, 1 + i % 12, 1)
        rows.append(Person(real_name=f"居民{i:05d}", birth_date=born, community=community,
                           area=areas[i % 2], household=f"{i // 3}号", verified=True,
                           verified_at=now, created_at=now))
    await Person.bulk_create(rows, batch_size=2000)
    return community.pk, staff, community


async def publish(residents: int) -> dict[str, float]:
    from linli.core import kit
    from linli.core.identity.sessions import load_actor
    from linli.plugins.elections.service import elections, roll

    community_id, staff, _ = await community_of(residents)
    actor = await load_actor(staff.id)
    day = kit.today("Asia/Shanghai") + dt.timedelta(days=40)
    seats = {"DIRECTOR": 1, "DEPUTY_DIRECTOR": 1, "MEMBER": 5}
    election = await elections.create(actor, community_id, title="基准选举", election_day=day,
                                      seats=seats)
    tracemalloc.start()
    began = time.perf_counter()
    with counted() as statements:
        published = await roll.publish(actor, election.pk)
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"residents": residents, "roll": published.roll_size, "seconds": seconds,
            "peak_mib": peak / 2**20, "statements": statements.n, "election": election.pk,
            "staff": staff}


async def first_page(app: object, election_id: int, staff: object, reads: int
                     ) -> dict[str, float]:
    from strawberry.relay import to_base64

    from linli.core import db
    from linli.testing import GraphQLClient

    gql = GraphQLClient(app)
    gid = to_base64("Election", election_id)
    await gql.query(FIRST_PAGE, {"id": gid}, token=staff.token)  # warm
    with counted() as statements:
        await gql.query(FIRST_PAGE, {"id": gid}, token=staff.token)
    began = time.perf_counter()
    for _ in range(reads):
        await gql.query(FIRST_PAGE, {"id": gid}, token=staff.token)
    graphql = (time.perf_counter() - began) / reads
    began = time.perf_counter()
    for _ in range(reads):  # the fixed cost of a request: a one-row hot read
        await gql.query(HOT, {"id": gid}, token=staff.token)
    hot = (time.perf_counter() - began) / reads
    conn = db.connection()
    postgres = conn.capabilities.dialect == "postgres"
    sql = RAW.replace("?", "$1") if postgres else RAW
    began = time.perf_counter()
    for _ in range(reads):
        await conn.execute_query(sql, [election_id])
    raw = (time.perf_counter() - began) / reads
    await gql.aclose()
    return {"graphql_ms": graphql * 1000, "raw_ms": raw * 1000, "ratio": graphql / raw,
            "hot_ms": hot * 1000,
            "statements": statements.n}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=20000)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    from linli.core.app import create_app
    from linli.core.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="linli-bench-roll-"))
    url = args.database_url or f"sqlite://{work / 'bench.sqlite3'}"
    settings = Settings(database_url=url, secret_key=TEST_SECRET, periodic_tasks=False)
    from linli.core import db
    from linli.core.plugins import load_plugins

    await db.migrate(url, load_plugins(settings))
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        small = await publish(args.residents // 10)
        big = await publish(args.residents)
        page = await first_page(app, big["election"], big["staff"], args.reads)
    print(f"database: {url.split(':')[0]}")
    for run in (small, big):
        print(f"publishVoterRoll, {run['residents']:>6,} residents -> roll {run['roll']:>6,}: "
              f"{run['seconds']:.2f} s, peak {run['peak_mib']:.1f} MiB (Python), "
              f"{run['statements']} SQL statements")
    print(f"voterRoll first page (50): GraphQL {page['graphql_ms']:.2f} ms vs raw SQL "
          f"{page['raw_ms']:.2f} ms = {page['ratio']:.1f}x, {page['statements']} statements; "
          f"a one-row hot read (amIOnTheRoll) {page['hot_ms']:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
