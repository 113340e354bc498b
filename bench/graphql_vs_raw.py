"""GraphQL against a raw Starlette endpoint running the same query, on one machine, in one run.

Two servers on loopback, each its own process that uvicorn binds itself:

- the real one, ``linli serve`` (linli.testing.start_server), on a database seeded with a
  community, a resident who logs in for real (identity's ``login`` mutation), and notices;
- a raw Starlette app (this file, ``--raw``) on the same database, answering the same two
  reads with the same Tortoise queryset (so the same SQL) and JSON of the same shape, with no
  GraphQL, no auth and no context.

For each read it sends a warm-up, then ``--requests`` requests, ``--concurrency`` at a time
(httpx, one pooled client), and prints req/s, p50 and p99 and the ratio GraphQL/raw.

    python bench/graphql_vs_raw.py [--requests 2000] [--concurrency 8] [--notices 150]
                                   [--database-url postgres://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from strawberry.relay import GlobalID

PHONE, PASSWORD = "+8613800138000", "bench-password-123"
SERVER_INFO = "{ serverInfo { version plugins { name version } } }"
LIST = """query List($c: ID!) { notices(communityId: $c, first: 100) {
  edges { node { id communityId title body postedAt } } pageInfo { hasNextPage endCursor } } }"""


# ---------------------------------------------------------------- the raw endpoint


def raw_app(database_url: str) -> Any:
    import contextlib

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    import linli
    from linli.core import db
    from linli.core.plugins import load_plugins
    from linli.core.settings import Settings

    plugins = load_plugins(Settings(database_url=database_url))

    async def info(request: Request) -> JSONResponse:
        listed = [
            {"name": m.name, "version": m.version}
            for m in plugins.manifests.values()
            if m.name != "core"
        ]
        info = {"version": linli.__version__, "plugins": listed}
        return JSONResponse({"data": {"serverInfo": info}})

    async def notices(request: Request) -> JSONResponse:
        from linli_notices.models import Notice

        community, first = int(request.query_params["c"]), int(request.query_params["first"])
        # The queryset the notices service builds, sliced as the connection slices it.
        query = Notice.filter(community_id=community).order_by("-id")
        rows = await query.offset(0).limit(first + 1)
        edges = [
            {
                "node": {
                    # The same global ids the GraphQL side sends: base64 of "Type:pk".
                    "id": str(GlobalID("Notice", str(row.id))),
                    "communityId": str(GlobalID("Community", str(row.community_id))),
                    "title": row.title,
                    "body": row.body,
                    "postedAt": row.posted_at.isoformat(),
                }
            }
            for row in rows[:first]
        ]
        page = {"hasNextPage": len(rows) > first, "endCursor": str(first - 1)}
        return JSONResponse({"data": {"notices": {"edges": edges, "pageInfo": page}}})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        await db.open_database(database_url, plugins)
        yield
        await db.close_database()

    return Starlette(routes=[Route("/info", info), Route("/notices", notices)], lifespan=lifespan)


def serve_raw(database_url: str, port: int) -> None:
    import uvicorn

    # log_level "info" (access log on), as ``linli serve`` runs
    uvicorn.run(raw_app(database_url), host="127.0.0.1", port=port, log_level="info")


def start_raw(database_url: str, log: Path) -> tuple[str, subprocess.Popen[bytes]]:
    from linli.testing import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, __file__, "--raw", database_url, str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/info", timeout=1).status_code == 200:
                return url, process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"raw server did not start:\n{log.read_text()}")


# ---------------------------------------------------------------- data


async def seed(database_url: str, notices: int) -> int:
    """Migrate, and add a community, a resident with a password, and ``notices`` notices."""
    from linli.core import app, db
    from linli.core.identity import tokens
    from linli.core.identity.models import Account, Community, CommunityKind, Membership, Role
    from linli.core.plugins import load_plugins
    from linli.core.settings import Settings
    from linli_notices.models import Notice

    settings = Settings(database_url=database_url, secret_key="bench-" * 8, periodic_tasks=False)
    plugins = load_plugins(settings)
    await db.migrate(database_url, plugins)
    rt = await app.start(settings, plugins)
    try:
        now = rt.clock.now()
        community = await Community.create(
            kind=CommunityKind.COMMUNITY, name="幸福里社区", code="BENCH", created_at=now
        )
        password_hash = await tokens.hash_password(PASSWORD)
        account = await Account.create(phone=PHONE, password_hash=password_hash, created_at=now)
        await Membership.create(
            account=account, community=community, role=Role.RESIDENT, created_at=now
        )
        await Notice.bulk_create(
            [
                Notice(
                    community=community,
                    title=f"第 {n} 号通知:小区停水",
                    author_account_id=account.id,
                    body="因管道检修,本周三 9:00-12:00 停水,请提前储水。" * 3,
                    posted_at=now,
                )
                for n in range(notices)
            ]
        )
        return community.id
    finally:
        await app.stop(rt)


# ---------------------------------------------------------------- load


async def measure(
    send: Callable[[], Awaitable[httpx.Response]], requests: int, concurrency: int
) -> dict[str, float]:
    for _ in range(min(200, requests)):  # warm-up: caches, connections, JIT-less but hot paths
        (await send()).raise_for_status()
    latencies: list[float] = []
    remaining = iter(range(requests))

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            response = await send()
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()
            assert "errors" not in response.json(), response.text[:300]

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": requests / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


async def bench(args: argparse.Namespace, graphql_url: str, raw_url: str, community: int) -> None:
    from linli_client import LinliClient

    async with LinliClient(graphql_url) as client:
        await client.login(PHONE, PASSWORD)
        token = client.token
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        headers = {"authorization": f"Bearer {token}"}

        def gql(query: str, variables: dict[str, Any] | None = None) -> Callable[[], Any]:
            body = {"query": query, "variables": variables or {}}
            return lambda: http.post(f"{graphql_url}/graphql", json=body, headers=headers)

        def raw(path: str) -> Callable[[], Any]:
            return lambda: http.get(f"{raw_url}{path}", headers=headers)

        community_gid = str(GlobalID("Community", str(community)))
        listed = (await gql(LIST, {"c": community_gid})()).json()["data"]["notices"]["edges"]
        assert len(listed) == 100, listed
        cases = [
            ("serverInfo", gql(SERVER_INFO), raw("/info")),
            (
                "notices, 100 rows",
                gql(LIST, {"c": community_gid}),
                raw(f"/notices?c={community}&first=100"),
            ),
        ]
        print(
            f"{args.requests} requests, {args.concurrency} concurrent, loopback; "
            f"database {args.database_url.split(':')[0]}"
        )
        print(f"{'read':<18} {'endpoint':<8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for name, graphql_send, raw_send in cases:
            g = await measure(graphql_send, args.requests, args.concurrency)
            r = await measure(raw_send, args.requests, args.concurrency)
            for label, m in (("graphql", g), ("raw", r)):
                print(f"{name:<18} {label:<8} {m['rps']:>8.0f} {m['p50']:>8.2f} {m['p99']:>8.2f}")
            print(f"{name:<18} {'ratio':<8} {g['rps'] / r['rps']:>8.2f}x  (GraphQL/raw req/s)")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--raw":
        serve_raw(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--notices", type=int, default=150)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    from linli.testing import start_server, stop_server

    with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
        args.database_url = args.database_url or f"sqlite://{tmp}/bench.sqlite3"
        community = asyncio.run(seed(args.database_url, args.notices))
        os.environ.pop("LINLI_REDIS_URL", None)
        # One client sends every request: the per-actor rate limit is not what is measured.
        server = start_server(
            args.database_url, Path(tmp) / "linli.log", env={"LINLI_LIMIT_REQUESTS_PER_MINUTE": "0"}
        )
        raw_url, raw = start_raw(args.database_url, Path(tmp) / "raw.log")
        try:
            asyncio.run(bench(args, server.url, raw_url, community))
        finally:
            stop_server(server)
            raw.terminate()
            raw.wait()


if __name__ == "__main__":
    main()
