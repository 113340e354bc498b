"""Ballots cast per second over HTTP against ``linli serve`` on PostgreSQL (E7, E8).

N distinct voters (each with a token, all on the roll of one election in VOTING) cast one
ballot each through ``castBallot``, over C connections of bench/loadgen.py's lean asyncio
client (each connection its share of the voters, one after another). The baseline in the same
run, on the same server and connections: N ``electionTurnout`` reads (the same caller checks,
the same election lookup, no write). Prints both rates, their ratio, latencies, server CPU
per request, and checks the outcome: N ballots and N participations, every answer a receipt.
Loopback only.

    python bench/elections_cast.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
        [--voters 2000] [--connections 50]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))

import loadgen

from linli.testing import TEST_SECRET, start_server, stop_server

CAST = """mutation($input: CastBallotInput!) { castBallot(input: $input) {
  receipt { trackingCode } errors { code } } }"""
TURNOUT = "query($e: ID!) { electionTurnout(electionId: $e) { voted } }"


def gid(kind: str, pk: int) -> str:
    return base64.b64encode(f"{kind}:{pk}".encode()).decode()


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    parts = urlsplit(url)
    conn = await asyncpg.connect(urlunsplit(("postgresql", parts.netloc, "/postgres", "", "")))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def prepare(url: str, voters: int) -> tuple[int, list[str], list[str]]:
    """An election in VOTING with a 7-seat slate and ``voters`` voters with tokens."""
    from linli.core import db, kit
    from linli.core.app import start, stop
    from linli.core.plugins import load_plugins
    from linli.core.settings import Settings
    from linli.plugins.elections.models import (
        Candidate,
        Election,
        ElectionPost,
        RollEntry,
    )
    from linli.plugins.elections.models import Settings as ElectionSettings
    from linli.testing import make_account, make_community

    settings = Settings(database_url=url, secret_key=TEST_SECRET, periodic_tasks=False)
    plugins = load_plugins(settings)
    await db.migrate(url, plugins)
    rt = await start(settings, plugins)
    try:
        community = await make_community("基准社区")
        election = await Election.create(
            community=community, title="基准选举", election_day=kit.today("Asia/Shanghai"),
            phase="VOTING", settings=ElectionSettings().model_dump(), created_at=kit.now(),
            roll_size=voters)
        people = [await make_account("resident", community, birth_date=dt.date(1970, 1, 1))
                  for _ in range(voters)]
        await RollEntry.bulk_create([
            RollEntry(election_id=election.pk, person_id=p.person.pk, name=f"居民{k}")
            for k, p in enumerate(people)])
        seats = {"DIRECTOR": 1, "DEPUTY_DIRECTOR": 1, "MEMBER": 5}
        candidate_ids, k = [], 0
        for post, n in seats.items():
            await ElectionPost.create(election=election, post=post, seats=n, slate_size=n + 1)
            for position in range(n + 1):
                row = await Candidate.create(election=election, post=post,
                                             person_id=people[k].person.pk,
                                             name=f"候选人{k}", position=position + 1)
                candidate_ids.append(str(row.pk))
                k += 1
        return election.pk, [p.token for p in people], candidate_ids
    finally:
        await stop(rt)


async def _rows(url: str) -> tuple[int, int]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return (await conn.fetchval("SELECT count(*) FROM elections_ballot"),
                await conn.fetchval("SELECT count(*) FROM elections_participation"))
    finally:
        await conn.close()


def _wire(port: int, query: str, variables: dict, token: str) -> bytes:
    body = json.dumps({"query": query, "variables": variables}).encode()
    return loadgen.request_bytes("POST", "/graphql", f"127.0.0.1:{port}", body, {
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    name = f"linli_bench_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(args.database_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    await _admin(args.database_url, f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="linli-cast-"))
    try:
        election, tokens, candidates = await prepare(url, args.voters)
        server = await asyncio.to_thread(start_server, url, work / "server.log", {
            "LINLI_PERIODIC_TASKS": "0", "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0"}, 180)
        port = int(server.url.rsplit(":", 1)[1])
        e = gid("Election", election)
        try:
            reads = [_wire(port, TURNOUT, {"e": e}, t) for t in tokens]
            read = await loadgen.run_lean("127.0.0.1", port, reads.__getitem__, len(reads),
                                          args.connections, server.process.pid)
            marks = [{"candidateId": c, "choice": "FOR" if k % 3 else "AGAINST"}
                     for k, c in enumerate(candidates)]
            casts = [_wire(port, CAST, {"input": {"electionId": e, "marks": marks}}, t)
                     for t in tokens]
            cast = await loadgen.run_lean("127.0.0.1", port, casts.__getitem__, len(casts),
                                          args.connections, server.process.pid,
                                          keep_bodies=True)
        finally:
            await asyncio.to_thread(stop_server, server)
        ballots, participations = await _rows(url)
    finally:
        await _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    receipts = sum(1 for b in cast.bodies
                   if b'"trackingCode"' in b and b'"errors":[]' in b)
    print(f"### elections_cast (PostgreSQL, {args.voters} distinct voters, "
          f"{args.connections} connections, lean asyncio client)\n")
    print("| request | req/s | p50 ms | p99 ms | server CPU ms/req |")
    print("|---|---:|---:|---:|---:|")
    for label, f in (("castBallot (write)", cast), ("electionTurnout (baseline read)", read)):
        print(f"| {label} | {f.rps:.0f} | {f.p50 * 1000:.0f} | {f.p99 * 1000:.0f} "
              f"| {f.server_ms_per_request:.2f} |")
    print(f"\ncast/read ratio: {cast.rps / read.rps:.2f}x; receipts {receipts}/{args.voters}, "
          f"ballots {ballots}, participations {participations}")
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores, shared machine)")


if __name__ == "__main__":
    asyncio.run(main())
