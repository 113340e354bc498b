"""CPU per request in one process, for when the machine is too loaded for throughput figures.

The app runs in-process (httpx over ASGI, no sockets) on a fresh database; each variant
sends the same read ``--requests`` times and the process's CPU time (``time.process_time``,
which waiting for a core does not inflate) is divided by the count. Variants alternate over
``--rounds``. ``/healthz`` through the same client is the floor (client, ASGI, routing).

    python bench/cpu_per_request.py [--requests 300] [--rounds 3] [--database-url URL]

(PostgreSQL: the seed writes the notices with asyncpg.)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import httpx
from hot_reads import NOTICES, SLOTS, admin, admin_url, seed
from peers import gid

from linli.core import hotread
from linli.testing import TEST_SECRET


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    name = f"linli_bench_{uuid.uuid4().hex[:8]}"
    url = admin_url(args.database_url, name)
    await admin(args.database_url, f'CREATE DATABASE "{name}"')
    try:
        await run(url, args)
    finally:
        await admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def run(url: str, args: argparse.Namespace) -> None:
    from linli.core.app import create_app
    from linli.core.settings import Settings

    data = await seed(url, 150)
    settings = Settings(
        database_url=url, secret_key=TEST_SECRET, periodic_tasks=False,
        limits={"requests_per_minute": 0},
    )  # fmt: skip
    app = create_app(settings)
    auth = {"authorization": f"Bearer {data['token']}"}
    reads = {
        "slots": (SLOTS, {"st": gid("BookingServiceType", data["service"]), "date": data["day"]}),
        "notices": (NOTICES, {"c": gid("Community", data["community"])}),
    }
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://linli") as http:

            def post(query: str, variables: dict):
                body = {"query": query, "variables": variables}
                return lambda: http.post("/graphql", json=body, headers=auth)

            def apq(query: str, variables: dict):
                digest = hashlib.sha256(query.encode()).hexdigest()
                ext = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
                params = {"extensions": json.dumps(ext), "variables": json.dumps(variables)}
                return lambda: http.get("/graphql", params=params, headers=auth)

            variants = {"healthz (floor)": (lambda: http.get("/healthz"), True)}
            for read, (query, variables) in reads.items():
                digest = hashlib.sha256(query.encode()).hexdigest()
                register = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
                body = {"query": query, "variables": variables, "extensions": register}
                await http.post("/graphql", headers=auth, json=body)  # the document, once
                variants[f"{read}: POST"] = (post(query, variables), True)
                variants[f"{read}: APQ by GET"] = (apq(query, variables), True)
                if read == "slots":
                    variants[f"{read}: POST, ORM read"] = (post(query, variables), False)
            found: dict[str, list[float]] = {}
            for round_ in range(args.rounds):
                order = list(variants.items())
                for label, (send, hot) in order if round_ % 2 == 0 else order[::-1]:
                    hotread.ENABLED = hot
                    answer = await send()
                    assert answer.status_code == 200 and "errors" not in answer.text, answer.text
                    began = time.process_time()
                    for _ in range(args.requests):
                        await send()
                    ms = (time.process_time() - began) / args.requests * 1000
                    found.setdefault(label, []).append(ms)
            hotread.ENABLED = True
    db = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print(f"\nCPU ms per request, in-process ({db}, {args.requests} requests x {args.rounds} "
          "rounds, alternating)\n")  # fmt: skip
    print("| variant | CPU ms/request |\n|---|---:|")
    for label, values in found.items():
        print(f"| {label} | {min(values):.2f}–{max(values):.2f} |")


if __name__ == "__main__":
    asyncio.run(main())
