"""The two peers a hot read is measured against, each its own process on loopback:

- ``raw``: Starlette + asyncpg, no ORM, no GraphQL, no auth: the same SQL statements the
  Linli resolvers send, on one pooled connection per request (no reset on release, so the
  strict baseline: exactly the statements, one round trip each), JSON by orjson;
- PostGraphile 4 (Node), what a team would pick instead, introspecting the same database:
  ``npm install postgraphile@4`` into a scratch folder under /tmp the first time (never in
  the repository). Skipped, with a message, where Node is absent.

    python bench/peers.py raw DATABASE_URL PORT     (what start_raw runs)
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

POSTGRAPHILE_DIR = Path(os.environ.get("LINLI_BENCH_POSTGRAPHILE_DIR", "/tmp/linli-postgraphile"))

# The statements of the Linli resolvers (booking's ``slots``, notices' page of 100).
SERVICE_SQL = "SELECT id, community_id FROM booking_service_type WHERE id = $1"
SLOTS_SQL = (
    'SELECT id, start, "end", capacity, reserved, booked, booked_priority '
    "FROM booking_slot WHERE service_type_id = $1 AND local_date = $2 ORDER BY start"
)
NOTICES_SQL = (
    "SELECT id, community_id, title, body, posted_at FROM notices_notice "
    "WHERE community_id = $1 ORDER BY id DESC LIMIT $2"
)


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def raw_app(database_url: str):
    import contextlib

    import asyncpg
    import orjson
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    state: dict = {}

    def answer(data: object) -> Response:
        return Response(orjson.dumps(data), media_type="application/json")

    async def slots(request):
        st = int(request.query_params["st"])
        day = dt.date.fromisoformat(request.query_params["date"])
        async with state["pool"].acquire() as conn:
            service = await conn.fetchrow(SERVICE_SQL, st)
            rows = await conn.fetch(SLOTS_SQL, service["id"], day)
        return answer(
            {
                "data": {
                    "slots": [
                        {
                            "id": gid("BookingSlot", r["id"]),
                            "start": r["start"].isoformat(),
                            "end": r["end"].isoformat(),
                            "capacity": r["capacity"],
                            "booked": r["booked"],
                            "remaining": max(
                                r["capacity"]
                                - r["booked"]
                                - max(r["reserved"] - r["booked_priority"], 0),
                                0,
                            ),
                        }
                        for r in rows
                    ]
                }
            }
        )

    async def notices(request):
        community, first = int(request.query_params["c"]), int(request.query_params["first"])
        async with state["pool"].acquire() as conn:
            rows = await conn.fetch(NOTICES_SQL, community, first + 1)
        page = rows[:first]
        edges = [
            {
                "node": {
                    "id": gid("Notice", r["id"]),
                    "communityId": gid("Community", r["community_id"]),
                    "title": r["title"],
                    "body": r["body"],
                    "postedAt": r["posted_at"].isoformat(),
                }
            }
            for r in page
        ]
        end = base64.b64encode(f"arrayconnection:{len(page) - 1}".encode()).decode()
        info = {"hasNextPage": len(rows) > first, "endCursor": end}
        return answer({"data": {"notices": {"edges": edges, "pageInfo": info}}})

    async def no_reset(conn) -> None:  # asyncpg still rolls back an open transaction
        return None

    @contextlib.asynccontextmanager
    async def lifespan(app):
        dsn = database_url.replace("postgres://", "postgresql://", 1)
        state["pool"] = await asyncpg.create_pool(dsn, min_size=5, max_size=10, reset=no_reset)
        yield
        await state["pool"].close()

    return Starlette(routes=[Route("/slots", slots), Route("/notices", notices)], lifespan=lifespan)


def wait_ready(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"not ready:\n{log.read_text()[-3000:]}")


def start_raw(database_url: str, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, __file__, "raw", database_url, str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_ready(f"http://127.0.0.1:{port}/healthz-none", process, log)
    return process


def postgraphile_cli() -> Path | None:
    """The PostGraphile 4 CLI, installed into the scratch folder on first use; None (and a
    message) when Node or npm is absent or the install fails."""
    if not (shutil.which("node") and shutil.which("npm")):
        print("PostGraphile skipped: Node.js (node and npm) is not installed")
        return None
    cli = POSTGRAPHILE_DIR / "node_modules" / "postgraphile" / "cli.js"
    if not cli.exists():
        POSTGRAPHILE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"installing postgraphile@4 into {POSTGRAPHILE_DIR} ...")
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(POSTGRAPHILE_DIR),
             "postgraphile@4"],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0 or not cli.exists():
            print(f"PostGraphile skipped: npm install failed:\n{done.stderr[-2000:]}")
            return None
    return cli


def start_postgraphile(cli: Path, database_url: str, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        ["node", str(cli), "-c", database_url, "-s", "public", "-n", "127.0.0.1",
         "-p", str(port), "--disable-query-log", "--disable-graphiql"],
        stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_ready(f"http://127.0.0.1:{port}/graphql", process, log)
    return process


if __name__ == "__main__" and sys.argv[1:2] == ["raw"]:
    import uvicorn

    uvicorn.run(raw_app(sys.argv[2]), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
