"""V3, V4, V9 under real concurrency: a real ``linli serve`` subprocess, parallel HTTP requests.

Runs on SQLite by default and on PostgreSQL (+ Redis) when LINLI_TEST_DATABASE_URL is set.
The in-process app (fixtures ``world``, ``gql``) shares the server's database to set up and
to count. Nothing here times anything.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from volunteer_helpers import (
    APPROVE,
    CORRECT,
    MY_HOURS,
    RECORD,
    REDEEM,
    SIGN_UP,
    WITHDRAW,
    gid,
    pk_of,
)

from linli.core.clock import FrozenClock
from linli.testing import make_account


@pytest.fixture
def clock():
    # The server runs on the real clock: tokens and shifts must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC))


async def race(url: str, calls: list[tuple[str, str, dict]]) -> list[dict]:
    """(token, query, input) each sent at once; the payloads in the same order."""
    limits = httpx.Limits(max_connections=len(calls), max_keepalive_connections=len(calls))
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        start = asyncio.Event()

        async def one(token: str, query: str, data: dict) -> dict:
            await start.wait()
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": {"input": data}},
                headers={"authorization": f"Bearer {token}"},
            )
            assert response.status_code == 200, response.text
            (payload,) = response.json()["data"].values()
            return payload

        tasks = [asyncio.create_task(one(*call)) for call in calls]
        start.set()
        return await asyncio.gather(*tasks)


def future(clock, days=2, hour_offset=0):
    return clock.now().replace(microsecond=0) + dt.timedelta(days=days, hours=hour_offset)


async def test_V3_twenty_parallel_sign_ups_for_one_seat(world, gql, live_server, clock):
    from linli.plugins.volunteers.models import Shift, SignUp

    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, start=future(clock), capacity=1)
    people = [await world.volunteer(gql=gql) for _ in range(20)]
    results = await race(live_server.url, [(p.token, SIGN_UP, {"shiftId": sid}) for p in people])
    assert all(r["errors"] == [] for r in results), live_server.log()[-3000:]
    statuses = sorted(r["signUp"]["status"] for r in results)
    assert statuses == ["CONFIRMED"] + ["WAITLISTED"] * 19
    shift = await Shift.get(id=pk_of(sid))
    rows = await SignUp.filter(shift_id=shift.pk).order_by("id")
    assert shift.confirmed == sum(r.status == "CONFIRMED" for r in rows) == 1
    assert shift.waitlisted == 19
    # arrival order: the waitlist is first in, first out by the order the database took them
    waiting = [r for r in rows if r.status == "WAITLISTED"]
    positions = {
        r["signUp"]["id"]: r["signUp"]["waitlistPosition"]
        for r in results
        if r["signUp"]["status"] == "WAITLISTED"
    }
    assert [positions[gid("VolunteerSignUp", r.pk)] for r in waiting] == list(range(1, 20))


async def test_V3_two_hundred_sign_ups_for_ten_seats(world, gql, live_server, clock):
    """The 1,000-way rush is bench/volunteers_week.py's (figures in docs/performance.md);
    200 at once here: 10 confirmed, 190 waiting, told their places in arrival order."""
    from linli.plugins.volunteers.models import Shift, SignUp

    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, start=future(clock), capacity=10)
    people = [await world.volunteer(gql=gql) for _ in range(200)]
    results = await race(live_server.url, [(p.token, SIGN_UP, {"shiftId": sid}) for p in people])
    assert all(r["errors"] == [] for r in results), live_server.log()[-3000:]
    statuses = sorted(r["signUp"]["status"] for r in results)
    assert statuses == ["CONFIRMED"] * 10 + ["WAITLISTED"] * 190
    shift = await Shift.get(id=pk_of(sid))
    rows = await SignUp.filter(shift_id=shift.pk).order_by("id")
    assert shift.confirmed == sum(r.status == "CONFIRMED" for r in rows) == 10  # no oversell
    assert shift.waitlisted == 190
    told = {
        r["signUp"]["id"]: r["signUp"]["waitlistPosition"]
        for r in results
        if r["signUp"]["status"] == "WAITLISTED"
    }
    waiting = [r for r in rows if r.status == "WAITLISTED"]
    assert [told[gid("VolunteerSignUp", r.pk)] for r in waiting] == list(range(1, 191))


async def test_V3_ten_withdrawals_at_once_promote_ten_once(world, gql, live_server, clock):
    from linli.plugins.volunteers.models import Shift, SignUp, SignUpChange

    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, start=future(clock), capacity=10)
    people = [await world.volunteer(gql=gql) for _ in range(20)]
    signed = [await gql.mutate(SIGN_UP, {"shiftId": sid}, token=p.token) for p in people]
    assert [s["signUp"]["status"] for s in signed] == ["CONFIRMED"] * 10 + ["WAITLISTED"] * 10
    calls = [
        (p.token, WITHDRAW, {"signUpId": s["signUp"]["id"]})
        for p, s in zip(people[:10], signed[:10], strict=True)
    ]
    results = await race(live_server.url, calls)
    assert [r["signUp"]["status"] for r in results] == ["WITHDRAWN"] * 10, live_server.log()[-3000:]
    shift = await Shift.get(id=pk_of(sid))
    rows = await SignUp.filter(shift_id=shift.pk).order_by("id")
    assert [r.status for r in rows] == ["WITHDRAWN"] * 10 + ["CONFIRMED"] * 10
    assert shift.confirmed == 10 and shift.waitlisted == 0
    promoted = await SignUpChange.filter(sign_up_id__in=[r.pk for r in rows], note="promoted")
    assert sorted(c.sign_up_id for c in promoted) == [r.pk for r in rows[10:]]  # once each


async def test_V4_one_volunteer_two_overlapping_shifts_at_once(world, gql, live_server, clock):
    from linli.plugins.volunteers.models import SignUp

    aid = await world.activity(gql)
    first = await world.shift(gql, aid, start=future(clock), hours=3)
    second = await world.shift(gql, aid, start=future(clock, hour_offset=1), hours=3)
    people = [await world.volunteer(gql=gql) for _ in range(5)]
    calls = [(p.token, SIGN_UP, {"shiftId": s}) for p in people for s in (first, second)]
    results = await race(live_server.url, calls)
    codes = [e["code"] for r in results for e in r["errors"]]
    assert codes == ["OVERLAP"] * 5, live_server.log()[-3000:]
    for p in people:
        assert await SignUp.filter(person_id=p.person.pk, active=True).count() == 1


async def test_V9_fifty_redemptions_against_a_balance_of_ten(world, gql, live_server, clock):
    from tortoise.functions import Sum

    from linli.core import kit
    from linli.core.identity.sessions import load_actor
    from linli.plugins.volunteers.models import Entry, Settings
    from linli.plugins.volunteers.service import timebank

    staff = await load_actor(world.staff.account.pk)
    await kit.update_settings(staff, Settings, world.community.pk, {"time_bank": True})
    elder = await world.volunteer(birth_date=dt.date(1950, 1, 1), gql=gql)
    await timebank.deposit_hours(999_001, elder.person.pk, world.community.pk, 10 * 60)
    assert await timebank.person_balance(elder.person.pk, world.community.pk) == 600
    calls = [(elder.token, REDEEM, {"hours": 1, "memo": "理发"}) for _ in range(50)]
    results = await race(live_server.url, calls)
    ok = [r for r in results if not r["errors"]]
    refused = [e["code"] for r in results for e in r["errors"]]
    assert len(ok) == 10, live_server.log()[-3000:]
    assert refused == ["INSUFFICIENT_COINS"] * 40
    assert await timebank.person_balance(elder.person.pk, world.community.pk) == 0
    total = await Entry.all().annotate(t=Sum("minutes")).values("t")
    assert (total[0]["t"] or 0) == 0  # double entry: the whole ledger sums to zero
    assert min(r["account"]["coins"] for r in ok) == 0


async def test_V6_two_staff_correcting_one_record_at_once_apply_in_order(
    world, gql, live_server, clock
):
    """Each correction says what the record should have been; two sent at once both stand,
    numbered 1, 2, …, each computed against the ones before it, so the total is the target
    of the last one written, never the two differences added to the same starting point."""
    from linli.plugins.volunteers.models import HoursRecord

    other_staff = await make_account("staff", world.community)
    aid = await world.activity(gql)
    start = future(clock)
    sid = await world.shift(gql, aid, start=start, hours=3)
    me = await world.volunteer(gql=gql)
    assert (await gql.mutate(SIGN_UP, {"shiftId": sid}, token=me.token))["errors"] == []
    recorded = await gql.mutate(
        RECORD,
        {
            "shiftId": sid,
            "personId": gid("Person", me.person.pk),
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=3)).isoformat(),
        },
        token=world.staff.token,
    )
    rid = recorded["record"]["id"]
    approved = await gql.mutate(APPROVE, {"recordId": rid}, token=world.staff.token)
    assert approved["record"]["status"] == "APPROVED", approved
    original = await HoursRecord.get(id=pk_of(rid))
    targets = {}
    for round_ in range(4):  # several rounds: each a fresh chance for the two to meet
        a, b = 60 + round_ * 10, 150 - round_ * 10
        calls = [
            (world.staff.token, CORRECT, {"recordId": rid, "minutes": a, "reason": "更正"}),
            (other_staff.token, CORRECT, {"recordId": rid, "minutes": b, "reason": "复核"}),
        ]
        results = await race(live_server.url, calls)
        assert [r["errors"] for r in results] == [[], []], live_server.log()[-3000:]
        for r, target in zip(results, (a, b), strict=True):
            targets[pk_of(r["record"]["id"])] = target
    corrections = await HoursRecord.filter(corrects_id=original.pk).order_by("correction_number")
    assert [c.correction_number for c in corrections] == list(range(1, 9))
    total = original.minutes
    for c in corrections:  # each amends what the ones before it left to its own target
        total += c.minutes
        assert total == targets[c.pk]
    unchanged = await HoursRecord.get(id=original.pk)
    assert (unchanged.minutes, unchanged.status) == (180, "APPROVED")
    hours = await gql.query(MY_HOURS, {}, token=await me.fresh_token())
    assert hours["myVolunteerHours"]["approvedHours"] == round(total / 60, 2)
