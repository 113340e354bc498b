"""G4 (roster history) and G8 (joining): a property-based test against a simple model, the
database constraints on their own, and the join/leave/remove rules."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from groups_helpers import DECIDE, JOIN, LEAVE, REMOVE, file_group, gid
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise.exceptions import IntegrityError

PEOPLE = 5
operation = st.one_of(
    st.tuples(st.just("join"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("leave"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("remove"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("lead"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("wait"), st.integers(0, 3)),
)


class Model:
    """What the roster should be: current members by role, and the state at the end of each
    day something happened."""

    def __init__(self, leader: int, day: dt.date) -> None:
        self.now: dict[int, str] = {leader: "LEADER"}
        self.first = day
        self.days: dict[dt.date, dict[int, str]] = {day: dict(self.now)}

    def record(self, day: dt.date) -> None:
        self.days[day] = dict(self.now)

    def as_of(self, day: dt.date) -> dict[int, str]:
        known = [d for d in self.days if d <= day]
        return self.days[max(known)] if known else {}

    def leader(self) -> int:
        return next(p for p, role in self.now.items() if role == "LEADER")


async def _run(
    ops: list[tuple[str, int]],
    people: list[Any],
    staff: Any,
    leader: Any,
    clock: Any,
    community: Any,
) -> None:
    from linli.core.errors import Refused
    from linli.plugins.groups import rules, service
    from linli.plugins.groups.models import RosterEntry
    from linli.plugins.groups.service import roster

    def today() -> dt.date:
        return rules.local_day(clock.now(), "Asia/Shanghai")

    form = service.Form(
        name="属性测试队",
        category=rules.Category.OTHER,
        level=rules.Level.COMMUNITY,
        venue="活动室",
        schedule="周一",
    )
    group = await service.file_group(leader.actor, community.pk, form)
    everyone = [leader, *people]
    model = Model(leader.person_id, today())

    async def attempt(work: Any) -> str | None:
        try:
            await work
        except Refused as refusal:
            return refusal.code
        return None

    for name, arg in ops:
        if name == "wait":
            clock.advance(days=arg)
            continue
        who = everyone[arg]
        pid = who.person_id
        current = model.now.get(pid)
        if name == "join":
            code = await attempt(_join(roster, who.actor, staff, group.pk))
            expected = "ALREADY_MEMBER" if current else None
            if not current:
                model.now[pid] = "MEMBER"
        elif name in {"leave", "remove"}:
            work = (
                roster.leave(who.actor, group.pk)
                if name == "leave"
                else roster.remove_member(staff, group.pk, pid)
            )
            code = await attempt(work)
            expected = {None: "NOT_A_MEMBER", "LEADER": "ONE_LEADER"}.get(current)
            if expected is None:
                del model.now[pid]
        else:  # lead
            code = await attempt(service.change_details(staff, group.pk, {"leader_person_id": pid}))
            expected = {None: "NOT_A_MEMBER", "LEADER": "NOTHING_CHANGED"}.get(current)
            if expected is None:
                model.now[model.leader()] = "MEMBER"
                model.now[pid] = "LEADER"
        assert code == expected, (name, arg, code, expected)
        model.record(today())
    last = today()
    day = model.first - dt.timedelta(days=1)
    while day <= last + dt.timedelta(days=1):
        got = {
            line.entry.person_id: line.entry.role
            for line in await roster.roster_lines(group.pk, day)
        }
        assert got == model.as_of(day), day
        leaders = [p for p, role in got.items() if role == "LEADER"]
        assert len(leaders) == (1 if day >= model.first else 0)
        day += dt.timedelta(days=1)
    open_rows = await RosterEntry.filter(group_id=group.pk, until=None).values_list(
        "person_id", "role"
    )
    assert dict(open_rows) == model.now


async def _join(roster: Any, actor: Any, staff: Any, group_id: int) -> None:
    request = await roster.request_to_join(actor, group_id)
    await roster.decide_join(staff, request.pk, True)


class Person:
    def __init__(self, made: Any, actor: Any) -> None:
        self.actor, self.person_id = actor, made.person.pk


async def test_G4_roster_as_of_matches_a_model_for_every_date(gql, world, clock):
    from linli.core.identity.sessions import load_actor
    from linli.testing import make_account

    people = []
    for _ in range(PEOPLE - 1):
        made = await make_account("resident", world.home)
        people.append(Person(made, await load_actor(made.account.pk)))
    leader = Person(world.leader, await load_actor(world.leader.account.pk))
    staff = await load_actor(world.staff.account.pk)
    loop = asyncio.get_running_loop()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(operation, min_size=1, max_size=30))
    def check(ops: list[tuple[str, int]]) -> None:
        future = asyncio.run_coroutine_threadsafe(
            _run(ops, people, staff, leader, clock, world.home), loop
        )
        future.result(timeout=60)

    await asyncio.to_thread(check)


async def test_G4_the_database_refuses_a_second_open_entry_and_a_second_leader(gql, world):
    from linli.core import db
    from linli.plugins.groups.models import RosterEntry

    group = await file_group(gql, world)
    pk = int(_pk(group["id"]))
    member = await world.resident()
    at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    day = dt.date(2026, 3, 2)
    await RosterEntry.create(
        group_id=pk, person_id=member.person.pk, role="MEMBER", since=day, created_at=at
    )
    with pytest.raises(IntegrityError):
        async with db.atomic():
            await RosterEntry.create(
                group_id=pk, person_id=member.person.pk, role="MEMBER", since=day, created_at=at
            )
    other = await world.resident()
    with pytest.raises(IntegrityError):
        async with db.atomic():
            await RosterEntry.create(
                group_id=pk, person_id=other.person.pk, role="LEADER", since=day, created_at=at
            )
    # closed entries are history: any number of them
    await RosterEntry.filter(group_id=pk, person_id=member.person.pk).update(until=day)
    await RosterEntry.create(
        group_id=pk, person_id=member.person.pk, role="MEMBER", since=day, created_at=at
    )
    assert await RosterEntry.filter(group_id=pk, person_id=member.person.pk).count() == 2


async def test_G8_join_leave_remove_rules(gql, world):
    group = await file_group(gql, world)
    resident = await world.resident()
    asked = await gql.mutate(JOIN, {"groupId": group["id"]}, token=resident.token)
    again = await gql.mutate(JOIN, {"groupId": group["id"]}, token=resident.token)
    assert again["errors"][0]["code"] == "ALREADY_REQUESTED"
    stranger = await gql.mutate(
        DECIDE, {"requestId": asked["request"]["id"], "accept": True}, token=resident.token
    )
    assert stranger["errors"][0]["code"] == "NOT_FOUND"
    accepted = await gql.mutate(
        DECIDE, {"requestId": asked["request"]["id"], "accept": True}, token=world.leader.token
    )
    assert accepted["request"]["status"] == "ACCEPTED"
    member = await gql.mutate(JOIN, {"groupId": group["id"]}, token=resident.token)
    assert member["errors"][0]["code"] == "ALREADY_MEMBER"
    leader_leaves = await gql.mutate(LEAVE, {"groupId": group["id"]}, token=world.leader.token)
    assert leader_leaves["errors"][0]["code"] == "ONE_LEADER"
    neighbour = await world.resident()
    removed = await gql.mutate(
        REMOVE,
        {"groupId": group["id"], "personId": gid("Person", neighbour.person.pk)},
        token=world.leader.token,
    )
    assert removed["errors"][0]["code"] == "NOT_A_MEMBER"
    by_member = await gql.mutate(
        REMOVE,
        {"groupId": group["id"], "personId": gid("Person", world.leader.person.pk)},
        token=resident.token,
    )
    assert by_member["errors"][0]["code"] == "FORBIDDEN"
    left = await gql.mutate(LEAVE, {"groupId": group["id"]}, token=resident.token)
    assert left["errors"] == [] and left["group"]["memberCount"] == 1
    outsider = await world.resident(world.sibling)
    hidden = await gql.mutate(JOIN, {"groupId": group["id"]}, token=outsider.token)
    assert hidden["errors"][0]["code"] == "NOT_FOUND"


def _pk(global_id: str) -> str:
    from strawberry.relay import from_base64

    return from_base64(global_id)[1]
