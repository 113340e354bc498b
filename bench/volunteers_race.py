"""A 1,000-way sign-up race on one volunteer shift over HTTP against ``linli serve`` on
PostgreSQL (V3): ``--attempts`` registered adults sign up for one shift of ``--capacity``
seats at once (bench/loadgen.py's lean client, every connection open first). Prints
attempts/s, latencies, the CPU each side used, confirmed against capacity and the stored
counter (oversell must be 0), the waitlist's order (the places each volunteer was told, by
sign-up id, must be 1…n, none twice), then each confirmed volunteer withdraws, one after
another, and the first ones waiting by arrival must be the ones promoted. Loopback only;
figures printed and written to docs/performance.md, never asserted. Run by
bench/volunteers_week.py ``--race-database-url``, or alone:

    python bench/volunteers_race.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
        [--attempts 1000] [--capacity 10] [--connections 100]
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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import loadgen
from volunteers_common import (
    fresh_postgres,
    gid,
    http_client,
    machine,
    runtime,
    wire,
    write_section,
)

from linli.testing import start_server, stop_server

SIGN_UP = """mutation($input: SignUpForShiftInput!) { signUpForShift(input: $input) {
  signUp { id status waitlistPosition } errors { code } } }"""
WITHDRAW = """mutation($input: WithdrawFromShiftInput!) { withdrawFromShift(input: $input) {
  signUp { id status } errors { code } } }"""


@dataclass
class RaceFixture:
    shift_id: int
    tokens: list[str]


async def prepare_race(url: str, volunteers: int, capacity: int) -> RaceFixture:
    """One published shift of ``capacity`` seats and ``volunteers`` registered adults."""
    from linli.core.app import stop
    from linli.core.identity.sessions import load_actor
    from linli.plugins.volunteers.service import activities as service
    from linli.plugins.volunteers.service import profiles
    from linli.testing import make_account, make_community

    rt = await runtime(url)
    try:
        community = await make_community("基准社区")
        staff = await load_actor((await make_account("staff", community)).account.pk)
        start = rt.clock.now().replace(microsecond=0) + dt.timedelta(days=2)
        activity = await service.create_activity(staff, community.pk, "露天电影放映")
        shift = await service.add_shift(
            staff, activity.pk, "引导员", start, start + dt.timedelta(hours=3), "广场",
            capacity, [], None, False,
        )  # fmt: skip
        await service.publish(staff, activity.pk)
        tokens = []
        for _ in range(volunteers):
            made = await make_account("resident", community, birth_date=dt.date(1980, 1, 1))
            await profiles.register(await load_actor(made.account.pk), None, [], [], [])
            tokens.append(made.token)
        return RaceFixture(shift.pk, tokens)
    finally:
        await stop(rt)


async def race(args: argparse.Namespace, database_url: str) -> list[str]:
    """One rush on a fresh database beside ``database_url``'s (PostgreSQL)."""
    async with fresh_postgres(database_url) as url:
        return await _race(args, url)


async def _race(args: argparse.Namespace, url: str) -> list[str]:
    import asyncpg

    work = Path(tempfile.mkdtemp(prefix="linli-volunteers-race-"))
    fx = await prepare_race(url, args.attempts, args.capacity)
    server = await asyncio.to_thread(
        start_server,
        url,
        work / "server.log",
        {"LINLI_PERIODIC_TASKS": "0", "LINLI_LIMIT_REQUESTS_PER_MINUTE": "0"},
        180,
    )
    try:
        port = int(server.url.rsplit(":", 1)[1])
        shift = gid("VolunteerShift", fx.shift_id)
        body = {"query": SIGN_UP, "variables": {"input": {"shiftId": shift}}}
        wires = [wire(port, body, token) for token in fx.tokens]
        gate = asyncio.Event()
        asyncio.get_running_loop().call_later(0.2, gate.set)
        figures = await loadgen.run_lean(
            "127.0.0.1", port, wires.__getitem__, len(wires), args.connections,
            server.process.pid, keep_bodies=True, gate=gate,
        )  # fmt: skip
        answers = [json.loads(b)["data"]["signUpForShift"] for b in figures.bodies]
        told = {}
        outcomes = Counter()
        for answer in answers:
            codes = [e["code"] for e in answer["errors"]]
            outcomes.update(codes or [answer["signUp"]["status"]])
            if answer["signUp"] and answer["signUp"]["status"] == "WAITLISTED":
                key = int(base64.b64decode(answer["signUp"]["id"]).decode().split(":")[1])
                told[key] = answer["signUp"]["waitlistPosition"]
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            confirmed = await conn.fetchval(
                "SELECT count(*) FROM volunteers_sign_up WHERE shift_id = $1 "
                "AND status = 'CONFIRMED'",
                fx.shift_id,
            )
            stored = await conn.fetchrow(
                "SELECT confirmed, waitlisted FROM volunteers_shift WHERE id = $1", fx.shift_id
            )
            waiting = [
                r["id"]
                for r in await conn.fetch(
                    "SELECT id FROM volunteers_sign_up WHERE shift_id = $1 "
                    "AND status = 'WAITLISTED' ORDER BY id",
                    fx.shift_id,
                )
            ]
            seated = await conn.fetch(
                "SELECT s.id, s.person_id FROM volunteers_sign_up s WHERE s.shift_id = $1 "
                "AND s.status = 'CONFIRMED' ORDER BY s.id",
                fx.shift_id,
            )
            version = await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()
        positions = [told.get(pk) for pk in waiting]
        in_order = positions == list(range(1, len(waiting) + 1))
        # The confirmed withdraw one after another: the first ones waiting move up.
        promoted_ok = await _withdraw_all(server.url, seated, fx, url, waiting)
    finally:
        await asyncio.to_thread(stop_server, server)
    oversell = max(confirmed - args.capacity, 0) + abs(stored["confirmed"] - confirmed)
    rows = [
        f"### volunteers_race (PostgreSQL {version.split()[0]}, {args.attempts} sign-ups for "
        f"one shift of {args.capacity} seats at once, {args.connections} connections, "
        "lean asyncio client)",
        "",
        "| attempts/s | p50 ms | p99 ms | server CPU ms/attempt | server cores | client cores "
        "| CONFIRMED | WAITLISTED | other | oversell | stored counter | waitlist positions "
        "1…n by arrival | first waiting promoted |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
        f"| {figures.rps:.0f} | {figures.p50 * 1000:.0f} | {figures.p99 * 1000:.0f} | "
        f"{figures.server_ms_per_request:.2f} | {figures.server_share:.2f} | "
        f"{figures.client_share:.2f} | {outcomes.pop('CONFIRMED', 0)} | "
        f"{outcomes.pop('WAITLISTED', 0)} | {dict(outcomes) or 0} | {oversell} | "
        f"{stored['confirmed']} seated, {stored['waitlisted']} waiting | "
        f"{'yes' if in_order else 'NO'} | {'yes' if promoted_ok else 'NO'} |",
        "",
    ]
    return rows


async def _withdraw_all(server_url, seated, fx, url, waiting) -> bool:
    """Each confirmed volunteer withdraws (through the API, one after another); the first
    ``len(seated)`` waiting, by arrival, must be the ones confirmed afterwards."""
    import asyncpg

    from linli.core.app import stop
    from linli.core.identity.models import Account
    from linli.core.identity.sessions import start_session

    rt = await runtime(url)
    try:
        tokens = {}
        for row in seated:
            account = await Account.get(person_id=row["person_id"])
            tokens[row["id"]] = (await start_session(account)).access_token
    finally:
        await stop(rt)
    async with http_client() as client:
        for sign_up, token in tokens.items():
            r = await client.post(
                f"{server_url}/graphql",
                json={
                    "query": WITHDRAW,
                    "variables": {"input": {"signUpId": gid("VolunteerSignUp", sign_up)}},
                },
                headers={"authorization": f"Bearer {token}"},
            )
            assert r.json()["data"]["withdrawFromShift"]["errors"] == [], r.text
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        now_seated = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM volunteers_sign_up WHERE shift_id = $1 AND status = 'CONFIRMED' "
                "ORDER BY id",
                fx.shift_id,
            )
        ]
    finally:
        await conn.close()
    return now_seated == waiting[: len(seated)]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument(
        "--output", default=str(Path(__file__).parents[1] / "docs" / "performance.md")
    )
    args = parser.parse_args()
    about = machine()
    lines = await race(args, args.database_url)
    lines.append(f"{about}; load average {os.getloadavg()[0]:.1f} at the end.")
    lines.append("")
    print("\n".join(lines))
    write_section(Path(args.output), "volunteers_race PostgreSQL", lines)


if __name__ == "__main__":
    os.environ.setdefault("LINLI_PERIODIC_TASKS", "0")
    asyncio.run(main())
