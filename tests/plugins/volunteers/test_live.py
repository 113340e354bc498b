"""V10 live updates: in-process over the app's websocket (the harness says when a
subscription is in place), and over a real websocket against ``linli serve``."""

from __future__ import annotations

import datetime as dt

from volunteer_helpers import APPROVE, CANCEL_SHIFT, FILL, MINE, RECORD, SIGN_UP, WITHDRAW, gid, sh

from linli.testing import make_account


async def test_V10_shift_fill_after_commit(gql, world):
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, capacity=2)
    me, watcher = await world.volunteer(gql=gql), await world.volunteer(gql=gql)
    async with gql.websocket(watcher.token) as ws:
        op = await ws.subscribe(FILL, {"a": aid})
        await gql.mutate(SIGN_UP, {"shiftId": sid}, token=me.token)
        message = await ws.next(op)
        assert message["payload"]["data"]["volunteerShiftFill"] == {
            "id": sid,
            "confirmed": 1,
            "waitlisted": 0,
            "fillLevel": 0.5,
        }


async def test_V10_shift_fill_refused_outside_the_community(gql, world):
    aid = await world.activity(gql)
    outsider = await make_account("resident")
    async with gql.websocket(outsider.token) as ws:
        op = await ws.subscribe(FILL, {"a": aid})
        message = await ws.next(op)
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "NOT_FOUND"


async def test_V10_my_updates_confirmed_promoted_cancelled_hours(gql, world, clock):
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, capacity=1, start=sh(2026, 3, 2, 12))
    elsewhere = await world.shift(gql, aid, start=sh(2026, 3, 2, 14))
    first, me, other = [await world.volunteer(gql=gql) for _ in range(3)]
    taken = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=first.token)
    async with gql.websocket(me.token) as ws:
        op = await ws.subscribe(MINE)
        await gql.mutate(
            SIGN_UP, {"shiftId": elsewhere}, token=other.token
        )  # not mine: never arrives
        waiting = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=me.token)
        assert (await ws.next(op))["payload"]["data"]["myVolunteerUpdates"]["kind"] == "WAITLISTED"
        await gql.mutate(WITHDRAW, {"signUpId": taken["signUp"]["id"]}, token=first.token)
        got = (await ws.next(op))["payload"]["data"]["myVolunteerUpdates"]
        assert got == {"kind": "PROMOTED", "signUpId": waiting["signUp"]["id"], "recordId": None}
    clock.set(sh(2026, 3, 2, 16).astimezone(dt.UTC))
    me.token, world.staff.token = await me.fresh_token(), await world.staff.fresh_token()
    start = sh(2026, 3, 2, 12)
    record = await gql.mutate(
        RECORD,
        {
            "shiftId": sid,
            "personId": gid("Person", me.person.pk),
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(),
        },
        token=world.staff.token,
    )
    async with gql.websocket(me.token) as ws:
        op = await ws.subscribe(MINE)
        await gql.mutate(APPROVE, {"recordId": record["record"]["id"]}, token=world.staff.token)
        got = (await ws.next(op))["payload"]["data"]["myVolunteerUpdates"]
        assert got["kind"] == "HOURS_APPROVED" and got["recordId"] == record["record"]["id"]


async def test_V10_shift_cancelled_reaches_everyone_signed_up(gql, world):
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, capacity=1)
    a, b = await world.volunteer(gql=gql), await world.volunteer(gql=gql)
    await gql.mutate(SIGN_UP, {"shiftId": sid}, token=a.token)
    await gql.mutate(SIGN_UP, {"shiftId": sid}, token=b.token)
    async with gql.websocket(a.token) as wa, gql.websocket(b.token) as wb:
        ops = [await wa.subscribe(MINE), await wb.subscribe(MINE)]
        await gql.mutate(CANCEL_SHIFT, {"shiftId": sid}, token=world.staff.token)
        for ws, op in zip((wa, wb), ops, strict=True):
            got = (await ws.next(op))["payload"]["data"]["myVolunteerUpdates"]
            assert got["kind"] == "SHIFT_CANCELLED"
